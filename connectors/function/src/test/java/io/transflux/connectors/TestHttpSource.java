package io.transflux.connectors;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.SourceException;
import io.transflux.pipeline.source.ObjectSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A minimal presigned-URL source for tests (GET or HEAD over Reactor Netty, one copy per inbound buffer into
 * an owned heap {@code ByteBuffer}); it stands in for the production HTTP source in the connector tests.
 */
public final class TestHttpSource implements SourceOpener {

    private static final Pattern CODE = Pattern.compile("<Code>([A-Za-z]+)</Code>");
    private final HttpClient client = HttpClient.create(ConnectionProvider.newConnection()).compress(false)
            .followRedirect(false).responseTimeout(Duration.ofSeconds(10));

    @Override
    public ObjectSource get(String url, Map<String, String> headers) {
        return open(HttpMethod.GET, url, headers);
    }

    @Override
    public ObjectSource head(String url, Map<String, String> headers) {
        return open(HttpMethod.HEAD, url, headers);
    }

    private ObjectSource open(HttpMethod method, String url, Map<String, String> headers) {
        return () -> client.headers(h -> headers.forEach(h::set))
                .request(method).uri(url)
                .responseConnection((res, conn) -> {
                    int st = res.status().code();
                    if (st != 200) {
                        return conn.inbound().receive().aggregate().asString().defaultIfEmpty("")
                                .<ObjectStream>flatMap(s -> {
                                    Matcher m = CODE.matcher(s);
                                    return Mono.error(new SourceException(ErrorCode.SOURCE_ERROR, st,
                                            m.find() ? m.group(1) : null, "source answered " + st));
                                })
                                .doFinally(x -> conn.dispose());
                    }
                    ObjectMetadata meta = metadata(res.responseHeaders());
                    if (method == HttpMethod.HEAD) {
                        conn.dispose();
                        return Mono.just(ObjectStream.of(Flux.empty(), meta));
                    }
                    Flux<ByteBuffer> content = conn.inbound().receive().map(TestHttpSource::copy)
                            .onErrorMap(e -> !(e instanceof SourceException), e -> new SourceException(
                                    ErrorCode.SOURCE_UNAVAILABLE, 0, null, "source connection failed", e))
                            .doFinally(x -> conn.dispose());
                    return Mono.just(ObjectStream.of(content, meta));
                })
                .next();
    }

    private static ObjectMetadata metadata(HttpHeaders h) {
        ObjectMetadata.Builder b = ObjectMetadata.builder();
        String len = h.get("Content-Length");
        if (len != null) {
            b.contentLength(Long.parseLong(len));
        }
        b.contentType(h.get("Content-Type")).eTag(h.get("ETag")).cacheControl(h.get("Cache-Control"));
        h.forEach(e -> {
            if (e.getKey().toLowerCase().startsWith("x-amz-meta-")) {
                b.putUserMetadata(e.getKey().substring(11).toLowerCase(), e.getValue());
            }
        });
        return b.build();
    }

    private static ByteBuffer copy(ByteBuf b) {
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        return ByteBuffer.wrap(a);
    }
}
