package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Every {@code x-amz-content-sha256} form the AWS SDKs send on a WGOR, produced by the SDK's own
 * {@link AwsV4HttpSigner} and sent as signed, or with the body altered after signing: the intact ones reach the
 * caller, the altered ones fail the WGOR with S3's error code and the caller never gets a complete-looking body.
 */
class WgorPayloadFormsTest {

    @TempDir
    Path root;

    enum Form {
        /** The body's SHA-256, as botocore and SDK v2 sign over http://. */
        SHA256(false, true, false),
        UNSIGNED(false, false, false),
        /** STREAMING-AWS4-HMAC-SHA256-PAYLOAD. */
        CHUNKED_SIGNED(true, true, false),
        /** STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER with x-amz-checksum-crc32. */
        CHUNKED_SIGNED_TRAILER(true, true, true),
        /** STREAMING-UNSIGNED-PAYLOAD-TRAILER with x-amz-checksum-crc32. */
        CHUNKED_UNSIGNED_TRAILER(true, false, true);

        final boolean chunked;
        final boolean signed;
        final boolean trailer;

        Form(boolean chunked, boolean signed, boolean trailer) {
            this.chunked = chunked;
            this.signed = signed;
            this.trailer = trailer;
        }
    }

    private static final String TEXT = "signed payload forms, one line of many\n".repeat(20_000);

    @ParameterizedTest
    @EnumSource(Form.class)
    void intactWgorBodyInEachPayloadFormReachesTheCaller(Form form) throws Exception {
        Outcome o = run(form, UnaryOperator.identity());
        assertThat(o.wgorStatus).isEqualTo(200);
        assertThat(o.callerStatus).isEqualTo(200);
        assertThat(o.callerBody).isEqualTo(TEXT.toUpperCase(Locale.ROOT));
    }

    @Test
    void bodyThatDiffersFromItsSignedSha256FailsTheWgorWithXAmzContentSha256Mismatch() throws Exception {
        Outcome o = run(Form.SHA256, WgorPayloadFormsTest::flipLastLetter);
        assertThat(o.wgorStatus).isEqualTo(400);
        assertThat(o.wgorBody).contains("<Code>XAmzContentSHA256Mismatch</Code>");
        assertThat(o.callerBody).isNotEqualTo(TEXT.toUpperCase(Locale.ROOT));
    }

    @Test
    void alteredChunkFailsItsChunkSignatureWith403() throws Exception {
        Outcome o = run(Form.CHUNKED_SIGNED, WgorPayloadFormsTest::flipLastLetter);
        assertThat(o.wgorStatus).isEqualTo(403);
        assertThat(o.wgorBody).contains("<Code>SignatureDoesNotMatch</Code>");
        assertThat(o.callerBody).isNotEqualTo(TEXT.toUpperCase(Locale.ROOT));
    }

    @Test
    void alteredDataUnderAnUnsignedTrailerFailsTheTrailingChecksumWithBadDigest() throws Exception {
        Outcome o = run(Form.CHUNKED_UNSIGNED_TRAILER, WgorPayloadFormsTest::flipLastLetter);
        assertThat(o.wgorStatus).isEqualTo(400);
        assertThat(o.wgorBody).contains("<Code>BadDigest</Code>");
        assertThat(o.callerBody).isNotEqualTo(TEXT.toUpperCase(Locale.ROOT));
    }

    @Test
    void alteredTrailerFailsTheTrailerSignature() throws Exception {
        Outcome o = run(Form.CHUNKED_SIGNED_TRAILER, b -> {
            String s = new String(b, StandardCharsets.ISO_8859_1);
            int i = s.lastIndexOf("x-amz-checksum-crc32:") + "x-amz-checksum-crc32:".length();
            return (s.substring(0, i) + "AAAAAA==" + s.substring(s.indexOf('\r', i))).getBytes(StandardCharsets.ISO_8859_1);
        });
        assertThat(o.wgorStatus).isEqualTo(403);
        assertThat(o.wgorBody).contains("<Code>SignatureDoesNotMatch</Code>");
    }

    @Test
    void unsupportedPayloadFormIsRefusedNamingTheAcceptedForms() throws Exception {
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/k.txt"), "x");
        String now = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
        try (LocalAccessPoint ap = LocalAccessPoint.builder().root(root).port(0).start()) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ap.endpoint()
                    + "/WriteGetObjectResponse")).POST(HttpRequest.BodyPublishers.ofString("x"))
                    .header("x-amz-content-sha256", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")
                    .header("x-amz-date", now)
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=transflux/" + now.substring(0, 8)
                            + "/us-east-1/s3-object-lambda/"
                            + "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("<Code>InvalidArgument</Code>").contains("STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                    .contains("UNSIGNED-PAYLOAD");
        }
    }

    record Outcome(int wgorStatus, String wgorBody, int callerStatus, String callerBody) {
    }

    private Outcome run(Form form, UnaryOperator<byte[]> alter) throws Exception {
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/k.txt"), TEXT);
        List<HttpResponse<String>> wgor = new CopyOnWriteArrayList<>();
        String[] endpoint = new String[1];
        try (FunctionServer fn = new FunctionServer(event -> wgor.add(send(event, endpoint[0], form, alter)));
             LocalAccessPoint ap = LocalAccessPoint.builder().root(root).port(0).functionUrl(fn.url()).start()) {
            endpoint[0] = ap.endpoint();
            int status;
            String body;
            try {
                HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(ap.endpoint() + "/b/k.txt")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                status = r.statusCode();
                try (InputStream in = r.body()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    body = "(aborted: " + e.getClass().getSimpleName() + ")";
                }
            } catch (IOException e) {
                status = -1;
                body = "(aborted: " + e.getClass().getSimpleName() + ")";
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (wgor.isEmpty() && fn.failures.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(fn.failures).isEmpty();
            assertThat(wgor).hasSize(1);
            return new Outcome(wgor.get(0).statusCode(), wgor.get(0).body(), status, body);
        }
    }

    /** A WGOR signed by the SDK's signer in {@code form}, its (encoded) body then passed through {@code alter}. */
    private static HttpResponse<String> send(JsonNode event, String endpoint, Form form, UnaryOperator<byte[]> alter)
            throws Exception {
        byte[] upper = new String(FunctionServer.fetchInput(event), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT)
                .getBytes(StandardCharsets.UTF_8);
        // The scheme is not signed; https makes the signer honour "unsigned" as it does on the wire to AWS.
        URI signedUri = URI.create(endpoint.replace("http://", "https://") + "/WriteGetObjectResponse");
        SdkHttpRequest req = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(signedUri)
                .putHeader("x-amz-request-route", FunctionServer.route(event))
                .putHeader("x-amz-request-token", FunctionServer.token(event))
                .putHeader("x-amz-fwd-status", "200")
                .putHeader("Content-Length", Integer.toString(upper.length))
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(s -> {
            s.identity(AwsCredentialsIdentity.create(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID,
                            LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY))
                    .request(req)
                    .payload(ContentStreamProvider.fromByteArray(upper))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3-object-lambda")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, form.signed)
                    .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, form.chunked);
            if (form.trailer) {
                s.putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32);
            }
        });
        byte[] sent;
        try (InputStream in = signed.payload().orElseThrow().newStream()) {
            sent = alter.apply(in.readAllBytes());
        }
        String expected = switch (form) {
            case SHA256 -> "[0-9a-f]{64}";
            case UNSIGNED -> "UNSIGNED-PAYLOAD";
            case CHUNKED_SIGNED -> "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
            case CHUNKED_SIGNED_TRAILER -> "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
            case CHUNKED_UNSIGNED_TRAILER -> "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
        };
        assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256")).hasValueSatisfying(v ->
                assertThat(v).matches(expected));
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(endpoint + "/WriteGetObjectResponse"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(sent));
        Set<String> restricted = Set.of("host", "content-length");
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            if (!restricted.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                h.getValue().forEach(v -> out.header(h.getKey(), v));
            }
        }
        return HttpClient.newHttpClient().send(out.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The input with its last ASCII letter's case flipped (in chunked bodies: inside the last data chunk). */
    private static byte[] flipLastLetter(byte[] b) {
        byte[] c = b.clone();
        String s = new String(c, StandardCharsets.ISO_8859_1);
        int i = s.lastIndexOf("MANY");
        c[i] = (byte) 'm';
        return c;
    }
}
