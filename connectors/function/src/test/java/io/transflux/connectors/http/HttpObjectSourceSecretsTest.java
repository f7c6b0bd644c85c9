package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.SourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Canary credentials in the presigned query must not show up in any exception (messages, causes,
 * suppressed, stack-trace text) or any log record, on any failure path (docs/reliability.md §7).
 */
class HttpObjectSourceSecretsTest extends OriginTestBase {

    private static final String QUERY = "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=CANARYCRED%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20250101T000000Z"
            + "&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=CANARYSIG"
            + "&X-Amz-Security-Token=CANARYTOKEN%2Bsession%3D%3D";

    private final byte[] body = random(300_000, 30);
    private LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.install();
    }

    @AfterEach
    void noCanaryInLogs() {
        logs.close();
        assertThat(logs.lines()).allSatisfy(line -> assertThat(line).doesNotContain("CANARY"));
    }

    @Test
    void errorReplyEchoingTheSignature() {
        origin.then(FaultOrigin.status(403, "<Error><Code>SignatureDoesNotMatch</Code><Message>no</Message>"
                + "<CanonicalRequest>GET /o X-Amz-Signature=CANARYSIG</CanonicalRequest>"
                + "<SignatureProvided>CANARYSIG</SignatureProvided></Error>"));

        SourceException e = failure(origin.url("/o" + QUERY), spec(b -> b));

        assertThat(e.sourceErrorCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e).hasMessageContaining("X-Amz-Signature=***").hasMessageContaining("X-Amz-Security-Token=***");
    }

    @Test
    void serverErrorsUntilTheBudgetIsSpent() {
        origin.otherwise(FaultOrigin.status(500, "<Error><Code>InternalError</Code></Error>"));
        failure(origin.url("/o" + QUERY), spec(b -> b.maxResumes(1)));
    }

    @Test
    void redirectToALocationCarryingTheToken() {
        origin.then((req, res) -> res.status(307).header("Location", "http://127.0.0.1/o" + QUERY).send());
        failure(origin.url("/o" + QUERY), spec(b -> b));
    }

    @Test
    void connectionClosedMidBodyWithoutEtag() {
        origin.then(FaultOrigin.cut(body, null, 100_000, false));
        assertThat(failure(origin.url("/o" + QUERY), spec(b -> b)).getCause()).isNotNull();
    }

    @Test
    void connectionResetMidBodyUntilTheBudgetIsSpent() {
        origin.otherwise(FaultOrigin.cut(body, ETAG, 50_000, true));
        failure(origin.url("/o" + QUERY), spec(b -> b.maxResumes(2)));
    }

    @Test
    void expiredOnResume() {
        origin.then(FaultOrigin.cut(body, ETAG, 100_000, false), FaultOrigin.status(403, "<Error><Code>AccessDenied</Code></Error>"));
        assertThat(failure(origin.url("/o" + QUERY), spec(b -> b)).code()).isEqualTo(ErrorCode.SOURCE_URL_EXPIRED);
    }

    @Test
    void changedOnResume() {
        origin.then(FaultOrigin.cut(body, ETAG, 100_000, false), FaultOrigin.ignoringRange(body, ETAG));
        assertThat(failure(origin.url("/o" + QUERY), spec(b -> b)).code()).isEqualTo(ErrorCode.SOURCE_CHANGED);
    }

    @Test
    void idleTimeouts() {
        origin.otherwise(FaultOrigin.stallAfterHeaders(body, ETAG));
        failure(origin.url("/o" + QUERY), spec(b -> b.idleReadTimeout(Duration.ofMillis(100)).maxResumes(1)));
    }

    @Test
    void responseTimeouts() {
        origin.otherwise(FaultOrigin.delayed(Duration.ofSeconds(2), body, ETAG));
        failure(origin.url("/o" + QUERY), spec(b -> b.responseTimeout(Duration.ofMillis(100)).maxResumes(0)));
        // Reactor Netty warns about the read timeout: proof that the capture sees its records at all.
        assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("ReadTimeoutException"));
    }

    @Test
    void totalDeadline() {
        origin.then(FaultOrigin.trickle(body, ETAG, Duration.ofMillis(10)));
        failure(origin.url("/o" + QUERY), spec(b -> b.totalDeadline(Duration.ofMillis(300))));
    }

    @Test
    void connectionRefused() {
        DisposableServer gone = HttpServer.create().host("127.0.0.1").port(0).bindNow(WAIT);
        int port = gone.port();
        gone.disposeNow(WAIT);

        SourceException e = failure("http://127.0.0.1:" + port + "/o" + QUERY, spec(b -> b.maxResumes(1)));

        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNAVAILABLE);
    }

    @Test
    void tlsFailure() {
        failure("https://127.0.0.1:" + origin.port() + "/o" + QUERY, spec(b -> b.maxResumes(0)));
    }

    @Test
    void guardRefusals() {
        failure(origin.url("/o" + QUERY), HttpSourceSpec.defaults());
        failure("http://localhost:" + origin.port() + "/o" + QUERY, HttpSourceSpec.defaults());
        failure("http://169.254.169.254/latest/meta-data/" + QUERY, spec(b -> b));
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void malformedUrls() {
        failure("http://CANARYUSER:CANARYPASS@127.0.0.1:" + origin.port() + "/o" + QUERY, spec(b -> b));
        failure(origin.url("/o" + QUERY + "&bad=a CANARYSPACE"), spec(b -> b));
        failure(origin.url("/o" + QUERY + "#CANARYFRAGMENT"), spec(b -> b));
        failure(origin.url("/o" + QUERY + "&x=%ZZCANARYBADESCAPE"), spec(b -> b));
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void poolExhausted() {
        origin.otherwise(FaultOrigin.stallAfterHeaders(body, ETAG));
        HttpSourceClient tiny = HttpSourceClient.builder().name("tiny").maxConnections(1)
                .pendingAcquireTimeout(Duration.ofMillis(200)).build();
        try {
            HttpObjectSource source = HttpObjectSource.builder(origin.url("/o" + QUERY)).client(tiny).spec(spec(b -> b)).build();
            ObjectStream holding = source.open().block(WAIT);

            SourceException e = failure(source);

            assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNAVAILABLE);
            assertThat(e).hasMessageContaining("connection pool exhausted");
            holding.content().subscribe().dispose();
        } finally {
            tiny.disposeLater().block(WAIT);
        }
    }

    @Test
    void successLeavesNoTraceEither() {
        origin.then(FaultOrigin.object(body, ETAG));
        HttpObjectSource source = HttpObjectSource.builder(origin.url("/o" + QUERY)).client(client).spec(spec(b -> b)).build();

        ObjectStream stream = source.open().block(WAIT);

        assertThat(readAll(stream)).isEqualTo(body);
        assertThat(source.toString() + stream).doesNotContain("CANARY");
    }

    private SourceException failure(String url, HttpSourceSpec spec) {
        return failure(HttpObjectSource.builder(url).client(client).spec(spec).build());
    }

    /** Opens and reads {@code source}, expecting a SourceException whose whole printout is clean. */
    private static SourceException failure(HttpObjectSource source) {
        assertThat(source.toString()).doesNotContain("CANARY");
        Throwable thrown = null;
        try {
            collect(source.open().block(WAIT).content());
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(thrown).isInstanceOf(SourceException.class);
        StringWriter printed = new StringWriter();
        thrown.printStackTrace(new PrintWriter(printed));
        assertThat(printed.toString()).doesNotContain("CANARY");
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage()) + t).doesNotContain("CANARY");
        }
        return (SourceException) thrown;
    }
}
