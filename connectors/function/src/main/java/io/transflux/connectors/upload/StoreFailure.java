package io.transflux.connectors.upload;

import org.jspecify.annotations.Nullable;

/**
 * How a store request failed: the HTTP status (0 when no answer came: a broken connection or a timeout), the
 * store's error code when its answer had one ({@code SlowDown}, {@code AccessDenied}, ...), and whether a later
 * retry may succeed (5xx, 429, no answer).
 */
public record StoreFailure(int status, @Nullable String code, boolean transientFailure) {
}
