package io.transflux.connectors;

import org.jspecify.annotations.Nullable;

/**
 * The invocation event could not be used: not JSON, a missing or ill-typed required field, an unsupported
 * protocol major version, a bad route. 400 {@code InvalidRequest}. When the event still carried a usable
 * output route and token, they travel here (never in the message) so the error can be answered through WGOR
 * instead of leaving the caller hanging.
 */
public final class MalformedEventException extends ConnectorException {

    private static final long serialVersionUID = 1L;

    private final transient @Nullable String outputRoute;
    private final transient @Nullable String outputToken;

    public MalformedEventException(String message, @Nullable String outputRoute, @Nullable String outputToken) {
        this(message, outputRoute, outputToken, null);
    }

    public MalformedEventException(String message, @Nullable String outputRoute, @Nullable String outputToken,
            @Nullable Throwable cause) {
        super(400, "InvalidRequest", message, cause);
        this.outputRoute = outputRoute;
        this.outputToken = outputToken;
    }

    public @Nullable String outputRoute() {
        return outputRoute;
    }

    public @Nullable String outputToken() {
        return outputToken;
    }

    /** Whether the error can still be answered through WGOR. */
    public boolean canAnswer() {
        return outputRoute != null && !outputRoute.isEmpty() && outputToken != null && !outputToken.isEmpty();
    }
}
