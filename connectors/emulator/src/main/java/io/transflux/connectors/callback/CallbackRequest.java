package io.transflux.connectors.callback;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A callback as it arrived (docs/protocols.md §5.5): the raw request target from the request line (path and
 * query exactly as on the wire), the {@code authorization} and {@code x-oss-pub-key-url} headers (null when
 * absent), the {@code Content-Type} and the raw body.
 */
record CallbackRequest(String rawTarget, @Nullable String authorization, @Nullable String pubKeyUrl,
        @Nullable String contentType, byte[] body) {

    public CallbackRequest {
        Objects.requireNonNull(rawTarget, "rawTarget");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
        return "CallbackRequest{" + body.length + " body bytes}";
    }
}
