package io.transflux.connectors.http;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.SourceException;
import org.jspecify.annotations.Nullable;

/**
 * A failure another attempt may cure (5xx before the body, lost or idle connection, timeout). It never
 * leaves the package: the retry logic either retries or turns it into a {@link SourceException} with
 * {@link #giveUp(String)}. No stack trace; the scrubbed transport cause carries the interesting one.
 */
final class TransientFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final int status;
    private final @Nullable String sourceErrorCode;

    TransientFailure(ErrorCode code, int status, @Nullable String sourceErrorCode, String message,
            @Nullable Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.status = status;
        this.sourceErrorCode = sourceErrorCode;
    }

    ErrorCode code() {
        return code;
    }

    /** The final, typed failure: this message plus why no further attempt is made. */
    SourceException giveUp(String why) {
        return new SourceException(code, status, sourceErrorCode, getMessage() + "; " + why, getCause());
    }
}
