package io.transflux.pipeline;

import org.jspecify.annotations.Nullable;

/** Malformed or corrupt compressed input. */
public final class DecompressionException extends PipelineException {

    private static final long serialVersionUID = 1L;

    public DecompressionException(String message) {
        this(message, null);
    }

    public DecompressionException(String message, @Nullable Throwable cause) {
        super(ErrorCode.MALFORMED_COMPRESSED_OBJECT, message, cause);
    }
}
