package io.transflux.pipeline;

/** A pipeline spec that does not parse, names an unknown stage, or carries a bad parameter. */
public final class PipelineSpecException extends PipelineException {

    private static final long serialVersionUID = 1L;

    public PipelineSpecException(String message) {
        super(ErrorCode.INVALID_PIPELINE_SPEC, message);
    }
}
