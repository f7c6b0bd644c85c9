package io.transflux.pipeline;

/**
 * A configured limit was reached. The message gives the limit, the value reached and how to raise it,
 * e.g. {@code maxOutputBytes: reached 1073741825 > limit 1073741824 bytes; raise it with
 * Limits.builder().maxOutputBytes(..) or --max-output-bytes}.
 */
public final class LimitExceededException extends PipelineException {

    private static final long serialVersionUID = 1L;

    private final String limitName;
    private final long limit;
    private final long reached;

    public LimitExceededException(String limitName, long limit, long reached, String unit, String howToRaise) {
        super(ErrorCode.TRANSFORM_LIMIT_EXCEEDED,
                limitName + ": reached " + reached + " > limit " + limit + " " + unit + "; " + howToRaise);
        this.limitName = limitName;
        this.limit = limit;
        this.reached = reached;
    }

    /** The name of the limit, e.g. {@code maxOutputBytes}. */
    public String limitName() {
        return limitName;
    }

    /** The configured limit. */
    public long limit() {
        return limit;
    }

    /** The value that was reached (or asked for) when the limit tripped. */
    public long reached() {
        return reached;
    }
}
