package io.transflux.connectors.accesspoint;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongFunction;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.connectors.s3.SigV4Check;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * An S3-like source on loopback for the function-URL tests: path-style {@code /{bucket}/{key}}, GET and HEAD, each
 * request's presigned SigV4 (query) verified with {@link SigV4Check} against the function's role credentials; 403
 * {@code SignatureDoesNotMatch} otherwise, 404 {@code NoSuchKey} for unknown keys. Objects are either bytes or
 * generated lazily, chunk by chunk on demand, so a 2 GiB object never exists in memory. Records every path asked.
 */
final class SignedObjectSource implements AutoCloseable {

    static final int GENERATED_CHUNK = 64 * 1024;

    private record Entry(long length, String eTag, LongFunction<ByteBuf> chunkAt, long fastBytes, Duration delay) {
        Entry(long length, String eTag, LongFunction<ByteBuf> chunkAt) {
            this(length, eTag, chunkAt, Long.MAX_VALUE, Duration.ZERO);
        }
    }

    private final Map<String, Entry> objects = new ConcurrentHashMap<>();
    private final AwsCredentials role;
    final List<String> paths = new CopyOnWriteArrayList<>();
    private final DisposableServer server;

    SignedObjectSource(AwsCredentials role) {
        this.role = role;
        this.server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow(Duration.ofSeconds(10));
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    void put(String bucketAndKey, byte[] bytes, String eTag) {
        objects.put("/" + bucketAndKey, new Entry(bytes.length, eTag, off -> {
            int n = (int) Math.min(GENERATED_CHUNK, bytes.length - off);
            return Unpooled.wrappedBuffer(bytes, (int) off, n);
        }));
    }

    /** An object of {@code length} bytes where byte {@code i} is {@link #generatedByte(long)}. */
    void putGenerated(String bucketAndKey, long length, String eTag) {
        objects.put("/" + bucketAndKey, new Entry(length, eTag, off -> {
            int n = (int) Math.min(GENERATED_CHUNK, length - off);
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = generatedByte(off + i);
            }
            return Unpooled.wrappedBuffer(b);
        }));
    }

    /**
     * Like {@link #putGenerated}, but after the first {@code fastBytes} each {@value #GENERATED_CHUNK}-byte chunk
     * is sent {@code delay} after the previous one: a source slower than a function's timeout.
     */
    void putSlow(String bucketAndKey, long length, String eTag, long fastBytes, Duration delay) {
        putGenerated(bucketAndKey, length, eTag);
        Entry e = objects.get("/" + bucketAndKey);
        objects.put("/" + bucketAndKey, new Entry(length, eTag, e.chunkAt, fastBytes, delay));
    }

    static byte generatedByte(long i) {
        return (byte) ((i * 31 + (i >>> 16)) & 0xff);
    }

    private Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        String uri = req.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        paths.add(path);
        Map<String, String> headers = new LinkedHashMap<>();
        req.requestHeaders().forEach(e -> headers.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(), (a, b) -> a + "," + b));
        SigV4Check.Verdict v = SigV4Check.verifyQuery(req.method().name(), uri, headers,
                id -> id.equals(role.accessKeyId()) ? role : null, Clock.systemUTC());
        if (!v.valid() || !"s3".equals(v.service())) {
            return error(res, 403, "SignatureDoesNotMatch");
        }
        Entry e = objects.get(path);
        if (e == null) {
            return error(res, 404, "NoSuchKey");
        }
        long start = 0;
        long end = e.length - 1;
        int status = 200;
        String range = headers.get("range");
        if (range != null && range.startsWith("bytes=")) {
            String[] se = range.substring(6).split("-", -1);
            start = Long.parseLong(se[0]);
            if (!se[1].isEmpty()) {
                end = Math.min(end, Long.parseLong(se[1]));
            }
            status = 206;
            res.header("Content-Range", "bytes " + start + "-" + end + "/" + e.length);
        }
        res.status(status).header("Content-Length", Long.toString(end - start + 1)).header("ETag", e.eTag)
                .header("Content-Type", "application/octet-stream").header("Last-Modified", "Wed, 02 Dec 2026 10:00:00 GMT");
        if (req.method().name().equals("HEAD")) {
            return res.send();
        }
        long from = start;
        long to = end + 1;
        Flux<ByteBuf> body = e.fastBytes == Long.MAX_VALUE ? Flux.generate(() -> from, (off, sink) -> {
            if (off >= to) {
                sink.complete();
                return off;
            }
            ByteBuf b = e.chunkAt.apply(off);
            if (off + b.readableBytes() > to) {
                b.writerIndex(b.readerIndex() + (int) (to - off));
            }
            sink.next(b);
            return off + b.readableBytes();
        }) : slow(e, from, to);
        return res.send(body, b -> true);
    }

    /** Offsets first, buffers made when sent: a slow chunk cancelled while it waits holds no buffer. */
    private static Flux<ByteBuf> slow(Entry e, long from, long to) {
        return Flux.<Long, Long>generate(() -> from, (off, sink) -> {
            if (off >= to) {
                sink.complete();
                return off;
            }
            sink.next(off);
            return Math.min(to, off + GENERATED_CHUNK);
        }).concatMap(off -> {
            Mono<Long> at = off < e.fastBytes ? Mono.just(off) : Mono.delay(e.delay).thenReturn(off);
            return at.map(o -> {
                ByteBuf b = e.chunkAt.apply(o);
                if (o + b.readableBytes() > to) {
                    b.writerIndex(b.readerIndex() + (int) (to - o));
                }
                return b;
            });
        }, 1);
    }

    private static Mono<Void> error(HttpServerResponse res, int status, String code) {
        byte[] b = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>m</Message></Error>")
                .getBytes(StandardCharsets.UTF_8);
        return res.status(status).header("Content-Type", "application/xml").header("Content-Length", Integer.toString(b.length))
                .send(Mono.just(Unpooled.wrappedBuffer(b))).then();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
