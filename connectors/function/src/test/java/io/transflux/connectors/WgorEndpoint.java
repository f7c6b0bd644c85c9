package io.transflux.connectors;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.handler.codec.http.LastHttpContent;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A local WriteGetObjectResponse endpoint (S3 {@code POST /WriteGetObjectResponse} and OSS
 * {@code POST /?x-oss-write-get-object-response}) on 127.0.0.1. It records headers, the body (digest, count,
 * and the bytes up to 16 MiB), chunked trailers and whether the body ended properly, checks the signature
 * with the verifier it is given, and answers 200 (403 on a bad signature).
 */
public final class WgorEndpoint implements AutoCloseable {

    static final int KEEP_BYTES = 16 * 1024 * 1024;

    /** What one WGOR request carried. Header names are lower-case. */
    public record Capture(String method, String uri, Map<String, String> headers, byte[] body, long bodyBytes,
            String sha256, Map<String, String> trailers, boolean complete, boolean signatureValid) {

        public @Nullable String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** The request as the verifier sees it. */
    public record Request(String method, String uri, Map<String, String> headers) {
    }

    private static final AttributeKey<Map<String, String>> TRAILERS = AttributeKey.valueOf("wgor-trailers");
    private final BlockingQueue<Capture> captures = new LinkedBlockingQueue<>();
    private final DisposableServer server;
    private final java.util.Set<io.netty.channel.Channel> channels = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Function<Request, Boolean> verifier = r -> true;

    public WgorEndpoint() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .doOnConnection(conn -> {
                    // Called per request on a kept-alive connection: count each channel once.
                    if (channels.add(conn.channel())) {
                        accepted.incrementAndGet();
                        open.incrementAndGet();
                        conn.channel().closeFuture().addListener(f -> open.decrementAndGet());
                    }
                })
                // Reactor Netty does not surface request trailers: read them off the LastHttpContent ourselves.
                .doOnConnection(conn -> conn.addHandlerFirst("trailer-capture", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                        if (msg instanceof LastHttpContent l && !l.trailingHeaders().isEmpty()) {
                            Map<String, String> t = new LinkedHashMap<>();
                            l.trailingHeaders().forEach(e -> t.put(e.getKey().toLowerCase(), e.getValue()));
                            ctx.channel().attr(TRAILERS).set(t);
                        }
                        super.channelRead(ctx, msg);
                    }
                }))
                .handle((req, res) -> {
                    Map<String, String> h = new LinkedHashMap<>();
                    req.requestHeaders().forEach(e -> h.merge(e.getKey().toLowerCase(), e.getValue(), (a, b) -> a + "," + b));
                    Map<String, String> trailers = new LinkedHashMap<>();
                    MessageDigest sha = sha256();
                    java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
                    long[] count = {0};
                    String method = req.method().name();
                    String uri = req.uri();
                    return req.receiveContent()
                            .map(c -> {
                                {
                                    ByteBuf b = c.content();
                                    byte[] a = new byte[b.readableBytes()];
                                    b.getBytes(b.readerIndex(), a);
                                    sha.update(a);
                                    count[0] += a.length;
                                    if (kept.size() + a.length <= KEEP_BYTES) {
                                        kept.write(a, 0, a.length);
                                    }
                                    if (c instanceof LastHttpContent l) {
                                        l.trailingHeaders().forEach(e -> trailers.put(e.getKey().toLowerCase(), e.getValue()));
                                    }
                                }
                                return 1;
                            })
                            .then(Mono.defer(() -> {
                                Map<String, String> t = ((reactor.netty.Connection) req).channel().attr(TRAILERS).getAndSet(null);
                                if (t != null) {
                                    trailers.putAll(t);
                                }
                                boolean valid = verifier.apply(new Request(method, uri, h));
                                captures.add(new Capture(method, uri, h, kept.toByteArray(), count[0],
                                        HexFormat.of().formatHex(sha.digest()), trailers, true, valid));
                                return res.status(valid ? 200 : 403).header("Content-Length", "0").send().then();
                            }))
                            .onErrorResume(e -> {
                                captures.add(new Capture(method, uri, h, kept.toByteArray(), count[0],
                                        HexFormat.of().formatHex(sha.digest()), trailers, false, false));
                                return Mono.empty();
                            });
                })
                .bindNow(Duration.ofSeconds(10));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public WgorEndpoint verifier(Function<Request, Boolean> verifier) {
        this.verifier = verifier;
        return this;
    }

    public String base() {
        return "http://127.0.0.1:" + server.port();
    }

    public int port() {
        return server.port();
    }

    /** The next captured request, waiting at most 10 s. */
    public Capture take() throws InterruptedException {
        Capture c = captures.poll(10, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no WGOR request arrived within 10 s");
        }
        return c;
    }

    /** Whether another request arrives within {@code ms}. */
    public @Nullable Capture poll(long ms) throws InterruptedException {
        return captures.poll(ms, TimeUnit.MILLISECONDS);
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
