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
    private final java.util.Map<String, String> validators;

    public SourceException(ErrorCode code, int status, @Nullable String sourceErrorCode, String message) {
        this(code, status, sourceErrorCode, message, null);
    }

    public SourceException(ErrorCode code, int status, @Nullable String sourceErrorCode, String message,
            @Nullable Throwable cause) {
        this(code, status, sourceErrorCode, message, cause, java.util.Map.of());
    }

    /** With the validators of the answer ({@code ETag}, {@code Last-Modified}), which a 304 must pass on. */
    public SourceException(ErrorCode code, int status, @Nullable String sourceErrorCode, String message,
            @Nullable Throwable cause, java.util.Map<String, String> validators) {
        super(code, message, cause);
        this.status = status;
        this.sourceErrorCode = sourceErrorCode;
        this.validators = java.util.Map.copyOf(validators);
    }

    /** The source's {@code ETag} and {@code Last-Modified} (by those names) when it answered 304; else empty. */
    public java.util.Map<String, String> validators() {
        return validators;
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
