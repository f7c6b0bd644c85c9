package io.transflux.connectors;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.PipelineException;
import org.jspecify.annotations.Nullable;

/**
 * A failure the connector itself detects (a malformed event, an unsatisfiable range, a refused WGOR) with
 * the HTTP status and error code to report. Messages are static text: they never carry URLs, tokens or
 * object bytes. {@link #code()} is always {@link ErrorCode#INTERNAL_ERROR}; what callers see is
 * {@link #status()} and {@link #errorCode()}.
 */
public class ConnectorException extends PipelineException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;

    public ConnectorException(int status, String errorCode, String message) {
        this(status, errorCode, message, null);
    }

    public ConnectorException(int status, String errorCode, String message, @Nullable Throwable cause) {
        super(ErrorCode.INTERNAL_ERROR, message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The status to report, e.g. 416. */
    public int status() {
        return status;
    }

    /** The error code to report, e.g. {@code InvalidRange}. */
    public String errorCode() {
        return errorCode;
    }

    static ConnectorException invalidRequest(String message) {
        return new ConnectorException(400, "InvalidRequest", message);
    }
}
