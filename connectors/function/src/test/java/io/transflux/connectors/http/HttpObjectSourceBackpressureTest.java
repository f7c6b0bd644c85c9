package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.SourceException;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Demand, cancellation and mid-stream errors as a subscriber sees them, and what the origin sees. */
class HttpObjectSourceBackpressureTest extends OriginTestBase {

    @Test
    void deliversNothingWithoutDemandAndOneChunkPerRequest() {
        origin.then(FaultOrigin.object(random(2 * 1024 * 1024, 20), ETAG));
        ObjectStream stream = source("/o").open().block(WAIT);

        StepVerifier.create(stream.content(), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(200))
                .thenRequest(1)
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(100))
                .thenRequest(1)
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(100))
                .thenRequest(2)
                .expectNextCount(2)
                .expectNoEvent(Duration.ofMillis(100))
                .thenCancel()
                .verifyThenAssertThat(WAIT)
                .hasNotDroppedElements()
                .hasNotDroppedErrors();
    }

    @Test
    void aSubscriberWithoutDemandStopsTheSocketReads() throws InterruptedException {
        long length = 512L * 1024 * 1024;
        AtomicLong produced = new AtomicLong();
        origin.then(FaultOrigin.endless(length, produced));
        ObjectStream stream = source("/o", spec(b -> b.idleReadTimeout(Duration.ofSeconds(30)))).open().block(WAIT);

        StepVerifier.create(stream.content(), 4)
                .expectNextCount(4)
                .then(() -> {
                    // Socket buffers and Reactor Netty's prefetch fill up; then the origin must stall for good.
                    long settled = settle(produced, Duration.ofMillis(400), Duration.ofSeconds(8));
                    sleep(Duration.ofMillis(500));
                    assertThat(produced.get()).as("bytes the origin pushed while the subscriber waited")
                            .isEqualTo(settled)
                            .isLessThan(64L * 1024 * 1024);
                })
                .thenCancel()
                .verify(WAIT);
        assertThat(eventually(() -> origin.connectionsClosed() == 1, Duration.ofSeconds(3))).isTrue();
    }

    @Test
    void cancellingMidStreamClosesTheConnectionInsteadOfPoolingIt() throws InterruptedException {
        byte[] body = random(8 * 1024 * 1024, 21);
        origin.then(FaultOrigin.object(body, ETAG), FaultOrigin.object(body, ETAG));
        ObjectStream stream = source("/o").open().block(WAIT);

        StepVerifier.create(stream.content(), 3)
                .expectNextCount(3)
                .thenCancel()
                .verifyThenAssertThat(WAIT)
                .hasNotDroppedErrors();

        assertThat(eventually(() -> origin.connectionsClosed() == 1, Duration.ofSeconds(2)))
                .as("origin saw the connection close").isTrue();
        assertThat(eventually(() -> pool.acquired() == 0, Duration.ofSeconds(2))).isTrue();

        // The next read gets a fresh connection: the cancelled one went nowhere near the pool.
        assertThat(readAll(source("/o").open().block(WAIT))).isEqualTo(body);
        assertThat(origin.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void aCompletedReadReturnsItsConnectionToThePool() throws InterruptedException {
        byte[] body = random(100_000, 22);
        origin.then(FaultOrigin.object(body, ETAG), FaultOrigin.object(body, ETAG));

        assertThat(readAll(source("/o").open().block(WAIT))).isEqualTo(body);
        // The subscriber completes inside Reactor Netty's termination, just before the release.
        assertThat(eventually(() -> pool.acquired() == 0, Duration.ofSeconds(2))).isTrue();
        assertThat(readAll(source("/o").open().block(WAIT))).isEqualTo(body);

        assertThat(origin.connectionsOpened()).isEqualTo(1);
        assertThat(origin.connectionsClosed()).isZero();
    }

    @Test
    void anErrorMidStreamFollowsTheDeliveredBytes() {
        byte[] body = random(500_000, 23);
        origin.then(FaultOrigin.cut(body, null, 200_000, false));
        ObjectStream stream = source("/o").open().block(WAIT);
        AtomicLong delivered = new AtomicLong();

        StepVerifier.create(stream.content().doOnNext(b -> delivered.addAndGet(b.remaining())))
                .thenConsumeWhile(b -> true)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SourceException.class,
                        se -> assertThat(se.code()).isEqualTo(ErrorCode.SOURCE_UNAVAILABLE)))
                .verifyThenAssertThat(WAIT)
                .hasNotDroppedElements()
                .hasNotDroppedErrors();
        assertThat(delivered.get()).isEqualTo(200_000);
    }

    /** The counter's value once it stayed unchanged for {@code quiet}, polling for at most {@code within}. */
    private static long settle(AtomicLong counter, Duration quiet, Duration within) {
        long end = System.nanoTime() + within.toNanos();
        long last = counter.get();
        while (System.nanoTime() < end) {
            sleep(quiet);
            long now = counter.get();
            if (now == last) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("origin kept sending without demand: " + last + " bytes and counting");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
