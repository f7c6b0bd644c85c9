package io.transflux.connectors.http;

import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Stands in for a transport exception in our cause chains. Reactor Netty and JDK exceptions may quote
 * the request URI (with its signature) in their messages; this copy keeps the original class name, a
 * scrubbed message and the original stack trace, and repeats that for each cause, so the chain stays
 * useful for debugging without carrying secrets.
 */
final class ScrubbedCause extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int MAX_DEPTH = 8;

    private ScrubbedCause(String message, @Nullable Throwable cause, StackTraceElement[] trace) {
        super(message, cause, false, true);
        setStackTrace(trace);
    }

    /** A scrubbed copy of {@code t} and its causes (at most {@value #MAX_DEPTH} deep); null for null. */
    static @Nullable Throwable of(@Nullable Throwable t, UnaryOperator<String> scrubber) {
        return copy(t, scrubber, 0);
    }

    private static @Nullable Throwable copy(@Nullable Throwable t, UnaryOperator<String> scrubber, int depth) {
        if (t == null || depth >= MAX_DEPTH) {
            return null;
        }
        if (t instanceof ScrubbedCause) {
            return t;
        }
        Throwable cause = t.getCause() == t ? null : copy(t.getCause(), scrubber, depth + 1);
        String message = t.getMessage();
        String text = t.getClass().getName() + (message == null ? "" : ": " + scrubber.apply(message));
        return new ScrubbedCause(text, cause, t.getStackTrace());
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
