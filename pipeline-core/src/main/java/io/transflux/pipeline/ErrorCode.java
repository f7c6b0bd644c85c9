package io.transflux.pipeline;

/**
 * Stable, machine-readable error codes. Connectors map each one to an HTTP status and to the
 * {@code x-amz-fwd-error-code} / OSS error code they report; the {@link #code()} strings never change.
 */
public enum ErrorCode {
    /** A pipeline spec that does not parse, names an unknown stage, or has a bad parameter. */
    INVALID_PIPELINE_SPEC("InvalidPipelineSpec"),
    /** Malformed or corrupt compressed input. */
    MALFORMED_COMPRESSED_OBJECT("MalformedCompressedObject"),
    /** The input is in a format the stage does not accept. */
    UNSUPPORTED_OBJECT_FORMAT("UnsupportedObjectFormat"),
    /** A configured limit (output bytes, deadline, window, pixels, ...) was reached. */
    TRANSFORM_LIMIT_EXCEEDED("TransformLimitExceeded"),
    /** A streamed checksum did not match the expected value. */
    CHECKSUM_MISMATCH("ChecksumMismatch"),
    /** The source answered with an error status; the source's own code travels in the exception. */
    SOURCE_ERROR("SourceError"),
    /** The presigned source URL was refused after an earlier success: it expired mid-read. */
    SOURCE_URL_EXPIRED("SourceUrlExpired"),
    /** The source object changed between attempts (412 on If-Match, another ETag, Range ignored). */
    SOURCE_CHANGED("SourceChanged"),
    /** The source did not answer, or stopped answering, in time. */
    SOURCE_TIMEOUT("SourceTimeout"),
    /** The source connection failed and could not be resumed. */
    SOURCE_UNAVAILABLE("SourceUnavailable"),
    /** The source address is not allowed (SSRF guard, scheme, userinfo, redirect). */
    SOURCE_NOT_ALLOWED("SourceNotAllowed"),
    /** The sink could not store or send the output. */
    SINK_ERROR("SinkError"),
    /**
     * A well-formed request that does not fit this object, e.g. {@code image/crop} starting outside the image
     * (OSS answers 400 {@code BadRequest}); the message names the values and is safe to show.
     */
    BAD_REQUEST("BadRequest"),
    /**
     * The TLS handshake with the source failed (untrusted issuer, name mismatch, expired): configuration, not
     * load, so never retried; the kind is in {@link SourceException#sourceErrorCode()} ({@code TlsUntrusted}...).
     */
    SOURCE_TLS_FAILED("SourceTlsFailed"),
    /** The request is refused by policy, e.g. {@code redact/detect} found PII ("Document contains PII"): 403. */
    ACCESS_DENIED("AccessDenied"),
    /** A bug or an unexpected runtime failure. */
    INTERNAL_ERROR("InternalError");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /** The stable string form, e.g. {@code TransformLimitExceeded}. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
