package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.testing.ExternalTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A function URL with {@code AuthType: AWS_IAM}, called through the AWS SDK's own SigV4 signer for service
 * {@code lambda} ({@link AwsV4HttpSigner}, header or presigned query) and sent by the SDK's HTTP client; unsigned,
 * wrongly signed or wrongly scoped requests get 403 before the function runs. Also the function's limits end to
 * end: an output past {@code TRANSFLUX_MAX_OUTPUT_BYTES} and a source slower than the function timeout both end
 * the caller's response mid-body in a way no client can take for complete, and the next invocation is served
 * (the timed-out runtime replaced, as Lambda resets an execution environment). One function JVM for the class.
 */
class FunctionUrlIamAndLimitsTest {

    static final AwsCredentials CALLER = AwsCredentials.of("AKIACALLER0000000002", "caller-secret-2", null);
    static final long CAP = 12L * 1024 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(6);

    @TempDir
    static Path dir;
    static SignedObjectSource source;
    static FunctionUrlServer url;
    static SdkHttpClient http;

    @BeforeAll
    static void start() {
        ExternalTools.require("curl", "curl");
        FunctionUrlStreamingTest.dir = dir;
        source = new SignedObjectSource(FunctionUrlStreamingTest.ROLE);
        source.putGenerated("data/public/small.bin", 300 * 1024, "\"small\"");
        source.putGenerated("data/public/huge.bin", 20L * 1024 * 1024, "\"huge\"");
        // 9 MiB at once (past the 8 MiB the core holds before committing a status), then 64 KiB per 100 ms.
        source.putSlow("data/public/slow.bin", 64L * 1024 * 1024, "\"slow\"", 9L * 1024 * 1024, Duration.ofMillis(100));
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "AWS_ACCESS_KEY_ID", FunctionUrlStreamingTest.ROLE.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", "role-secret-0001", "AWS_SESSION_TOKEN", "role-session-token",
                "AWS_ENDPOINT_URL_S3", source.endpoint(), "TRANSFLUX_URL_BUCKET", "data",
                "TRANSFLUX_URL_KEY_PREFIX", "public/", "TRANSFLUX_MAX_OUTPUT_BYTES", Long.toString(CAP)));
        url = FunctionUrlServer.builder().runtime(FunctionUrlSdkClientTest.runtime(1)).environment(env)
                .auth(FunctionUrlServer.Auth.AWS_IAM).caller(CALLER).timeout(TIMEOUT).build();
        http = UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build();
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.close();
        }
        if (url != null) {
            url.close();
        }
        if (source != null) {
            source.close();
        }
    }

    /** {@code GET path} signed by the SDK's SigV4 signer as {@code who}, for {@code service}, in a header or the query. */
    static SdkHttpRequest signed(String path, AwsCredentials who, String secret, String service, boolean presign) {
        SdkHttpRequest req = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(URI.create(url.url() + path)).build();
        return AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(who.accessKeyId(), secret)).request(req)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service);
            if (presign) {
                r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5));
            }
        }).request();
    }

    record Reply(int status, Map<String, List<String>> headers, byte[] body) {
    }

    static Reply send(SdkHttpRequest req) throws IOException {
        HttpExecuteResponse r = http.prepareRequest(HttpExecuteRequest.builder().request(req).build()).call();
        byte[] body;
        try (InputStream in = r.responseBody().map(b -> (InputStream) b).orElse(AbortableInputStream.createEmpty())) {
            body = in.readAllBytes();
        }
        return new Reply(r.httpResponse().statusCode(), r.httpResponse().headers(), body);
    }

    static byte[] generated(long n) {
        byte[] b = new byte[(int) n];
        for (int i = 0; i < n; i++) {
            b[i] = SignedObjectSource.generatedByte(i);
        }
        return b;
    }

    @Test
    void requestsSignedByTheSdkForLambdaInAHeaderOrPresignedGetTheBytes() throws Exception {
        byte[] want = generated(300 * 1024);
        Reply h = send(signed("/small.bin", CALLER, "caller-secret-2", "lambda", false));
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.body()).isEqualTo(want);
        Reply q = send(signed("/small.bin", CALLER, "caller-secret-2", "lambda", true));
        assertThat(q.status()).isEqualTo(200);
        assertThat(q.body()).isEqualTo(want);
    }

    @Test
    void unsignedWronglySignedOrWronglyScopedRequestsAre403BeforeTheFunctionRuns() throws Exception {
        source.paths.clear();
        List<SdkHttpRequest> bad = List.of(
                SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(URI.create(url.url() + "/small.bin")).build(),
                signed("/small.bin", CALLER, "not-the-secret", "lambda", false),
                signed("/small.bin", CALLER, "not-the-secret", "lambda", true),
                signed("/small.bin", CALLER, "caller-secret-2", "s3", false),
                signed("/small.bin", AwsCredentials.of("AKIAUNKNOWN000000000", "x", null), "x", "lambda", false));
        for (SdkHttpRequest r : bad) {
            Reply reply = send(r);
            assertThat(reply.status()).as(r.getUri().toString().replaceAll("Signature=[0-9a-f]+", "Signature=…"))
                    .isEqualTo(403);
            assertThat(reply.headers().get("x-amzn-ErrorType")).containsExactly("AccessDeniedException");
            assertThat(new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"Message\":\"Forbidden\"}");
        }
        assertThat(source.paths).isEmpty();
    }

    @Test
    void anOutputPastTheCapEndsTheBodyMidStreamNeverLookingComplete() throws Exception {
        FunctionUrlStreamingTest.Curl c = FunctionUrlStreamingTest.curl("--aws-sigv4", "aws:amz:us-east-1:lambda",
                "--user", CALLER.accessKeyId() + ":caller-secret-2", url.url() + "/huge.bin");
        assertThat(c.status()).isEqualTo(200);
        // 18: partial transfer, the chunked body never ended.
        assertThat(c.exit()).isEqualTo(18);
        assertThat((long) c.body().length).isGreaterThanOrEqualTo(8L * 1024 * 1024).isLessThanOrEqualTo(CAP);
        assertThat(c.body()).isEqualTo(generated(c.body().length));
    }

    @Test
    void theFunctionTimeoutEndsAStreamMidBodyAndTheNextInvocationIsServed() throws Exception {
        // A warm runtime first: the deadline counts from the request, and a JVM start would eat into it.
        assertThat(send(signed("/small.bin", CALLER, "caller-secret-2", "lambda", false)).status()).isEqualTo(200);
        long t0 = System.nanoTime();
        FunctionUrlStreamingTest.Curl c = FunctionUrlStreamingTest.curl("--aws-sigv4", "aws:amz:us-east-1:lambda",
                "--user", CALLER.accessKeyId() + ":caller-secret-2", url.url() + "/slow.bin");
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        assertThat(c.status()).isEqualTo(200);
        // 18: partial transfer. How much arrived by the deadline depends on the machine; every byte is the object's.
        assertThat(c.exit()).isEqualTo(18);
        assertThat((long) c.body().length).isPositive().isLessThan(64L * 1024 * 1024);
        assertThat(c.body()).isEqualTo(generated(c.body().length));
        // Ended at the timeout (plus the emulator's 1 s kill grace), not when the 64 MiB would have arrived (~85 s).
        assertThat(seconds).isLessThan(TIMEOUT.toSeconds() + 10);
        Reply next = send(signed("/small.bin", CALLER, "caller-secret-2", "lambda", false));
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).isEqualTo(generated(300 * 1024));
    }
}
