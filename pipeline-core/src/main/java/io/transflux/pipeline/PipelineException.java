package io.transflux.pipeline;

import org.jspecify.annotations.Nullable;

/**
 * Root of Transflux's unchecked exceptions. Every subtype carries a stable {@link ErrorCode}.
 * Messages name the field or rule that failed with the actual and expected values, and never contain
 * presigned-URL queries, tokens, credentials or object bytes.
 */
public class PipelineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public PipelineException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public PipelineException(ErrorCode code, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The stable error code for this failure. */
    public ErrorCode code() {
        return code;
    }

    /**
     * Wraps any throwable escaping a third-party codec or library as a typed failure; a
     * {@code PipelineException} is returned as is.
     */
    public static PipelineException wrap(Throwable t) {
        if (t instanceof PipelineException pe) {
            return pe;
        }
        return new PipelineException(ErrorCode.INTERNAL_ERROR,
                "unexpected " + t.getClass().getSimpleName(), t);
    }
}
