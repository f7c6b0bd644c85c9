package io.transflux.connectors.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A scripted origin on 127.0.0.1, random port: each request takes the next {@link Reply} from the
 * script (or the fallback once the script is empty), every request is recorded with its raw request
 * target and headers, and connection opens and closes are counted. The replies inject the faults of
 * docs/reliability.md §10: FIN or RST mid-body, Range ignored, stalls, trickles, error bodies.
 */
final class FaultOrigin implements AutoCloseable {

    /** One scripted answer. */
    @FunctionalInterface
    interface Reply extends BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {
    }

    /** A request as the origin saw it. */
    record Recorded(String uri, HttpHeaders headers) {
        @Nullable String header(CharSequence name) {
            return headers.get(name);
        }
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private static final Pattern CLOSED_RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");
    private static final int PIECE = 16 * 1024;

    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final AtomicInteger connectionsClosed = new AtomicInteger();
    private volatile Reply fallback = status(500, "<Error><Code>NoScript</Code></Error>");
    private final DisposableServer server;

    private FaultOrigin() {
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .doOnConnection(conn -> {
                    // Called per request on a kept-alive connection: count each channel once.
                    if (channels.add(conn.channel())) {
                        connectionsOpened.incrementAndGet();
                        conn.channel().closeFuture().addListener(f -> connectionsClosed.incrementAndGet());
                    }
                })
                .handle((req, res) -> {
                    requests.add(new Recorded(req.uri(), req.requestHeaders().copy()));
                    Reply next = script.poll();
                    return (next != null ? next : fallback).apply(req, res);
                })
                .bindNow(Duration.ofSeconds(10));
    }

    static FaultOrigin start() {
        return new FaultOrigin();
    }

    /** Appends replies to the script, used one per request in order. */
    FaultOrigin then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** The reply once the script is used up. */
    FaultOrigin otherwise(Reply reply) {
        this.fallback = reply;
        return this;
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.port() + pathAndQuery;
    }

    int port() {
        return server.port();
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    int connectionsOpened() {
        return connectionsOpened.get();
    }

    int connectionsClosed() {
        return connectionsClosed.get();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }

    // ---- replies -------------------------------------------------------------------------------------

    /** The object, honouring {@code Range: bytes=N-} with a 206. */
    static Reply object(byte[] body, @Nullable String etag) {
        return object(body, etag, Map.of());
    }

    static Reply object(byte[] body, @Nullable String etag, Map<String, String> headers) {
        return (req, res) -> {
            int start = rangeStart(req);
            headers.forEach(res::header);
            prepare(res, body, etag, start);
            return res.send(pieces(body, Math.max(start, 0), body.length)).then();
        };
    }

    /** Like {@link #object} but the connection ends after {@code bytes} body bytes: FIN or, with rst, RST. */
    static Reply cut(byte[] body, @Nullable String etag, int bytes, boolean rst) {
        return (req, res) -> {
            int start = rangeStart(req);
            prepare(res, body, etag, start);
            int from = Math.max(start, 0);
            int end = Math.min(body.length, from + bytes);
            return res.send(pieces(body, from, end)).then()
                    .then(Mono.<Void>fromRunnable(() -> res.withConnection(c -> {
                        if (rst) {
                            c.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                        }
                        c.channel().close();
                    })))
                    .then(Mono.never());
        };
    }

    /**
     * The object, honouring closed ranges {@code Range: bytes=a-b} with a 206 and {@code If-Match} with a
     * 412 when it names another ETag; without Range, the whole object.
     */
    static Reply ranges(byte[] body, String etag) {
        return (req, res) -> {
            String ifMatch = req.requestHeaders().get(HttpHeaderNames.IF_MATCH);
            if (ifMatch != null && !ifMatch.equals(etag)) {
                return res.status(412).send().then();
            }
            res.header(HttpHeaderNames.ETAG, etag);
            String range = req.requestHeaders().get(HttpHeaderNames.RANGE);
            Matcher m = range == null ? null : CLOSED_RANGE.matcher(range);
            if (m == null || !m.matches()) {
                res.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
                return res.send(pieces(body, 0, body.length)).then();
            }
            int first = Integer.parseInt(m.group(1));
            int last = Math.min(body.length - 1, Integer.parseInt(m.group(2)));
            res.status(HttpResponseStatus.PARTIAL_CONTENT)
                    .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(last - first + 1))
                    .header(HttpHeaderNames.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + body.length);
            return res.send(pieces(body, first, last + 1)).then();
        };
    }

    /** Always 200 with the whole object, whatever Range says. */
    static Reply ignoringRange(byte[] body, @Nullable String etag) {
        return (req, res) -> {
            prepare(res, body, etag, -1);
            return res.send(pieces(body, 0, body.length)).then();
        };
    }

    static Reply status(int status, String body) {
        return (req, res) -> res.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/xml")
                .sendString(Mono.just(body), StandardCharsets.UTF_8).then();
    }

    /** Headers announcing the object (206 for a Range request), then silence. */
    static Reply stallAfterHeaders(byte[] body, @Nullable String etag) {
        return (req, res) -> {
            prepare(res, body, etag, rangeStart(req));
            return res.sendHeaders().then().then(Mono.never());
        };
    }

    /** No headers for {@code delay}, then the object. */
    static Reply delayed(Duration delay, byte[] body, @Nullable String etag) {
        Reply inner = object(body, etag);
        return (req, res) -> Mono.delay(delay).then(Mono.from(inner.apply(req, res)));
    }

    /** One byte every {@code interval}. */
    static Reply trickle(byte[] body, @Nullable String etag, Duration interval) {
        return (req, res) -> {
            prepare(res, body, etag, -1);
            return res.send(Flux.interval(interval).take(body.length)
                    .map(i -> Unpooled.wrappedBuffer(body, (int) (long) i, 1))).then();
        };
    }

    /**
     * {@code length} bytes of a repeated pattern; {@code produced} counts what the server's send loop
     * pulled, i.e. what the socket accepted plus Reactor Netty's small prefetch.
     */
    static Reply endless(long length, AtomicLong produced) {
        byte[] pattern = new byte[PIECE];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) i;
        }
        return (req, res) -> {
            res.status(200).header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length))
                    .header(HttpHeaderNames.ETAG, "\"endless\"");
            long pieces = (length + PIECE - 1) / PIECE;
            return res.send(Flux.range(0, (int) pieces).map(i -> {
                int n = (int) Math.min(PIECE, length - (long) i * PIECE);
                produced.addAndGet(n);
                return Unpooled.wrappedBuffer(pattern, 0, n);
            })).then();
        };
    }

    /** Status and headers; {@code start} is the Range start, -1 for a plain 200. */
    private static void prepare(HttpServerResponse res, byte[] body, @Nullable String etag, int start) {
        if (etag != null) {
            res.header(HttpHeaderNames.ETAG, etag);
        }
        res.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length - Math.max(start, 0)));
        if (start >= 0) {
            res.status(HttpResponseStatus.PARTIAL_CONTENT).header(HttpHeaderNames.CONTENT_RANGE,
                    "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
        }
    }

    private static int rangeStart(HttpServerRequest req) {
        String range = req.requestHeaders().get(HttpHeaderNames.RANGE);
        if (range == null) {
            return -1;
        }
        Matcher m = RANGE.matcher(range);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static Flux<ByteBuf> pieces(byte[] body, int from, int to) {
        int count = (to - from + PIECE - 1) / PIECE;
        return Flux.range(0, count).map(i -> {
            int off = from + i * PIECE;
            return Unpooled.wrappedBuffer(body, off, Math.min(PIECE, to - off));
        });
    }
}
