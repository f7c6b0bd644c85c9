package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.netty.handler.timeout.ReadTimeoutException;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.SourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.netty.http.client.PrematureCloseException;

class SourceErrorsTest {

    private static final SourceUrl URL = SourceUrl.parse("https://h.example/k?X-Amz-Signature=s3cr3tSig",
            HttpSourceSpec.defaults());

    @Test
    void findsTheCodeOfS3AndOssErrorBodies() {
        assertThat(code("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>NoSuchKey</Code>\n"
                + "  <Message>The specified key does not exist.</Message><Key>k</Key></Error>")).isEqualTo("NoSuchKey");
        assertThat(code("<Error><Code> AccessDenied </Code><RequestId>5C3D</RequestId><HostId>oss</HostId></Error>"))
                .isEqualTo("AccessDenied");
    }

    @Test
    void ignoresBodiesThatAreNotPlainErrorDocuments() {
        assertThat(code("")).isNull();
        assertThat(code("<html><body>502 Bad Gateway</body></html>")).isNull();
        assertThat(code("<Code>Orphan</Code>")).isNull();
        assertThat(code("<Error><Code>has space</Code></Error>")).isNull();
        assertThat(code("<Error><Code>" + "A".repeat(65) + "</Code></Error>")).isNull();
        assertThat(code("<Error><Code>Unterminated")).isNull();
        // An entity is never expanded: the scan sees the literal text, which is not a valid code.
        assertThat(code("<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Error><Code>&x;</Code></Error>")).isNull();
    }

    @Test
    void readsAtMostTheBoundedPrefix() {
        String padded = "<Error>" + " ".repeat(SourceErrors.MAX_ERROR_BODY_BYTES) + "<Code>Late</Code></Error>";
        assertThat(code(padded)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "500, false, SOURCE_ERROR, true",
        "503, true, SOURCE_ERROR, true",
        "301, false, SOURCE_NOT_ALLOWED, false",
        "307, true, SOURCE_NOT_ALLOWED, false",
        "304, false, SOURCE_ERROR, false",
        "403, false, SOURCE_ERROR, false",
        "403, true, SOURCE_URL_EXPIRED, false",
        "404, false, SOURCE_ERROR, false",
        "404, true, SOURCE_CHANGED, false",
        "412, true, SOURCE_CHANGED, false",
        "416, true, SOURCE_CHANGED, false",
        "400, true, SOURCE_ERROR, false",
    })
    void mapsStatuses(int status, boolean resuming, ErrorCode code, boolean transient_) {
        RuntimeException e = SourceErrors.forStatus(status, "Code1", resuming, URL);

        SourceException se = e instanceof TransientFailure tf ? tf.giveUp("done") : (SourceException) e;
        assertThat(e instanceof TransientFailure).isEqualTo(transient_);
        assertThat(se.code()).isEqualTo(code);
        assertThat(se.status()).isEqualTo(status);
        assertThat(se.sourceErrorCode()).isEqualTo("Code1");
        assertThat(se).hasMessageNotContaining("s3cr3tSig");
    }

    @Test
    void classifiesTransportFailuresAndScrubsTheirMessages() {
        RuntimeException closed = SourceErrors.transport(
                PrematureCloseException.TEST_EXCEPTION, URL, "during the body");
        RuntimeException timeout = SourceErrors.transport(ReadTimeoutException.INSTANCE, URL, "before the response");
        RuntimeException quoting = SourceErrors.transport(
                new IOException("failed GET https://h.example/k?X-Amz-Signature=s3cr3tSig", new IllegalStateException("s3cr3tSig")),
                URL, "x");

        assertThat(closed).isInstanceOf(TransientFailure.class);
        assertThat(((TransientFailure) closed).code()).isEqualTo(ErrorCode.SOURCE_UNAVAILABLE);
        assertThat(((TransientFailure) timeout).code()).isEqualTo(ErrorCode.SOURCE_TIMEOUT);
        assertThat(quoting.getCause()).isInstanceOf(ScrubbedCause.class)
                .hasMessage("java.io.IOException: failed GET https://h.example/k?X-Amz-Signature=***");
        assertThat(quoting.getCause().getCause()).hasMessage("java.lang.IllegalStateException: ***");
        assertThat(quoting.getCause().getStackTrace()).isNotEmpty();
    }

    @Test
    void passesOurOwnFailuresThrough() {
        SourceException refused = new SourceException(ErrorCode.SOURCE_NOT_ALLOWED, 0, null, "refused");

        assertThat(SourceErrors.transport(new RuntimeException("wrapper", refused), URL, "x")).isSameAs(refused);
        assertThat(SourceErrors.transport(new IllegalArgumentException("odd"), URL, "x"))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNAVAILABLE));
    }

    private static String code(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return SourceErrors.errorCode(b, b.length);
    }
}
