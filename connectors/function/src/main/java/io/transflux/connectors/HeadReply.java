package io.transflux.connectors;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The answer to a HeadObject, as the platform expects it returned: {@code statusCode}, optional
 * {@code errorCode}/{@code errorMessage}, and {@code headers} (Content-Length is always present on success).
 */
public record HeadReply(int statusCode, @Nullable String errorCode, @Nullable String errorMessage,
        Map<String, String> headers) {

    public HeadReply {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    static HeadReply error(ErrorReply e) {
        return new HeadReply(e.status(), e.code(), e.message(), Map.of());
    }
}
