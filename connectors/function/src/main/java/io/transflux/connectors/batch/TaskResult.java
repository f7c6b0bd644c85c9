package io.transflux.connectors.batch;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How one task ended, in S3 Batch Operations' terms ({@code resultCode}, {@code resultString}), plus what a
 * completion report and a progress display need: the HTTP status and error code behind a failure, the bytes read
 * and written, and whether the target was already up to date.
 *
 * @param code        {@code Succeeded}, {@code TemporaryFailure} (Batch Operations retries) or
 *                    {@code PermanentFailure}
 * @param httpStatus  the status behind the outcome (200 for success, 0 when no answer came)
 * @param errorCode   an S3-style error code for failures ({@code NoSuchKey}, {@code MalformedCompressedObject},
 *                    {@code SlowDown}, ...), null on success
 * @param message     a short sentence without URLs, tokens or object bytes
 * @param bytesIn     bytes of the source object (its length when known, else 0)
 * @param bytesOut    bytes written to the target (0 when skipped or failed)
 * @param skipped     the target already recorded this source ETag and pipeline
 */
public record TaskResult(ResultCode code, int httpStatus, @Nullable String errorCode, String message, long bytesIn,
        long bytesOut, boolean skipped) {

    public TaskResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** Batch Operations' three result codes, with their wire names. */
    public enum ResultCode {
        SUCCEEDED("Succeeded"),
        TEMPORARY_FAILURE("TemporaryFailure"),
        PERMANENT_FAILURE("PermanentFailure");

        private final String wireName;

        ResultCode(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static ResultCode fromWireName(String name) {
            for (ResultCode c : values()) {
                if (c.wireName.equals(name)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("result code: actual '" + (name.length() > 32 ? name.substring(0, 32)
                    : name) + "', expected Succeeded, TemporaryFailure or PermanentFailure");
        }
    }

    public boolean succeeded() {
        return code == ResultCode.SUCCEEDED;
    }

    static TaskResult success(String message, long bytesIn, long bytesOut, boolean skipped) {
        return new TaskResult(ResultCode.SUCCEEDED, 200, null, message, bytesIn, bytesOut, skipped);
    }

    static TaskResult failure(ResultCode code, int status, String errorCode, String message, long bytesIn) {
        return new TaskResult(code, status, errorCode, message, bytesIn, 0, false);
    }
}
