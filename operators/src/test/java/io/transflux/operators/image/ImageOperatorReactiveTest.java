package io.transflux.operators.image;

import static io.transflux.operators.image.ImageFixtures.TIMEOUT;
import static io.transflux.operators.image.ImageFixtures.golden;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.StageSpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Demand, cancellation, errors and threads of the image operator. */
class ImageOperatorReactiveTest {

    private static byte[] big;
    private static Scheduler worker;

    @BeforeAll
    static void setUp() {
        // 4000x3000 noisy JPEG: decoding takes long enough to cancel in the middle.
        big = ImageFixtures.jpeg(ImageFixtures.synthetic(4000, 3000));
        worker = Schedulers.newBoundedElastic(2, 16, "image-test");
    }

    @AfterAll
    static void tearDown() {
        worker.dispose();
    }

    @Test
    void zeroDemandEmitsNothingThenOneRequestEmitsOneChunk() {
        Flux<ByteBuffer> out = Images.operator(StageSpec.parse("image/resize,w_100/format,png"), ImageLimits.defaults(),
                worker).apply(ImageFixtures.stream(golden("photo-160x120.jpg")), Limits.defaults()).content();
        StepVerifier.create(out, 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(300))
                .thenRequest(1)
                .assertNext(b -> assertThat(b.remaining()).isPositive().isLessThanOrEqualTo(Limits.DEFAULT_MAX_CHUNK_BYTES))
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(0)
                .verifyComplete();
    }

    @Test
    void errorReachesTheSubscriber() {
        StepVerifier.create(ImageFixtures.op("image/resize,w_10")
                        .apply(ImageFixtures.stream(ImageFixtures.pngHeaderOnly(65535, 1)), Limits.defaults()).content())
                .expectError(LimitExceededException.class)
                .verify(TIMEOUT);
        assertThat(Images.openReaders()).isZero();
    }

    @Test
    void sourceErrorReachesTheSubscriberUnchanged() {
        IllegalStateException boom = new IllegalStateException("source failed");
        Flux<ByteBuffer> failing = Flux.concat(Flux.just(ByteBuffer.wrap(new byte[] {1, 2, 3})), Flux.error(boom));
        StepVerifier.create(ImageFixtures.op("image/resize,w_10").apply(ObjectStream.of(failing)).content())
                .expectErrorMatches(e -> e == boom)
                .verify(TIMEOUT);
    }

    @Test
    void cancelDuringDecodeAbortsAndFreesTheReader() throws InterruptedException {
        Flux<ByteBuffer> out = Images.operator(StageSpec.parse("image/rotate,0/format,png"), ImageLimits.defaults(),
                worker).apply(ImageFixtures.stream(big), Limits.defaults()).content();
        StepVerifier.create(out)
                .expectSubscription()
                .then(() -> awaitOpenReaders(1))
                .thenCancel()
                .verify(TIMEOUT);
        long cancelled = System.nanoTime();
        awaitOpenReaders(0);
        assertThat(Images.openReaders()).isZero();
        // A 12 MP decode takes far longer on this machine; an aborted one stops at the next progress report.
        assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void decodingRunsOnTheWorkerNotTheSubscribingThread() {
        AtomicReference<String> thread = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        Flux<ByteBuffer> out = Images.operator(StageSpec.parse("image/resize,w_40"), ImageLimits.defaults(), worker)
                .apply(ImageFixtures.stream(golden("photo-160x120.jpg")), Limits.defaults()).content();
        byte[] bytes = ByteStreams.toBytes(out.doOnNext(b -> thread.compareAndSet(null,
                Thread.currentThread().getName())).doOnComplete(() -> done.set(true))).block(TIMEOUT);
        assertThat(bytes).isNotEmpty();
        assertThat(done).isTrue();
        assertThat(thread.get()).startsWith("image-test");
    }

    private static void awaitOpenReaders(int expected) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (Images.openReaders() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("openReaders: actual " + Images.openReaders() + ", expected " + expected);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
