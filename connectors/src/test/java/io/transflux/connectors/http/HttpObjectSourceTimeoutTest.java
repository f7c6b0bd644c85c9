package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.SourceException;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Response, idle-read and total-deadline timeouts, and what happens to content nobody reads. */
class HttpObjectSourceTimeoutTest extends OriginTestBase {

    private final byte[] body = random(200_000, 9);

    @Test
    void timesOutWhenTheHeadersDoNotArrive() {
        origin.otherwise(FaultOrigin.delayed(Duration.ofSeconds(3), body, ETAG));
        long start = System.nanoTime();

        assertThatThrownBy(() -> source("/o", spec(b -> b.responseTimeout(Duration.ofMillis(200)).maxResumes(1)))
                .open().block(WAIT))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_TIMEOUT);
                    assertThat(e).hasMessageContaining("gave up after 1 of 1 retries");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(origin.requests()).hasSize(2);
    }

    @Test
    void resumesFromTheStartWhenTheBodyStallsAfterTheHeaders() {
        origin.then(FaultOrigin.stallAfterHeaders(body, ETAG), FaultOrigin.object(body, ETAG));

        ObjectStream stream = source("/o", spec(b -> b.idleReadTimeout(Duration.ofMillis(300)))).open().block(WAIT);

        assertThat(readAll(stream)).isEqualTo(body);
        assertThat(origin.requests().get(1).header(HttpHeaderNames.RANGE)).isEqualTo("bytes=0-");
    }

    @Test
    void failsWithTimeoutWhenTheBodyKeepsStalling() {
        origin.otherwise(FaultOrigin.stallAfterHeaders(body, ETAG));
        ObjectStream stream = source("/o", spec(b -> b.idleReadTimeout(Duration.ofMillis(200)).maxResumes(2)))
                .open().block(WAIT);
        long start = System.nanoTime();

        StepVerifier.create(stream.content())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SourceException.class, se -> {
                    assertThat(se.code()).isEqualTo(ErrorCode.SOURCE_TIMEOUT);
                    assertThat(se).hasMessageContaining("no body bytes for PT0.2S");
                }))
                .verify(WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(origin.requests()).hasSize(3);
    }

    @Test
    void tripsTheTotalDeadlineOnATricklingSource() {
        // One byte every 20 ms never trips a 1 s idle timeout; only the total deadline stops it.
        origin.then(FaultOrigin.trickle(random(10_000, 10), ETAG, Duration.ofMillis(20)));
        ObjectStream stream = source("/o", spec(b -> b.idleReadTimeout(Duration.ofSeconds(1))
                .totalDeadline(Duration.ofMillis(800)))).open().block(WAIT);
        long start = System.nanoTime();

        StepVerifier.create(stream.content())
                .thenConsumeWhile(b -> true)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SourceException.class, se -> {
                    assertThat(se.code()).isEqualTo(ErrorCode.SOURCE_TIMEOUT);
                    assertThat(se).hasMessageContaining("total deadline of PT0.8S");
                }))
                .verify(WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void tripsTheTotalDeadlineOnAStallWithALongIdleTimeout() {
        origin.then(FaultOrigin.stallAfterHeaders(body, ETAG));
        ObjectStream stream = source("/o", spec(b -> b.idleReadTimeout(Duration.ofSeconds(20))
                .totalDeadline(Duration.ofMillis(500)))).open().block(WAIT);

        StepVerifier.create(stream.content())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SourceException.class,
                        se -> assertThat(se.code()).isEqualTo(ErrorCode.SOURCE_TIMEOUT)))
                .verify(Duration.ofSeconds(2));
    }

    @Test
    void tripsTheTotalDeadlineBeforeTheHeaders() {
        origin.then(FaultOrigin.delayed(Duration.ofSeconds(5), body, ETAG));

        assertThatThrownBy(() -> source("/o", spec(b -> b.totalDeadline(Duration.ofMillis(300)))).open()
                .block(Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_TIMEOUT);
                    assertThat(e).hasMessageContaining("before the response");
                });
    }

    @Test
    void aSlowSubscriberDoesNotTripTheIdleTimeout() {
        origin.then(FaultOrigin.object(body, ETAG));
        ObjectStream stream = source("/o", spec(b -> b.idleReadTimeout(Duration.ofMillis(200)))).open().block(WAIT);

        StepVerifier.create(stream.content(), 1)
                .expectNextCount(1)
                .thenAwait(Duration.ofMillis(800))
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(b -> true)
                .expectComplete()
                .verify(WAIT);
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void closesTheConnectionWhenTheContentIsNeverSubscribed() throws InterruptedException {
        byte[] large = random(4 * 1024 * 1024, 11);
        origin.then(FaultOrigin.object(large, ETAG));
        ObjectStream stream = source("/o", spec(b -> b.idleReadTimeout(Duration.ofMillis(300)))).open().block(WAIT);

        assertThat(eventually(() -> origin.connectionsClosed() == 1, Duration.ofSeconds(3))).isTrue();

        StepVerifier.create(stream.content())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SourceException.class, se -> {
                    assertThat(se.code()).isEqualTo(ErrorCode.SOURCE_TIMEOUT);
                    assertThat(se).hasMessageContaining("content not subscribed");
                }))
                .verify(WAIT);
    }

    @Test
    void freesASmallUnreadBodyWhenTheContentIsNeverSubscribed() throws InterruptedException {
        origin.then(FaultOrigin.object(new byte[] {1, 2, 3}, ETAG));
        ObjectStream stream = source("/o", spec(b -> b.idleReadTimeout(Duration.ofMillis(200)))).open().block(WAIT);

        Thread.sleep(500);

        StepVerifier.create(stream.content())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SourceException.class))
                .verify(WAIT);
    }
}
