package io.transflux.pipeline;

/** Input in a format the stage does not accept (unknown magic, encrypted ZIP entry, ...). */
public final class UnsupportedFormatException extends PipelineException {

    private static final long serialVersionUID = 1L;

    public UnsupportedFormatException(String message) {
        super(ErrorCode.UNSUPPORTED_OBJECT_FORMAT, message);
    }
}
