package io.transflux.connectors;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A local store on 127.0.0.1 playing S3/OSS behind presigned URLs: serves objects (with Content-Length, or
 * chunked, or generated on the fly), S3 XML errors, and connections that die mid-body. Records the headers of
 * every request.
 */
public final class LocalSource implements AutoCloseable {

    /** A canary secret planted in every presigned URL; it must never appear in logs or messages. */
    public static final String CANARY_TOKEN = "CANARYsecurityTOKEN0123456789";

    record Obj(int status, byte[] body, Map<String, String> headers, boolean chunked, long failAfter, long generated,
            String errorCode) {
    }

    private final Map<String, Obj> objects = new ConcurrentHashMap<>();
    public final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    public final List<String> methods = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> headOnly = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final DisposableServer server;
    private final java.util.Set<io.netty.channel.Channel> channels = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

    public LocalSource() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(conn -> {
                    // Called per request on a kept-alive connection: count each channel once.
                    if (channels.add(conn.channel())) {
                        accepted.incrementAndGet();
                        open.incrementAndGet();
                        conn.channel().closeFuture().addListener(f -> open.decrementAndGet());
                    }
                })
                .handle((req, res) -> {
                    Map<String, String> h = new java.util.LinkedHashMap<>();
                    req.requestHeaders().forEach(e -> h.put(e.getKey().toLowerCase(), e.getValue()));
                    requests.add(h);
                    methods.add(req.method().name());
                    String path = req.uri().contains("?") ? req.uri().substring(0, req.uri().indexOf('?')) : req.uri();
                    Obj o = objects.get(path);
                    if (o != null && req.method() == HttpMethod.GET && headOnly.contains(path)) {
                        o = new Obj(403, new byte[0], Map.of(), false, -1, -1, "SignatureDoesNotMatch");
                    }
                    if (o == null) {
                        o = new Obj(404, new byte[0], Map.of(), false, -1, -1, "NoSuchKey");
                    }
                    if (o.status != 200) {
                        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + o.errorCode
                                + "</Code><Message>nope</Message></Error>";
                        return res.status(o.status).header("Content-Type", "application/xml").sendString(Mono.just(xml));
                    }
                    o.headers.forEach(res::header);
                    if (o.generated >= 0) {
                        res.header("Transfer-Encoding", "chunked");
                        return req.method() == HttpMethod.HEAD ? res.send() : res.send(generate(o.generated));
                    }
                    if (!o.chunked) {
                        res.header("Content-Length", Long.toString(o.body.length));
                    }
                    if (req.method() == HttpMethod.HEAD) {
                        return res.send();
                    }
                    Flux<ByteBuf> body = chunks(o.body, o.failAfter < 0 ? o.body.length : (int) o.failAfter);
                    if (o.failAfter >= 0) {
                        body = body.concatWith(Flux.error(new IllegalStateException("source dies mid-body")));
                    }
                    return res.send(body);
                })
                .bindNow(Duration.ofSeconds(10));
    }

    private static Flux<ByteBuf> chunks(byte[] data, int upTo) {
        int step = 16 * 1024;
        return Flux.range(0, (upTo + step - 1) / step)
                .map(i -> Unpooled.wrappedBuffer(data, i * step, Math.min(step, upTo - i * step)));
    }

    /** A repeating, compressible pattern of {@code size} bytes, produced chunk by chunk as the client reads. */
    static Flux<ByteBuf> generate(long size) {
        byte[] pattern = pattern();
        return Flux.generate(() -> 0L, (sent, sink) -> {
            if (sent >= size) {
                sink.complete();
                return sent;
            }
            int n = (int) Math.min(pattern.length, size - sent);
            sink.next(Unpooled.wrappedBuffer(pattern, 0, n));
            return sent + n;
        });
    }

    /** 64 KiB of the generator's pattern (the stream repeats it). */
    public static byte[] pattern() {
        byte[] p = new byte[64 * 1024];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) ("transflux-" .charAt(i % 10) + (i / 4096) % 3);
        }
        return p;
    }

    /** Like a URL presigned for HEAD: a GET of {@code path} gets 403 SignatureDoesNotMatch. */
    public LocalSource headOnly(String path) {
        headOnly.add(path);
        return this;
    }

    public LocalSource put(String path, byte[] body, Map<String, String> headers) {
        objects.put(path, new Obj(200, body, headers, false, -1, -1, ""));
        return this;
    }

    public LocalSource putChunked(String path, byte[] body, Map<String, String> headers) {
        objects.put(path, new Obj(200, body, headers, true, -1, -1, ""));
        return this;
    }

    public LocalSource putFailing(String path, byte[] body, long failAfter) {
        objects.put(path, new Obj(200, body, Map.of(), false, failAfter, -1, ""));
        return this;
    }

    public LocalSource putGenerated(String path, long size) {
        objects.put(path, new Obj(200, new byte[0], Map.of("Content-Type", "text/plain"), true, -1, size, ""));
        return this;
    }

    public LocalSource putError(String path, int status, String code) {
        objects.put(path, new Obj(status, new byte[0], Map.of(), false, -1, -1, code));
        return this;
    }

    public String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A presigned-looking URL with canary credentials; {@code signedHeaders} like {@code host;x-amz-checksum-mode}. */
    public String presigned(String path, String signedHeaders) {
        return base() + path + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDCANARY%2F20260101%2Fus-east-1"
                + "%2Fs3%2Faws4_request&X-Amz-Security-Token=" + CANARY_TOKEN + "&X-Amz-SignedHeaders="
                + signedHeaders.replace(";", "%3B") + "&X-Amz-Signature=CANARYsignature";
    }

    /** TCP connections this server has accepted so far. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Accepted connections not yet closed. */
    public int openConnections() {
        return open.get();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
