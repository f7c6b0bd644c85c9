package io.transflux.operators.compression;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;

/**
 * Gathers the first {@value Format#SIGNATURE_BYTES} bytes (fewer if the input is shorter) into the first
 * element, so a format can be chosen from one buffer however the input is split, then hands the whole
 * content to the chosen decoder. Later buffers pass unchanged.
 */
final class FormatSniffer {

    private FormatSniffer() {
    }

    /**
     * @param then gets the signature bytes (null for empty input) and the full content, returns the output
     */
    static Flux<ByteBuffer> sniff(Flux<ByteBuffer> content,
            BiFunction<byte @Nullable [], Flux<ByteBuffer>, Flux<ByteBuffer>> then) {
        return Flux.defer(() -> {
            Head head = new Head();
            Flux<ByteBuffer> coalesced = content.concatMapIterable(head::offer, 1)
                    .concatWith(Flux.defer(() -> Flux.fromIterable(head.flush())));
            return coalesced.switchOnFirst((signal, flux) -> {
                ByteBuffer first = signal.get();
                byte[] sig = null;
                if (first != null) {
                    sig = new byte[Math.min(Format.SIGNATURE_BYTES, first.remaining())];
                    first.duplicate().get(sig);
                }
                return then.apply(sig, flux);
            });
        });
    }

    private static final class Head {
        private @Nullable ByteBuffer gathered;
        private boolean passing;

        List<ByteBuffer> offer(ByteBuffer buf) {
            if (passing) {
                return List.of(buf);
            }
            ByteBuffer g = gathered;
            if (g == null && buf.remaining() >= Format.SIGNATURE_BYTES) {
                passing = true;
                return List.of(buf);
            }
            ByteBuffer merged = ByteBuffer.allocate((g == null ? 0 : g.remaining()) + buf.remaining());
            if (g != null) {
                merged.put(g);
            }
            merged.put(buf).flip();
            if (merged.remaining() >= Format.SIGNATURE_BYTES) {
                gathered = null;
                passing = true;
                return List.of(merged);
            }
            gathered = merged;
            return List.of();
        }

        List<ByteBuffer> flush() {
            ByteBuffer g = gathered;
            gathered = null;
            passing = true;
            return g == null || !g.hasRemaining() ? List.of() : List.of(g);
        }
    }
}
