package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Pathological inputs stay linear and bounded: each pattern is repeated without a line break (100 MB for plain runs, 16 MB for dense trigger patterns)
 * and fed in 64 KiB chunks; the scanner's buffer must stay within one slice plus the window, and the run
 * must finish well inside a generous timeout (about 30x the time a linear scan needs on a slow machine).
 */
class AdversarialInputTest {

    private static final long SIZE = 100L << 20;
    private static final long SMALL_SIZE = 16L << 20;

    @ParameterizedTest
    @ValueSource(strings = {"a", "1", "@"})
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oneHundredMegabyteLineWithoutDelimitersIsLinearAndBounded(String pattern) {
        run(pattern, SIZE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4", "a@", "a.b@c", "x@a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.", "1 ",
        "1-", "4111 ", "1.1.", "1:", "a:", "::", "0a:", "+1 ", "(", "password=", "password=x", "https://", "https://u:",
        "AKIA", "DE89 ", "/", "\"", "\\", "\u00e9", "\u00ff"})
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void denseTriggerPatternsAreLinearAndBounded(String pattern) {
        run(pattern, SMALL_SIZE);
    }

    private static void run(String pattern, long size) {
        byte[] unit = pattern.getBytes(StandardCharsets.UTF_8);
        byte[] chunk = new byte[64 * 1024 / unit.length * unit.length];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = unit[i % unit.length];
        }
        {
            RedactionScanner s = new RedactionScanner(new DetectorSet(DetectorSet.builtIns(java.util.Set.of())),
                    new Replacer(RedactionSpec.defaults()), Limits.DEFAULT_MAX_CHUNK_BYTES, false, JsonFilter.TEXT);
            long out = 0;
            int maxCapacity = 0;
            for (long fed = 0; fed < size; fed += chunk.length) {
                for (ByteBuffer b : s.feed(ByteBuffer.wrap(chunk))) {
                    out += b.remaining();
                }
                maxCapacity = Math.max(maxCapacity, s.bufferCapacity());
            }
            for (ByteBuffer b : s.finish()) {
                out += b.remaining();
            }
            assertThat(out).isEqualTo((size + chunk.length - 1) / chunk.length * chunk.length);
            assertThat(maxCapacity).isLessThanOrEqualTo(2 * RedactionScanner.SLICE + 4096);
        }
    }

    @Test
    void jsonStringOfOneHundredMegabytesStreamsInBoundedMemory() {
        RedactionSpec spec = RedactionSpec.builder().format(RedactionSpec.Format.JSON).jsonFields("big").build();
        byte[] chunk = "a@b.io 4111111111111111 ".repeat(2730).getBytes(StandardCharsets.US_ASCII);
        AtomicLong masked = new AtomicLong();
        Flux<ByteBuffer> in = Flux.concat(Flux.just(ByteBuffer.wrap("{\"big\":\"".getBytes(StandardCharsets.US_ASCII))),
                Flux.range(0, (int) (SIZE / chunk.length)).map(i -> ByteBuffer.wrap(chunk)),
                Flux.just(ByteBuffer.wrap("\"}".getBytes(StandardCharsets.US_ASCII))));
        Flux<ByteBuffer> out = Redaction.pii(spec).apply(ObjectStream.of(in), Limits.defaults()).content()
                .doOnNext(b -> {
                    for (int i = b.position(); i < b.limit(); i++) {
                        if (b.get(i) == '*') {
                            masked.incrementAndGet();
                        }
                    }
                });
        StepVerifier.create(out.count())
                .assertNext(n -> assertThat(n).isPositive())
                .expectComplete()
                .verify(Duration.ofSeconds(60));
        assertThat(masked.get()).isEqualTo(SIZE / chunk.length * chunk.length);
    }
}
