package io.transflux.connectors;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one GetObject invocation did, for logs and metrics. Holds no URL, token or object byte.
 *
 * @param status     the status sent through WGOR (200, 206, 404, ...); the status that had started for an
 *                   aborted transfer; 0 when no WGOR could be sent
 * @param errorCode  the error code reported or the failure's mapped code; null on success
 * @param delivery   how the WGOR ended
 * @param bytesIn    bytes read from the source
 * @param bytesOut   body bytes handed to the WGOR request
 * @param checksums  checksums of the returned bytes, algorithm id to Base64 (empty when none were computed)
 * @param duration   wall-clock time of the invocation
 */
public record InvocationOutcome(int status, @Nullable String errorCode, Delivery delivery, long bytesIn, long bytesOut,
        Map<String, String> checksums, Duration duration) {

    public InvocationOutcome {
        checksums = Map.copyOf(checksums);
    }

    /** How the WGOR request ended. */
    public enum Delivery {
        /** The platform accepted the whole answer. */
        SENT,
        /** The body failed after bytes were sent; the request was aborted without its final chunk. */
        ABORTED,
        /** The WGOR request itself failed (refused, unreachable). */
        FAILED,
        /** No WGOR was possible (no route or token); the reason is logged. */
        NONE
    }

    public boolean succeeded() {
        return delivery == Delivery.SENT && errorCode == null;
    }

    /** One log line: {@code status=200 delivery=SENT bytesIn=.. bytesOut=.. durationMs=.. crc32c=..}. */
    public String toLogLine() {
        StringBuilder sb = new StringBuilder("status=").append(status);
        if (errorCode != null) {
            sb.append(" errorCode=").append(errorCode);
        }
        sb.append(" delivery=").append(delivery).append(" bytesIn=").append(bytesIn).append(" bytesOut=")
                .append(bytesOut).append(" durationMs=").append(duration.toMillis());
        checksums.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }
}
