package io.transflux.pipeline;

import org.jspecify.annotations.Nullable;

/** Writing the output failed. */
public final class SinkException extends PipelineException {

    private static final long serialVersionUID = 1L;

    public SinkException(String message, @Nullable Throwable cause) {
        super(ErrorCode.SINK_ERROR, message, cause);
    }
}
