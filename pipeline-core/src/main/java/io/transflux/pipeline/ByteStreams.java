package io.transflux.pipeline;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Small, allocation-aware helpers over {@code Flux<ByteBuffer>}. */
public final class ByteStreams {

    private ByteStreams() {
    }

    /**
     * Splits buffers larger than {@code maxChunkBytes} into zero-copy slices; smaller buffers pass as they
     * are. <b>Backpressure:</b> one request from downstream is one slice.
     */
    public static Flux<ByteBuffer> rechunk(Flux<ByteBuffer> content, int maxChunkBytes) {
        if (maxChunkBytes <= 0) {
            throw new IllegalArgumentException("maxChunkBytes: actual " + maxChunkBytes + ", expected > 0");
        }
        return content.concatMapIterable(buf -> split(buf, maxChunkBytes), 1);
    }

    private static List<ByteBuffer> split(ByteBuffer buf, int max) {
        if (buf.remaining() <= max) {
            return List.of(buf);
        }
        List<ByteBuffer> parts = new ArrayList<>(buf.remaining() / max + 1);
        int pos = buf.position();
        int limit = buf.limit();
        while (pos < limit) {
            int n = Math.min(max, limit - pos);
            parts.add(buf.duplicate().position(pos).limit(pos + n).slice());
            pos += n;
        }
        return parts;
    }

    /** Heap chunks of at most {@code chunkBytes} over a copy of {@code bytes}. */
    public static Flux<ByteBuffer> fromBytes(byte[] bytes, int chunkBytes) {
        return Flux.defer(() -> rechunk(Flux.just(ByteBuffer.wrap(bytes.clone())), chunkBytes));
    }

    /**
     * Collects the whole content into one array. Only for small objects and tests: memory grows with the
     * object.
     */
    public static Mono<byte[]> toBytes(Flux<ByteBuffer> content) {
        return content.collect(java.io.ByteArrayOutputStream::new, (out, buf) -> {
            ByteBuffer d = buf.duplicate();
            if (d.hasArray()) {
                out.write(d.array(), d.arrayOffset() + d.position(), d.remaining());
            } else {
                byte[] tmp = new byte[d.remaining()];
                d.get(tmp);
                out.write(tmp, 0, tmp.length);
            }
        }).map(java.io.ByteArrayOutputStream::toByteArray);
    }
}
