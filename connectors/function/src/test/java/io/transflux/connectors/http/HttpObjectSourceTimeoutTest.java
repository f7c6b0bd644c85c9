package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

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
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(origin.requests()).hasSize(2);
    }

    @Test
    void timesOutConnectingToAListenerThatNeverAccepts() throws IOException {
        // A listener with a full accept queue: Linux drops further SYNs, so connect() hangs.
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(listener.getLocalSocketAddress(), 200);
                        fillers.add(s);
                    } catch (IOException full) {
                        s.close();
                        break;
                    }
                }
                HttpObjectSource source = HttpObjectSource.builder("http://127.0.0.1:" + listener.getLocalPort() + "/o")
                        .client(client).spec(spec(b -> b.connectTimeout(Duration.ofMillis(200)).maxResumes(0))).build();
                long start = System.nanoTime();

                assertThatThrownBy(() -> source.open().block(WAIT))
                        .isInstanceOfSatisfying(SourceException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_TIMEOUT));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
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
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        assertThat(origin.requests()).hasSize(3);
    }

    @Test
    void tripsTheTotalDeadlineOnATricklingSource() {
        // One byte every 20 ms never trips a 3 s idle timeout; only the total deadline stops it.
        origin.then(FaultOrigin.trickle(random(10_000, 10), ETAG, Duration.ofMillis(20)));
        AtomicLong delivered = new AtomicLong();
        long start = System.nanoTime();

        StepVerifier.create(source("/o", spec(b -> b.idleReadTimeout(Duration.ofSeconds(3))
                        .totalDeadline(Duration.ofSeconds(2)))).open()
                        .flatMapMany(ObjectStream::content)
                        .doOnNext(b -> delivered.addAndGet(b.remaining())))
                .thenConsumeWhile(b -> true)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SourceException.class, se -> {
                    assertThat(se.code()).isEqualTo(ErrorCode.SOURCE_TIMEOUT);
                    assertThat(se).hasMessageContaining("total deadline of PT2S");
                }))
                .verify(WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(6));
        assertThat(delivered.get()).as("bytes trickled in before the deadline").isBetween(1L, 9_999L);
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void tripsTheTotalDeadlineOnAStallWithALongIdleTimeout() {
        origin.then(FaultOrigin.stallAfterHeaders(body, ETAG));
        ObjectStream stream = source("/o", spec(b -> b.idleReadTimeout(Duration.ofSeconds(20))
                .totalDeadline(Duration.ofSeconds(1)))).open().block(WAIT);

        StepVerifier.create(stream.content())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SourceException.class,
                        se -> assertThat(se.code()).isEqualTo(ErrorCode.SOURCE_TIMEOUT)))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void tripsTheTotalDeadlineBeforeTheHeaders() {
        origin.then(FaultOrigin.delayed(Duration.ofSeconds(10), body, ETAG));

        assertThatThrownBy(() -> source("/o", spec(b -> b.totalDeadline(Duration.ofMillis(300)))).open()
                .block(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_TIMEOUT);
                    assertThat(e).hasMessageContaining("before the response");
                });
    }

    @Test
    void aSlowSubscriberDoesNotTripTheIdleTimeout() {
        origin.then(FaultOrigin.object(body, ETAG));
        ObjectStream stream = source("/o", spec(b -> b.idleReadTimeout(Duration.ofMillis(500)))).open().block(WAIT);

        StepVerifier.create(stream.content(), 1)
                .expectNextCount(1)
                .thenAwait(Duration.ofMillis(1500))
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
