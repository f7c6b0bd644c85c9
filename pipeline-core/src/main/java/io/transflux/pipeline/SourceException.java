package io.transflux.pipeline;

import org.jspecify.annotations.Nullable;

/**
 * Reading the source failed. Carries the HTTP status the source answered with (0 when there was no
 * answer) and the store's own error code parsed from its XML body ({@code NoSuchKey},
 * {@code AccessDenied}, {@code PreconditionFailed}, ...) when there was one.
 */
public final class SourceException extends PipelineException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final @Nullable String sourceErrorCode;

    public SourceException(ErrorCode code, int status, @Nullable String sourceErrorCode, String message) {
        this(code, status, sourceErrorCode, message, null);
    }

    public SourceException(ErrorCode code, int status, @Nullable String sourceErrorCode, String message,
            @Nullable Throwable cause) {
        super(code, message, cause);
        this.status = status;
        this.sourceErrorCode = sourceErrorCode;
    }

    /** The HTTP status of the source's reply, or 0 when no reply arrived. */
    public int status() {
        return status;
    }

    /** The S3/OSS error code from the reply body, e.g. {@code NoSuchKey}; null when absent. */
    public @Nullable String sourceErrorCode() {
        return sourceErrorCode;
    }
}
