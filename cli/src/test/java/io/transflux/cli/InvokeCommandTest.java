package io.transflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * {@code transflux invoke} in a child JVM, as a user runs it: a local source streams the object, a local WGOR
 * endpoint counts and checksums what arrives.
 */
class InvokeCommandTest {

    static final long ONE_GIB = 1L << 30;

    @TempDir
    Path dir;

    DisposableServer source;
    DisposableServer wgor;
    final AtomicLong received = new AtomicLong();
    final CRC32C receivedCrc = new CRC32C();
    final AtomicBoolean complete = new AtomicBoolean();
    volatile Map<String, String> wgorHeaders = Map.of();

    static byte[] pattern() {
        byte[] p = new byte[64 * 1024];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) ('a' + (i * 7 + i / 1000) % 26);
        }
        return p;
    }

    @BeforeEach
    void start() {
        byte[] p = pattern();
        source = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/big", (req, res) -> res.header("Content-Type", "text/plain")
                        .send(Flux.<ByteBuf, Long>generate(() -> 0L, (sent, sink) -> {
                            if (sent >= ONE_GIB) {
                                sink.complete();
                                return sent;
                            }
                            sink.next(Unpooled.wrappedBuffer(p));
                            return sent + p.length;
                        })))
                        .get("/small", (req, res) -> res.header("Content-Length", "5").sendString(Mono.just("hello"))))
                .bindNow(Duration.ofSeconds(10));
        wgor = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> {
                    Map<String, String> h = new java.util.HashMap<>();
                    req.requestHeaders().forEach(e -> h.put(e.getKey().toLowerCase(), e.getValue()));
                    wgorHeaders = h;
                    return req.receive().map(b -> {
                        int n = b.readableBytes();
                        synchronized (receivedCrc) {
                            receivedCrc.update(b.nioBuffer());
                        }
                        return received.addAndGet(n);
                    }).then(Mono.defer(() -> {
                        complete.set(true);
                        return res.status(200).header("Content-Length", "0").send().then();
                    }));
                })
                .bindNow(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        source.disposeNow(Duration.ofSeconds(10));
        wgor.disposeNow(Duration.ofSeconds(10));
    }

    record Result(int exit, String stdout, String stderr) {
    }

    Result invoke(String xmx, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(ChildJvm.command(List.of(xmx, "-XX:MaxDirectMemorySize=64m"), "invoke"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> copy(p.getErrorStream(), err));
        t.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copy(p.getInputStream(), out);
        assertThat(p.waitFor(170, TimeUnit.SECONDS)).as("invoke finished").isTrue();
        t.join(10_000);
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Map<String, String> env() {
        return Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIDTEST", "AWS_SECRET_ACCESS_KEY", "secret",
                "AWS_SESSION_TOKEN", "CANARYsession", "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + wgor.port());
    }

    Path event(String path) throws Exception {
        String url = "http://127.0.0.1:" + source.port() + path + "?X-Amz-Security-Token=CANARYtoken&X-Amz-SignedHeaders=host";
        return Files.writeString(dir.resolve("event.json"), "{\"xAmzRequestId\":\"r1\",\"protocolVersion\":\"1.00\","
                + "\"getObjectContext\":{\"inputS3Url\":\"" + url + "\",\"outputRoute\":\"io-local-1\","
                + "\"outputToken\":\"CANARYoutputToken\"},\"userRequest\":{\"url\":\"https://x" + path + "\",\"headers\":{}}}");
    }

    @Test
    @Tag("load") // a capacity test: CI runs it once, on the first JDK pass
    void oneGibibyteStreamsThroughInvokeWithA128MebibyteHeap() throws Exception {
        byte[] p = pattern();
        CRC32C expected = new CRC32C();
        for (long i = 0; i < ONE_GIB / p.length; i++) {
            expected.update(p);
        }
        String expectedB64 = Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) expected.getValue()).array());

        long t0 = System.nanoTime();
        Result r = invoke("-Xmx128m", env(), "--flavor", "s3", "--event", event("/big").toString(),
                "--allow-source-host", "127.0.0.1");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;

        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(complete.get()).isTrue();
        assertThat(received.get()).isEqualTo(ONE_GIB);
        synchronized (receivedCrc) {
            assertThat(receivedCrc.getValue()).isEqualTo(expected.getValue());
        }
        assertThat(wgorHeaders).containsEntry("transfer-encoding", "chunked").containsEntry("x-amz-fwd-status", "200");
        assertThat(r.stderr()).contains("bytesOut=" + ONE_GIB).contains("crc32c=" + expectedB64).doesNotContain("CANARY");
        assertThat(seconds).as("wall time in seconds").isLessThan(170);
    }

    @Test
    void localSourceIsRefusedWithoutAnExplicitAllowance() throws Exception {
        Result r = invoke("-Xmx128m", env(), "--flavor", "s3", "--event", event("/small").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("error: SourceNotAllowed").doesNotContain("CANARY");
        assertThat(wgorHeaders).containsEntry("x-amz-fwd-status", "403");
    }

    @Test
    void aMalformedOssEventIsAnswered400NotStatusZero(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path ev = java.nio.file.Files.writeString(dir.resolve("event.json"),
                "{\"getObjectContext\":{\"inputOssUrl\":42}}");
        Result r = invoke("-Xmx128m", Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAItest", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                "secret"), "--flavor", "oss", "--event", ev.toString());
        assertThat(r.stdout().trim()).isEqualTo("{\"statusCode\":400}");
        assertThat(r.exit()).isEqualTo(1);
    }
}
