package io.transflux.connectors;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The two loopback servers every style talks to. The <b>source</b> serves stored objects at {@code /o/<name>}
 * in 64 KiB slices with a Content-Length, and generated gzip objects at {@code /gz/<decompressed bytes>}; its
 * URLs carry presigned-style query parameters. The <b>WGOR endpoint</b> accepts
 * {@code POST /WriteGetObjectResponse}, counts (and, when asked, CRC32C-checks) the body and discards it; it does
 * not verify SigV4, but every client signs. Deliveries are keyed by {@code x-amz-request-token}.
 */
final class LoopbackRig implements AutoCloseable {

    /** What the WGOR endpoint saw for one token. */
    record Delivery(long bytes, long firstByteNanos, long endNanos, @Nullable String fwdStatus, @Nullable String contentLength,
                    @Nullable String transferEncoding, @Nullable String contentSha256, long crc32c) {
    }

    private static final int SLICE = 64 * 1024;

    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Long>> firstBytes = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Delivery>> deliveries = new ConcurrentHashMap<>();
    private final GeneratedGzip gzip = new GeneratedGzip();
    private final boolean checksumReceived;
    private final DisposableServer source;
    private final DisposableServer wgor;

    LoopbackRig(boolean checksumReceived) {
        this.checksumReceived = checksumReceived;
        source = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/o/{name}", (req, res) -> {
                    byte[] b = objects.get(req.param("name"));
                    if (b == null) {
                        return res.status(404).send();
                    }
                    return res.header("Content-Length", Integer.toString(b.length))
                            .header("Content-Type", "application/octet-stream")
                            .send(Flux.range(0, (b.length + SLICE - 1) / SLICE)
                                    .map(i -> Unpooled.wrappedBuffer(b, i * SLICE, Math.min(SLICE, b.length - i * SLICE))));
                }).get("/gz/{size}", (req, res) -> {
                    long size = Long.parseLong(req.param("size"));
                    return res.header("Content-Length", Long.toString(gzip.compressedLength(size)))
                            .header("Content-Type", "application/gzip")
                            .send(gzip.body(size));
                }))
                .bindNow(Duration.ofSeconds(10));
        wgor = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.post("/WriteGetObjectResponse", (req, res) -> {
                    String token = req.requestHeaders().get("x-amz-request-token", "none");
                    CompletableFuture<Long> first = firstBytes.computeIfAbsent(token, t -> new CompletableFuture<>());
                    AtomicLong count = new AtomicLong();
                    CRC32C crc = new CRC32C();
                    return req.receive().map(b -> {
                        int n = b.readableBytes();
                        if (n > 0 && count.get() == 0) {
                            first.complete(System.nanoTime());
                        }
                        if (this.checksumReceived) {
                            synchronized (crc) {
                                crc.update(b.nioBuffer());
                            }
                        }
                        return count.addAndGet(n);
                    }).then(Mono.defer(() -> {
                        long end = System.nanoTime();
                        first.complete(end);
                        long c;
                        synchronized (crc) {
                            c = crc.getValue();
                        }
                        deliveries.computeIfAbsent(token, t -> new CompletableFuture<>()).complete(new Delivery(count.get(),
                                first.join(), end, req.requestHeaders().get("x-amz-fwd-status"),
                                req.requestHeaders().get("Content-Length"), req.requestHeaders().get("Transfer-Encoding"),
                                req.requestHeaders().get("x-amz-content-sha256"), c));
                        return res.status(200).header("Content-Length", "0").send().then();
                    }));
                }))
                .bindNow(Duration.ofSeconds(10));
    }

    void put(String name, byte[] bytes) {
        objects.put(name, bytes);
    }

    GeneratedGzip gzip() {
        return gzip;
    }

    /** A presigned-style URL of a stored object. */
    String objectUrl(String name) {
        return "http://127.0.0.1:" + source.port() + "/o/" + name + presignQuery();
    }

    /** A presigned-style URL of a generated gzip object; call {@link GeneratedGzip#trailer} first to prepare it. */
    String gzipUrl(long decompressedSize) {
        return "http://127.0.0.1:" + source.port() + "/gz/" + decompressedSize + presignQuery();
    }

    private static String presignQuery() {
        return "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDBENCH%2F20250101%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20250101T000000Z&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
    }

    String wgorEndpoint() {
        return "http://127.0.0.1:" + wgor.port();
    }

    /** Completes when the first body byte of {@code token}'s WGOR arrives (or the body ends empty). */
    CompletableFuture<Long> firstByte(String token) {
        return firstBytes.computeIfAbsent(token, t -> new CompletableFuture<>());
    }

    CompletableFuture<Delivery> delivery(String token) {
        return deliveries.computeIfAbsent(token, t -> new CompletableFuture<>());
    }

    /** Forgets a token once its delivery was read. */
    void forget(String token) {
        firstBytes.remove(token);
        deliveries.remove(token);
    }

    @Override
    public void close() {
        source.disposeNow(Duration.ofSeconds(10));
        wgor.disposeNow(Duration.ofSeconds(10));
    }
}
