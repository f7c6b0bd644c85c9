package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import io.transflux.pipeline.ObjectStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Flux;
import reactor.netty.resources.ConnectionProvider;

/**
 * Network tests: a fresh {@link FaultOrigin} and a probed connection pool per test. After each test
 * the pool must have no acquired connection left (within a bound) before everything is disposed.
 */
abstract class OriginTestBase {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String ETAG = "\"3858f62230ac3c915f300c664312c63f\"";

    FaultOrigin origin;
    PoolProbe pool;
    ConnectionProvider provider;
    HttpSourceClient client;

    @BeforeEach
    void startOrigin() {
        origin = FaultOrigin.start();
        pool = new PoolProbe();
        provider = ConnectionProvider.builder("test-" + getClass().getSimpleName())
                .maxConnections(4)
                .pendingAcquireTimeout(Duration.ofSeconds(2))
                .metrics(true, () -> pool)
                .build();
        client = HttpSourceClient.using(provider);
    }

    @AfterEach
    void stopOrigin() throws InterruptedException {
        try {
            assertThat(eventually(() -> pool.acquired() == 0, WAIT))
                    .as("connections still acquired after the test: %s", pool.acquired()).isTrue();
        } finally {
            client.dispose();
            provider.disposeLater().block(WAIT);
            origin.close();
        }
    }

    /** A spec for tests: loopback allowed, short backoff, the given changes applied. */
    static HttpSourceSpec spec(UnaryOperator<HttpSourceSpec.Builder> changes) {
        return changes.apply(HttpSourceSpec.builder()
                .hostGuard(HostGuard.publicOnly().allowLoopback())
                .resumeBackoff(Duration.ofMillis(5), Duration.ofMillis(20))).build();
    }

    HttpObjectSource source(String pathAndQuery) {
        return source(pathAndQuery, spec(b -> b));
    }

    HttpObjectSource source(String pathAndQuery, HttpSourceSpec spec) {
        return HttpObjectSource.builder(origin.url(pathAndQuery)).client(client).spec(spec).build();
    }

    static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] readAll(ObjectStream stream) {
        return collect(stream.content());
    }

    static byte[] collect(Flux<ByteBuffer> content) {
        return content.reduce(new ByteArrayOutputStream(), (out, buf) -> {
            byte[] chunk = new byte[buf.remaining()];
            buf.get(chunk);
            out.write(chunk, 0, chunk.length);
            return out;
        }).map(ByteArrayOutputStream::toByteArray).block(WAIT);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static boolean eventually(BooleanSupplier condition, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
