package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/** Reactive behaviour of redact/pii and redact/detect: demand, cancel, errors, spool limits. */
class RedactionStreamTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Limits SMALL = Limits.builder().maxChunkBytes(512).build();

    private static ByteBuffer buf(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }

    @Test
    void honoursDemandOneChunkAtATime() {
        byte[] doc = "mail jane@example.com; ".repeat(200).getBytes(StandardCharsets.UTF_8); // 4600 bytes
        Operator op = Redaction.pii(RedactionSpec.defaults());
        Flux<ByteBuffer> out = op.apply(ObjectStream.of(ByteStreams.fromBytes(doc, 1000)), SMALL).content();
        StepVerifier.create(out, 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(1)
                .assertNext(b -> assertThat(b.remaining()).isBetween(1, 512))
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(1)
                .assertNext(b -> assertThat(text(b)).doesNotContain("jane@"))
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(b -> b.remaining() <= 512 && !text(b).contains("@example"))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void cancelMidStreamCancelsTheSource() {
        TestPublisher<ByteBuffer> src = TestPublisher.create();
        Flux<ByteBuffer> out = Redaction.pii(RedactionSpec.defaults())
                .apply(ObjectStream.of(src.flux()), SMALL).content();
        StepVerifier.create(out, 1)
                .then(() -> src.next(buf("x".repeat(2000))))
                .assertNext(b -> assertThat(b.remaining()).isPositive())
                .thenCancel()
                .verify(TIMEOUT);
        src.assertCancelled();
    }

    @Test
    void errorMidStreamPropagatesAfterReleasedBytes() {
        Flux<ByteBuffer> in = Flux.just(buf("a".repeat(3000))).concatWith(Mono.error(new IllegalStateException("boom")));
        StepVerifier.create(Redaction.pii(RedactionSpec.defaults()).apply(ObjectStream.of(in), SMALL).content())
                .thenConsumeWhile(b -> true)
                .expectErrorMessage("boom")
                .verify(TIMEOUT);
    }

    @Test
    void throwingDetectorFailsTheStreamWithInternalError() {
        EntityDetector broken = new EntityDetector() {
            @Override
            public String entityType() {
                return "BROKEN";
            }

            @Override
            public byte[] triggerBytes() {
                return new byte[] {'!'};
            }

            @Override
            public boolean wordStartOnly() {
                return false;
            }

            @Override
            public int maxLookaheadBytes() {
                return 1;
            }

            @Override
            public long find(ScanWindow w, int at) {
                throw new IllegalArgumentException("model crashed");
            }
        };
        Operator op = Redaction.pii(RedactionSpec.builder().addDetector(broken).build());
        StepVerifier.create(op.apply(ObjectStream.of(Flux.just(buf("ok ok ! ok"))), SMALL).content())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(io.transflux.pipeline.PipelineException.class)
                        .hasMessageContaining("detector BROKEN")
                        .hasMessageContaining("offset 6"))
                .verify(TIMEOUT);
    }

    @Test
    void detectPassesCleanObjectsUnchangedAndDeletesTheSpool() {
        long before = spoolFiles();
        byte[] doc = "nothing to see, order ORD-12345678 at 2024-05-01T12:34:56Z\n".repeat(100)
                .getBytes(StandardCharsets.UTF_8);
        Flux<ByteBuffer> out = Redaction.detect(RedactionSpec.defaults())
                .apply(ObjectStream.of(ByteStreams.fromBytes(doc, 700)), SMALL).content();
        StepVerifier.create(ByteStreams.toBytes(out))
                .assertNext(b -> assertThat(b).isEqualTo(doc))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(spoolFiles()).isEqualTo(before);
    }

    @Test
    void detectRefusesDocumentsWithPiiBeforeReleasingAnyByte() {
        long before = spoolFiles();
        Flux<ByteBuffer> in = Flux.just(buf("clean ".repeat(500)), buf("then ssn 123-45-6789 here"));
        StepVerifier.create(Redaction.detect(RedactionSpec.defaults()).apply(ObjectStream.of(in), SMALL).content())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(PiiDetectedException.class)
                        .hasMessage("Document contains PII: SSN at byte offset 3009")
                        .satisfies(x -> assertThat(((PiiDetectedException) x).code()).isEqualTo(ErrorCode.ACCESS_DENIED)))
                .verify(TIMEOUT);
        assertThat(spoolFiles()).isEqualTo(before);
    }

    @Test
    void detectIgnoresUnselectedTypesAndAllowListedValues() {
        RedactionSpec spec = RedactionSpec.builder().entityTypes("SSN", "EMAIL").allow("noreply@example.com").build();
        Flux<ByteBuffer> in = Flux.just(buf("ip 10.0.0.1 from noreply@example.com"));
        StepVerifier.create(Redaction.detect(spec).apply(ObjectStream.of(in), SMALL).content().map(RedactionStreamTest::text))
                .expectNext("ip 10.0.0.1 from noreply@example.com")
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void detectFailsBeyondTheSpoolLimitWithoutReleasingBytes() {
        long before = spoolFiles();
        RedactionSpec spec = RedactionSpec.builder().maxSpoolBytes(4096).build();
        Flux<ByteBuffer> in = ByteStreams.fromBytes(new byte[10_000], 1000);
        StepVerifier.create(Redaction.detect(spec).apply(ObjectStream.of(in), SMALL).content())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                        .hasMessageStartingWith("maxSpoolBytes: reached 5000 > limit 4096 bytes"))
                .verify(TIMEOUT);
        assertThat(spoolFiles()).isEqualTo(before);
    }

    @Test
    void detectCancelDuringReplayDeletesTheSpool() {
        long before = spoolFiles();
        Flux<ByteBuffer> out = Redaction.detect(RedactionSpec.defaults())
                .apply(ObjectStream.of(ByteStreams.fromBytes(new byte[5000], 1000)), SMALL).content();
        StepVerifier.create(out, 0)
                .expectSubscription()
                .thenRequest(1)
                .assertNext(b -> assertThat(b.remaining()).isEqualTo(512))
                .thenCancel()
                .verify(TIMEOUT);
        assertThat(spoolFiles()).isEqualTo(before);
    }

    private static long spoolFiles() {
        try (Stream<Path> s = Files.list(Paths.get(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("transflux-detect-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void outputChunksNeverExceedTheLimit() {
        RedactionSpec spec = RedactionSpec.builder().mode(RedactionMode.TYPE).build();
        List<ByteBuffer> chunks = Redaction.pii(spec)
                .apply(ObjectStream.of(Flux.just(ByteBuffer.wrap("a@b.io ".repeat(20_000).getBytes(StandardCharsets.UTF_8)))), SMALL)
                .content().collectList().block(TIMEOUT);
        assertThat(chunks).allSatisfy(b -> assertThat(b.remaining()).isBetween(1, 512));
    }
}
