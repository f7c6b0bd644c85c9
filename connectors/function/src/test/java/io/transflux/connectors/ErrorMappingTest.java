package io.transflux.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.PipelineException;
import io.transflux.pipeline.SourceException;
import org.junit.jupiter.api.Test;

class ErrorMappingTest {

    @Test
    void sourceErrorsKeepTheirStatusAndStoreCode() {
        assertThat(ErrorMapping.map(new SourceException(ErrorCode.SOURCE_ERROR, 404, "NoSuchKey", "source x: 404")))
                .isEqualTo(new ErrorReply(404, "NoSuchKey", "The specified key does not exist."));
    }

    @Test
    void anObjectThatChangedDuringTheFunctionsOwnResumeIsRetryableNotTheCallersPreconditionFailure() {
        assertThat(ErrorMapping.map(new SourceException(ErrorCode.SOURCE_CHANGED, 412, "PreconditionFailed",
                "source x: the object changed while resuming")))
                .extracting(ErrorReply::status, ErrorReply::code).containsExactly(503, "ServiceUnavailable");
        assertThat(ErrorMapping.map(new SourceException(ErrorCode.SOURCE_CHANGED, 404, "NoSuchKey", "gone mid-read")))
                .extracting(ErrorReply::status, ErrorReply::code).containsExactly(503, "ServiceUnavailable");
    }

    @Test
    void aFullSpoolDiskIsRetryableAndNamesNoPath() {
        assertThat(ErrorMapping.map(new io.transflux.pipeline.SinkException("spool /tmp/transflux-x: No space left",
                new java.io.IOException("No space left on device"))))
                .isEqualTo(new ErrorReply(503, "ServiceUnavailable", "The function could not buffer the object."));
    }

    @Test
    void corruptInputIsA400WithAStaticMessage() {
        assertThat(ErrorMapping.map(new DecompressionException("gzip: CRC32 mismatch at offset 12 with secret")))
                .isEqualTo(new ErrorReply(400, "MalformedCompressedObject", "The object is not valid compressed data."));
    }

    @Test
    void limitsAreA400ExceptTheDeadline() {
        assertThat(ErrorMapping.map(new LimitExceededException("maxOutputBytes", 1, 2, "bytes", "raise it")).status())
                .isEqualTo(400);
        assertThat(ErrorMapping.map(new LimitExceededException("deadline", 1, 2, "ms", "raise it")))
                .extracting(ErrorReply::status, ErrorReply::code).containsExactly(503, "ServiceUnavailable");
    }

    @Test
    void piiFoundByDetectIsAccessDeniedLikeTheComprehendFunction() {
        assertThat(ErrorMapping.map(new PipelineException(ErrorCode.ACCESS_DENIED, "EMAIL found at offset 10")))
                .isEqualTo(new ErrorReply(403, "AccessDenied", "Document contains PII"));
    }

    @Test
    void anythingElseIsAnInternalError() {
        assertThat(ErrorMapping.map(new IllegalStateException("bug")))
                .extracting(ErrorReply::status, ErrorReply::code).containsExactly(500, "InternalError");
    }
}
