package io.transflux.connectors.url;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import reactor.core.publisher.Flux;

/**
 * One HTTP answer of the function URL: status, headers (original names, one value each) and a single-use body.
 * A body that fails after its first byte must reach the caller as a failed response, never a complete one: the
 * runtime reports it in the streaming error trailers (docs/protocols.md §11.3).
 *
 * @param status  the HTTP status
 * @param headers response headers, in order
 * @param body    the body; empty for HEAD, 304 and errors without a document
 */
public record HttpReply(int status, Map<String, String> headers, Flux<ByteBuffer> body) {

    public HttpReply {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(body, "body");
    }

    /** Never prints the body. */
    @Override
    public String toString() {
        return "HttpReply{status=" + status + ", headers=" + headers.keySet() + '}';
    }
}
