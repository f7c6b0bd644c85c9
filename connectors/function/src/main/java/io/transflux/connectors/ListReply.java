package io.transflux.connectors;

import org.jspecify.annotations.Nullable;

/**
 * The answer to ListObjects / ListObjectsV2: {@code statusCode}, optional {@code errorCode}/{@code errorMessage},
 * and the listing as an XML string ({@code listResultXml}).
 */
public record ListReply(int statusCode, @Nullable String errorCode, @Nullable String errorMessage,
        @Nullable String listResultXml) {

    static ListReply error(ErrorReply e) {
        return new ListReply(e.status(), e.code(), e.message(), null);
    }
}
