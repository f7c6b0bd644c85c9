package io.transflux.connectors.batch;

import io.transflux.connectors.ErrorMapping;
import io.transflux.connectors.ErrorReply;
import io.transflux.connectors.batch.TaskResult.ResultCode;
import io.transflux.connectors.upload.MultipartObjectSink;
import io.transflux.connectors.upload.StoreFailure;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.SourceException;
import reactor.core.Exceptions;

/**
 * Sorts a task's failure into Batch Operations' two failure codes. {@code TemporaryFailure}: throttling, 5xx,
 * timeouts, a broken connection, the object changing mid-read, the time running out (Batch Operations retries
 * these). {@code PermanentFailure}: bad input (corrupt archive, unsupported format, a limit reached), a missing
 * object, a refused request (403), a misconfigured pipeline. Status and code come from {@link ErrorMapping}, the
 * one failure table of the function, or from the store's answer for writes.
 */
final class TaskFailures {

    private TaskFailures() {
    }

    static TaskResult classify(Throwable failure, long bytesIn) {
        Throwable t = Exceptions.unwrap(failure);
        StoreFailure store = MultipartObjectSink.storeFailure(t);
        if (store != null) {
            String code = store.code() != null ? store.code() : (store.status() == 0 ? "ServiceUnavailable"
                    : "Status" + store.status());
            return TaskResult.failure(store.transientFailure() ? ResultCode.TEMPORARY_FAILURE
                    : ResultCode.PERMANENT_FAILURE, store.status(), code, "writing the target failed: " + code, bytesIn);
        }
        if (t instanceof LimitExceededException le && "deadline".equals(le.limitName())) {
            return TaskResult.failure(ResultCode.TEMPORARY_FAILURE, 503, "RequestTimeout",
                    "the task did not finish in the time left", bytesIn);
        }
        ErrorReply reply = ErrorMapping.map(t);
        int status = reply.status();
        String code = reply.code() != null ? reply.code() : "Status" + status;
        if (t instanceof SourceException se) {
            status = se.status() > 0 ? se.status() : status;
            if (se.status() == 429) {
                code = "SlowDown";
            }
        }
        return TaskFailures.of(retryable(t, status), status, code, message(code, reply), bytesIn);
    }

    static TaskResult of(boolean temporary, int status, String code, String message, long bytesIn) {
        return TaskResult.failure(temporary ? ResultCode.TEMPORARY_FAILURE : ResultCode.PERMANENT_FAILURE, status, code,
                message, bytesIn);
    }

    private static boolean retryable(Throwable t, int status) {
        if (t instanceof SourceException se) {
            ErrorCode c = se.code();
            return se.status() >= 500 || se.status() == 429 || c == ErrorCode.SOURCE_TIMEOUT
                    || c == ErrorCode.SOURCE_UNAVAILABLE || c == ErrorCode.SOURCE_CHANGED
                    || (c == ErrorCode.SOURCE_ERROR && se.status() == 412);
        }
        // Pipeline 5xx replies are deadlines and source trouble (retryable); a bad spec or a bug is not.
        return status == 503;
    }

    private static String message(String code, ErrorReply reply) {
        String m = reply.message();
        return m == null ? code : code + ": " + m;
    }
}
