package io.transflux.connectors.upload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.transflux.pipeline.SinkException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * One signed request to an object store over Reactor Netty, with a body of known length made of buffers the
 * caller keeps (each send wraps {@code duplicate()}s, so a retry can send them again). The answer's body is
 * read up to {@value #MAX_REPLY_BYTES} bytes; store replies are small XML. Redirects are not followed and
 * transport errors become {@link Transient} failures naming only the operation, never the URL.
 */
final class StoreHttp {

    static final int MAX_REPLY_BYTES = 1024 * 1024;

    // 64: `transflux batch` writes up to its concurrency at once; a deployed function writes one object.
    private static final ConnectionProvider PROVIDER = ConnectionProvider.builder("transflux-store")
            .maxConnections(64)
            .pendingAcquireTimeout(Duration.ofSeconds(10))
            .maxIdleTime(Duration.ofSeconds(15))
            .maxLifeTime(Duration.ofSeconds(120))
            .evictInBackground(Duration.ofSeconds(30))
            .build();

    private static final HttpClient CLIENT = HttpClient.create(PROVIDER).compress(false).followRedirect(false);

    private StoreHttp() {
    }

    /** The status, ETag header and body of a store's answer. */
    record Reply(int status, @Nullable String etag, String body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    static Mono<Reply> exchange(String operation, String method, StoreEndpoint.Prepared request,
            List<ByteBuffer> body, Duration timeout) {
        return CLIENT.responseTimeout(timeout)
                .headers(h -> request.headers().forEach(h::set))
                .request(HttpMethod.valueOf(method))
                .uri(request.url())
                .send((req, out) -> body.isEmpty() ? out
                        : out.send(Flux.fromIterable(body).map(b -> Unpooled.wrappedBuffer(b.duplicate()))))
                .responseSingle((res, bytes) -> bytes.asByteArray().defaultIfEmpty(new byte[0])
                        .map(b -> new Reply(res.status().code(), res.responseHeaders().get("ETag"),
                                new String(b, 0, Math.min(b.length, MAX_REPLY_BYTES), StandardCharsets.UTF_8))))
                .onErrorMap(e -> !(e instanceof SinkException), e -> new Transient(operation + " failed: "
                        + e.getClass().getSimpleName(), 0, null));
    }

    /**
     * A failure worth retrying: a broken connection, a timeout, a 5xx or 429 answer. Becomes a
     * {@link SinkException} when the retries run out. The message names the operation only.
     */
    static final class Transient extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final transient StoreFailure failure;

        Transient(String message, int status, @Nullable String code) {
            super(message, null, false, false);
            this.failure = new StoreFailure(status, code, true);
        }
    }

    /**
     * Carries a refused or failed request's {@link StoreFailure} as the cause of the {@link SinkException} the
     * sink fails with. The message names the operation only.
     */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final transient StoreFailure failure;

        Refusal(String message, StoreFailure failure) {
            super(message, null, false, false);
            this.failure = failure;
        }
    }

    /** Sums the remaining bytes of {@code body}. */
    static long length(List<ByteBuffer> body) {
        long n = 0;
        for (ByteBuffer b : body) {
            n += b.remaining();
        }
        return n;
    }

    static Map<String, String> withLength(Map<String, String> headers, long length) {
        headers.put("Content-Length", Long.toString(length));
        return headers;
    }
}
