package io.transflux.connectors;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.transflux.pipeline.PipelineException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP leg of WriteGetObjectResponse, shared by the S3 and OSS clients: one POST with already-signed
 * headers and a streamed body. The body is sent with {@code Content-Length} when known, otherwise chunked;
 * zero-length buffers are skipped (an empty chunk would end the body). A checksum trailer is written as the
 * last chunk's trailer fields. When the body fails part-way, Reactor Netty closes the connection without the
 * terminating chunk, so the platform sees an aborted request, and the returned {@code Mono} fails with the
 * body's own error.
 *
 * <p>Pool (docs/reliability.md §4): dedicated provider, {@value #MAX_CONNECTIONS} connections, idle 15 s, life 60 s,
 * background eviction, pending acquire 60 s with an unbounded queue
 * (a slow caller holds only its own connection; no invocation fails because others are busy); {@code compress(false)}, {@code followRedirect(false)}. Netty
 * buffers wrap the pipeline's {@code ByteBuffer}s without copying and never leave this class.
 * {@link #renewPool()} swaps in a fresh pool for a snapshot (SnapStart, CRaC), closing the old one's connections.
 */
public final class WgorTransport {

    /** A function instance serves many invocations at once (OSS FC, serve); each holds one WGOR connection. */
    static final int MAX_CONNECTIONS = 1024;
    /** Waiting for a connection counts against the invocation, not a short fixed limit (issue #13 finding 5). */
    static final Duration PENDING_ACQUIRE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private static final WgorTransport DEFAULT = new WgorTransport();

    private volatile ConnectionProvider provider;
    private volatile HttpClient client;

    private WgorTransport() {
        this.provider = newProvider();
        this.client = newClient(provider);
    }

    private static ConnectionProvider newProvider() {
        return ConnectionProvider.builder("transflux-wgor")
                .maxConnections(MAX_CONNECTIONS)
                .pendingAcquireTimeout(PENDING_ACQUIRE_TIMEOUT)
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(15))
                .maxLifeTime(Duration.ofSeconds(60))
                .evictInBackground(Duration.ofSeconds(30))
                .build();
    }

    private static HttpClient newClient(ConnectionProvider provider) {
        return HttpClient.create(provider)
                .compress(false)
                .followRedirect(false)
                .responseTimeout(DEFAULT_RESPONSE_TIMEOUT);
    }

    public static WgorTransport shared() {
        return DEFAULT;
    }

    /**
     * Puts a fresh, empty pool in place and closes the old pool's connections, completing once they are closed.
     * Requests already under way finish on their connection, which is then closed instead of pooled.
     */
    public Mono<Void> renewPool() {
        return Mono.defer(() -> {
            ConnectionProvider old;
            synchronized (this) {
                old = provider;
                ConnectionProvider fresh = newProvider();
                provider = fresh;
                client = newClient(fresh);
            }
            return old.disposeLater();
        });
    }

    /** The status and (short) body of the platform's answer. */
    public record Answer(int status, String body) {
    }

    /**
     * POSTs {@code body} to {@code url} with {@code headers} exactly as given (already signed).
     *
     * @param trailerName  a trailer field to send after the body (chunked only), or null
     * @param trailerValue its value, emitted once the body has streamed
     */
    public Mono<Answer> post(String url, Map<String, String> headers, boolean chunked, Flux<ByteBuffer> body,
            @Nullable String trailerName, @Nullable Mono<String> trailerValue) {
        Objects.requireNonNull(url, "url");
        Flux<ByteBuffer> nonEmpty = body.filter(ByteBuffer::hasRemaining);
        return client
                .headers(h -> {
                    headers.forEach(h::set);
                    if (chunked && trailerName != null) {
                        h.set(HttpHeaderNames.TRAILER, trailerName);
                    }
                    if (chunked) {
                        h.remove(HttpHeaderNames.CONTENT_LENGTH);
                        h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                    }
                })
                .post()
                .uri(url)
                .send((req, out) -> {
                    if (trailerName == null || trailerValue == null) {
                        return out.send(nonEmpty.map(WgorTransport::wrap));
                    }
                    Flux<HttpContent> contents = Flux.concat(
                            nonEmpty.map(b -> new DefaultHttpContent(wrap(b))),
                            trailerValue.map(v -> {
                                DefaultLastHttpContent last = new DefaultLastHttpContent();
                                last.trailingHeaders().set(trailerName, v);
                                return last;
                            }));
                    return out.sendObject(contents);
                })
                .responseSingle((res, bytes) -> bytes.asString().defaultIfEmpty("")
                        .map(s -> new Answer(res.status().code(), s.length() > 2048 ? s.substring(0, 2048) : s)))
                .onErrorMap(e -> !(e instanceof PipelineException), e -> {
                    io.transflux.connectors.http.TlsFailure tls = io.transflux.connectors.http.TlsFailure.of(e);
                    return tls != null
                            ? new ConnectorException(500, "Wgor" + tls.code(),
                                    "WriteGetObjectResponse TLS failed: " + tls.reason())
                            : new ConnectorException(500, "InternalError",
                                    "WriteGetObjectResponse request failed: " + e.getClass().getSimpleName());
                });
    }

    private static ByteBuf wrap(ByteBuffer b) {
        return Unpooled.wrappedBuffer(b);
    }
}
