package io.transflux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

import io.transflux.connectors.FunctionWarmup;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.LocalSource;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.SnapshotContext;
import io.transflux.connectors.WgorEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SnapStart as the Lambda handler sees it: the handler registers its hooks, a checkpoint primes the function
 * without touching the network and closes the pooled source and WGOR connections, and the first invocation after
 * the restore runs on new connections. A real store and a real WGOR endpoint on 127.0.0.1 count the connections
 * they accept and see close.
 */
class S3ObjectLambdaHandlerSnapshotTest {

    static final String SECRET = "CANARYsecretKEY";
    static final String SESSION = "CANARYsessionTOKEN";
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String BODY = "{\"user\":\"jane\",\"email\":\"jane.doe@example.com\",\"n\":1}\n";

    LocalSource source;
    WgorEndpoint wgor;
    SnapshotContext snapshot;

    @BeforeEach
    void start() {
        source = new LocalSource();
        wgor = new WgorEndpoint().verifier(new SigV4Verifier(SECRET, SESSION));
        source.put("/k", BODY.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
        snapshot = new SnapshotContext();
    }

    @AfterEach
    void stop() {
        source.close();
        wgor.close();
    }

    S3ObjectLambdaHandler handler(String pipeline) {
        Map<String, String> env = new HashMap<>(SigV4Verifier.env(wgor.base(), SECRET, SESSION));
        env.put(HttpSourceOpener.ALLOW_ENV, "127.0.0.1");
        env.put(ObjectLambdaFunction.PIPELINE_ENV, pipeline);
        return new S3ObjectLambdaHandler(env, snapshot);
    }

    String invoke(S3ObjectLambdaHandler h) throws Exception {
        String event = "{\"xAmzRequestId\":\"req-1\",\"protocolVersion\":\"1.00\",\"getObjectContext\":{\"inputS3Url\":\""
                + source.presigned("/k", "host") + "\",\"outputRoute\":\"io-euw1-001\",\"outputToken\":\"CANARYout\"},"
                + "\"userRequest\":{\"url\":\"https://ap.example/k\",\"headers\":{}}}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    static void await(IntSupplier value, int expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (value.getAsInt() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(value.getAsInt()).as(what).isEqualTo(expected);
    }

    @Test
    void handlerRegistersItsWarmupWithTheSnapshotContext() {
        S3ObjectLambdaHandler h = handler("redact/pii");

        assertThat(snapshot.registered()).containsExactly(h.warmup());
        assertThat(h.warmup()).isInstanceOf(FunctionWarmup.class);
    }

    @Test
    void invocationAfterRestoreRunsOnFreshSourceAndWgorConnections() throws Exception {
        S3ObjectLambdaHandler h = handler("redact/pii");

        assertThat(invoke(h)).isEqualTo("{\"statusCode\":200}");
        WgorEndpoint.Capture first = wgor.take();
        assertThat(first.signatureValid()).isTrue();
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).doesNotContain("jane.doe@example.com");
        // Both connections went back to their pools, still open: what a snapshot must not carry.
        await(source::openConnections, 1, "source connections open before the checkpoint");
        await(wgor::openConnections, 1, "WGOR connections open before the checkpoint");
        assertThat(source.acceptedConnections()).isEqualTo(1);
        assertThat(wgor.acceptedConnections()).isEqualTo(1);

        snapshot.checkpoint();

        await(source::openConnections, 0, "source connections open after the checkpoint");
        await(wgor::openConnections, 0, "WGOR connections open after the checkpoint");
        // Priming ran offline: no request reached the store or the WGOR endpoint.
        assertThat(source.requests).hasSize(1);
        assertThat(wgor.poll(200)).isNull();

        snapshot.restore();

        assertThat(invoke(h)).isEqualTo("{\"statusCode\":200}");
        WgorEndpoint.Capture second = wgor.take();
        assertThat(second.signatureValid()).isTrue();
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(source.acceptedConnections()).as("a new source connection after the restore").isEqualTo(2);
        assertThat(wgor.acceptedConnections()).as("a new WGOR connection after the restore").isEqualTo(2);
    }

    @Test
    void checkpointPrimesEvenAPipelineThatRefusesTheSample() throws Exception {
        S3ObjectLambdaHandler h = handler("decompress/gzip");

        snapshot.checkpoint();
        snapshot.restore();

        source.put("/k", gzip(BODY), Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));
        assertThat(invoke(h)).isEqualTo("{\"statusCode\":200}");
        assertThat(new String(wgor.take().body(), StandardCharsets.UTF_8)).isEqualTo(BODY);
    }

    static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(b)) {
            z.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }
}
