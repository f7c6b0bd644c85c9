package io.transflux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.transflux.connectors.InvocationOutcome;
import io.transflux.connectors.LocalSource;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.PayloadPolicy;
import io.transflux.connectors.TestHttpSource;
import io.transflux.connectors.TestStages;
import io.transflux.connectors.WgorEndpoint;
import io.transflux.pipeline.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The S3 Object Lambda function end to end: a local store plays the supporting access point, a local WGOR
 * endpoint verifies SigV4 (recomputed with the AWS signer) and records what arrived.
 */
class S3ObjectLambdaTest {

    static final String SECRET = "CANARYsecretKEY";
    static final String SESSION = "CANARYsessionTOKEN";
    static final String OUTPUT_TOKEN = "CANARYoutputTOKEN";
    static final ObjectMapper JSON = new ObjectMapper();

    LocalSource source;
    WgorEndpoint wgor;
    SigV4Verifier verifier;
    final List<String> logs = new ArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logs.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void start() {
        source = new LocalSource();
        verifier = new SigV4Verifier(SECRET, SESSION);
        wgor = new WgorEndpoint().verifier(verifier);
        Logger l = Logger.getLogger("");
        l.addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(capture);
        source.close();
        wgor.close();
        assertThat(String.join("\n", logs)).doesNotContain("CANARY");
    }

    S3ObjectLambda lambda(Pipeline pipeline) {
        ObjectLambdaFunction fn = ObjectLambdaFunction.builder().payloadPolicy(PayloadPolicy.APPLY).pipeline(pipeline).sourceOpener(new TestHttpSource())
                .partSize(10).build();
        return S3ObjectLambda.create(fn, S3WgorClient.fromEnvironment(SigV4Verifier.env(wgor.base(), SECRET, SESSION)));
    }

    String getEvent(String url, String headersJson, String userUrl, String payload) {
        return "{\"xAmzRequestId\":\"req-1\",\"protocolVersion\":\"1.00\",\"getObjectContext\":{\"inputS3Url\":\""
                + url + "\",\"outputRoute\":\"io-euw1-001\",\"outputToken\":\"" + OUTPUT_TOKEN + "\"},"
                + "\"configuration\":{\"accessPointArn\":\"arn:aws:s3-object-lambda:eu-west-1:111122223333:accesspoint/ol\","
                + "\"supportingAccessPointArn\":\"arn:aws:s3:eu-west-1:111122223333:accesspoint/ap\",\"payload\":"
                + JSON.valueToTree(payload) + "},\"userRequest\":{\"url\":\"" + userUrl + "\",\"headers\":" + headersJson
                + "},\"userIdentity\":{\"type\":\"AssumedRole\"},\"someFutureField\":{\"x\":1}}";
    }

    S3ObjectLambda.Result run(S3ObjectLambda l, String event) {
        S3ObjectLambda.Result r = l.handle(event.getBytes(StandardCharsets.UTF_8)).block(Duration.ofSeconds(30));
        assertThat(r).isNotNull();
        assertThat(r.toString() + r.replyJson()).doesNotContain("CANARY");
        return r;
    }

    static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static String crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
    }

    @Test
    void getObjectStreamsTheObjectWithContentLengthAndAValidSigV4Signature() throws Exception {
        byte[] body = data(200_000);
        source.put("/k", body, Map.of("Content-Type", "text/plain", "ETag", "\"abc\"", "x-amz-meta-color", "blue"));

        S3ObjectLambda.Result r = run(lambda(Pipeline.empty()),
                getEvent(source.presigned("/k", "host"), "{\"Accept-Encoding\":\"identity\"}", "https://x/k", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.signatureValid()).isTrue();
        assertThat(verifier.lastService).isEqualTo("s3-object-lambda");
        assertThat(c.uri()).isEqualTo("/WriteGetObjectResponse");
        assertThat(c.header("x-amz-request-route")).isEqualTo("io-euw1-001");
        assertThat(c.header("x-amz-request-token")).isEqualTo(OUTPUT_TOKEN);
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("200");
        assertThat(c.header("content-length")).isEqualTo("200000");
        assertThat(c.header("x-amz-fwd-header-content-type")).isEqualTo("text/plain");
        assertThat(c.header("x-amz-fwd-header-etag")).isEqualTo("\"abc\"");
        assertThat(c.header("x-amz-meta-color")).isEqualTo("blue");
        assertThat(c.body()).isEqualTo(body);
        assertThat(c.complete()).isTrue();
        assertThat(r.outcome().delivery()).isEqualTo(InvocationOutcome.Delivery.SENT);
        assertThat(r.outcome().bytesIn()).isEqualTo(200_000);
        assertThat(r.outcome().bytesOut()).isEqualTo(200_000);
        assertThat(r.outcome().checksums()).containsEntry("crc32c", crc32c(body, 0, body.length));
        assertThat(source.requests.get(0)).doesNotContainKey("range");
    }

    @Test
    void unknownTransformedLengthStreamsChunkedWithoutContentLengthOrSourceEtag() throws Exception {
        byte[] body = data(300_000);
        source.put("/k", body, Map.of("ETag", "\"abc\""));

        run(lambda(TestStages.unknownLength()), getEvent(source.presigned("/k", "host"), "{}", "https://x/k", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.signatureValid()).isTrue();
        assertThat(c.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(c.header("content-length")).isNull();
        assertThat(c.header("x-amz-fwd-header-etag")).isNull();
        assertThat(c.body()).isEqualTo(body);
        assertThat(c.complete()).isTrue();
    }

    @Test
    void signedHeadersOfThePresignedUrlAreSentToTheSourceButNeverRange() throws Exception {
        source.put("/k", data(10), Map.of());

        run(lambda(Pipeline.empty()), getEvent(source.presigned("/k", "host;x-amz-checksum-mode"),
                "{\"X-Amz-Checksum-Mode\":\"ENABLED\",\"range\":\"bytes=0-1\",\"If-Match\":\"\\\"e\\\"\"}", "https://x/k", "{}"));

        wgor.take();
        assertThat(source.requests.get(0)).containsEntry("x-amz-checksum-mode", "ENABLED")
                .containsEntry("if-match", "\"e\"").doesNotContainKey("range");
    }

    @Test
    void minioArrayValuedHeadersAreAccepted() throws Exception {
        source.put("/k", data(100), Map.of());

        run(lambda(Pipeline.empty()), getEvent(source.presigned("/k", "host"),
                "{\"Range\":[\"bytes=10-19\"],\"Accept\":[\"a\",\"b\"]}", "https://x/k", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("206");
        assertThat(c.header("x-amz-fwd-header-content-range")).isEqualTo("bytes 10-19/100");
    }

    @Test
    void sourceNotFoundIsForwardedAs404NoSuchKey() throws Exception {
        source.putError("/missing", 404, "NoSuchKey");

        S3ObjectLambda.Result r = run(lambda(Pipeline.empty()),
                getEvent(source.presigned("/missing", "host"), "{}", "https://x/missing", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.signatureValid()).isTrue();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("404");
        assertThat(c.header("x-amz-fwd-error-code")).isEqualTo("NoSuchKey");
        assertThat(c.header("x-amz-fwd-error-message")).isEqualTo("The specified key does not exist.");
        assertThat(c.bodyBytes()).isZero();
        assertThat(r.outcome().errorCode()).isEqualTo("NoSuchKey");
        assertThat(wgor.poll(200)).as("exactly one WGOR").isNull();
    }

    @Test
    void sourceAccessDeniedIsForwardedAs403() throws Exception {
        source.putError("/secret", 403, "AccessDenied");

        run(lambda(Pipeline.empty()), getEvent(source.presigned("/secret", "host"), "{}", "https://x/secret", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("403");
        assertThat(c.header("x-amz-fwd-error-code")).isEqualTo("AccessDenied");
    }

    @Test
    void pipelineFailureBeforeTheFirstByteBecomesA400WithStaticMessage() throws Exception {
        source.put("/k", data(1000), Map.of());

        S3ObjectLambda.Result r = run(lambda(TestStages.failAfter(0)),
                getEvent(source.presigned("/k", "host"), "{}", "https://x/k", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("400");
        assertThat(c.header("x-amz-fwd-error-code")).isEqualTo("MalformedCompressedObject");
        assertThat(c.header("x-amz-fwd-error-message")).isEqualTo("The object is not valid compressed data.");
        assertThat(r.outcome().delivery()).isEqualTo(InvocationOutcome.Delivery.SENT);
        assertThat(wgor.poll(200)).isNull();
    }

    @Test
    void failureAfterBytesWereSentAbortsTheWgorRequestWithoutTheFinalChunk() throws Exception {
        // Past the 8 MiB held before the status is committed.
        source.put("/k", data(10_000_000), Map.of());

        S3ObjectLambda.Result r = run(lambda(TestStages.failAfter(9_000_000)),
                getEvent(source.presigned("/k", "host"), "{}", "https://x/k", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.complete()).as("the endpoint saw the body end properly").isFalse();
        assertThat(c.bodyBytes()).isLessThanOrEqualTo(9_000_000);
        assertThat(r.outcome().delivery()).isEqualTo(InvocationOutcome.Delivery.ABORTED);
        assertThat(r.outcome().errorCode()).isEqualTo("MalformedCompressedObject");
        assertThat(wgor.poll(300)).as("no second WGOR after an abort").isNull();
    }

    @Test
    void sourceDyingMidBodyAbortsTheWgorRequest() throws Exception {
        source.putFailing("/k", data(10_000_000), 9_000_000);

        S3ObjectLambda.Result r = run(lambda(Pipeline.empty()),
                getEvent(source.presigned("/k", "host"), "{}", "https://x/k", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.complete()).isFalse();
        assertThat(r.outcome().delivery()).isEqualTo(InvocationOutcome.Delivery.ABORTED);
    }

    @Test
    void failureWithinTheFirst8MiBIsACleanErrorStatusNotAStartedBody() throws Exception {
        source.put("/k", data(6_000_000), Map.of());

        S3ObjectLambda.Result r = run(lambda(TestStages.failAfter(5_000_000)),
                getEvent(source.presigned("/k", "host"), "{}", "https://x/k", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.complete()).isTrue();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("400");
        assertThat(c.header("x-amz-fwd-error-code")).isEqualTo("MalformedCompressedObject");
        assertThat(c.bodyBytes()).isZero();
        assertThat(r.outcome().delivery()).isEqualTo(InvocationOutcome.Delivery.SENT);
        assertThat(wgor.poll(300)).as("one WGOR only").isNull();
    }

    @Test
    void malformedEventWithRouteAndTokenIsAnsweredThroughWgorWith400() throws Exception {
        String event = "{\"protocolVersion\":\"1.00\",\"getObjectContext\":{\"outputRoute\":\"io-euw1-001\","
                + "\"outputToken\":\"" + OUTPUT_TOKEN + "\",\"inputS3Url\":42}}";

        S3ObjectLambda.Result r = run(lambda(Pipeline.empty()), event);

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.signatureValid()).isTrue();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("400");
        assertThat(c.header("x-amz-fwd-error-code")).isEqualTo("InvalidRequest");
        assertThat(r.outcome().delivery()).isEqualTo(InvocationOutcome.Delivery.SENT);
        assertThat(logs).anyMatch(l -> l.contains("event rejected"));
    }

    @Test
    void malformedEventWithoutRouteLogsWhyNoWgorWasPossible() throws Exception {
        S3ObjectLambda.Result r = run(lambda(Pipeline.empty()), "{not json");

        assertThat(r.outcome().delivery()).isEqualTo(InvocationOutcome.Delivery.NONE);
        assertThat(wgor.poll(300)).isNull();
        assertThat(logs).anyMatch(l -> l.contains("no WGOR possible"));
    }

    @Test
    void unsupportedProtocolMajorVersionIsRejected() throws Exception {
        String event = getEvent(source.presigned("/k", "host"), "{}", "https://x/k", "{}")
                .replace("\"1.00\"", "\"2.00\"");

        run(lambda(Pipeline.empty()), event);

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("400");
    }

    @Test
    void payloadSelectsThePipelineAndABadSpecIsReportedAs500() throws Exception {
        source.put("/k", data(10), Map.of());

        run(lambda(Pipeline.empty()), getEvent(source.presigned("/k", "host"), "{}", "https://x/k",
                "{\"pipeline\":\"nosuch/stage\"}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("500");
        assertThat(c.header("x-amz-fwd-error-code")).isEqualTo("InvalidPipelineSpec");
    }

    S3ObjectLambda lambda(Pipeline pipeline, PayloadPolicy policy) {
        ObjectLambdaFunction.Builder b = ObjectLambdaFunction.builder().pipeline(pipeline).sourceOpener(new TestHttpSource());
        if (policy != ObjectLambdaFunction.DEFAULT_PAYLOAD_POLICY) {
            b.payloadPolicy(policy);
        }
        return S3ObjectLambda.create(b.build(), S3WgorClient.fromEnvironment(SigV4Verifier.env(wgor.base(), SECRET, SESSION)));
    }

    @Test
    void byDefaultAPayloadCannotReplaceAPipelineBuiltInCode() throws Exception {
        source.put("/k", data(10), Map.of());

        run(lambda(Pipeline.parse("decompress/auto"), ObjectLambdaFunction.DEFAULT_PAYLOAD_POLICY), getEvent(
                source.presigned("/k", "host"), "{}", "https://x/k", "{\"pipeline\":\"\"}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("500");
        assertThat(c.header("x-amz-fwd-error-code")).isEqualTo("InvalidConfiguration");
        assertThat(c.header("x-amz-fwd-error-message")).contains("'pipeline'").contains("REJECT");
    }

    @Test
    void anEmptyPayloadIsAcceptedUnderTheDefaultPolicy() throws Exception {
        byte[] body = data(10);
        source.put("/k", body, Map.of());

        run(lambda(Pipeline.empty(), ObjectLambdaFunction.DEFAULT_PAYLOAD_POLICY), getEvent(
                source.presigned("/k", "host"), "{}", "https://x/k", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("200");
        assertThat(c.body()).isEqualTo(body);
    }

    @Test
    void anIgnoringFunctionKeepsItsOwnPipelineWhateverThePayloadSays() throws Exception {
        byte[] body = data(10);
        source.put("/k", body, Map.of());

        run(lambda(Pipeline.empty(), PayloadPolicy.IGNORE), getEvent(source.presigned("/k", "host"), "{}",
                "https://x/k", "{\"pipeline\":\"nosuch/stage\"}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("200");
        assertThat(c.body()).isEqualTo(body);
    }

    @Test
    void headObjectRepliesWithTheTransformedHeaders() throws Exception {
        source.put("/k", data(1234), Map.of("Content-Type", "text/csv"));
        String event = "{\"xAmzRequestId\":\"r\",\"protocolVersion\":\"1.01\",\"headObjectContext\":{\"inputS3Url\":\""
                + source.presigned("/k", "host") + "\"},\"userRequest\":{\"url\":\"https://x/k\",\"headers\":{}}}";

        JsonNode reply = JSON.readTree(run(lambda(Pipeline.empty()), event).replyJson());

        assertThat(reply.get("statusCode").asInt()).isEqualTo(200);
        assertThat(reply.at("/headers/Content-Length").asText()).isEqualTo("1234");
        assertThat(reply.at("/headers/Content-Type").asText()).isEqualTo("text/csv");
        assertThat(source.methods).containsExactly("HEAD");
        assertThat(wgor.poll(100)).isNull();
    }

    @Test
    void headObjectCountsTheTransformedLengthWhenTheMetadataCannotTell() throws Exception {
        source.put("/k", data(5000), Map.of());
        String event = "{\"protocolVersion\":\"1.00\",\"headObjectContext\":{\"inputS3Url\":\""
                + source.presigned("/k", "host") + "\"},\"userRequest\":{\"url\":\"https://x/k?partNumber=2\",\"headers\":{}}}";

        JsonNode reply = JSON.readTree(run(lambda(TestStages.unknownLength()), event).replyJson());

        assertThat(reply.get("statusCode").asInt()).isEqualTo(206);
        assertThat(reply.at("/headers/Content-Length").asText()).isEqualTo("10");
        assertThat(reply.at("/headers/Content-Range").asText()).isEqualTo("bytes 10-19/5000");
        assertThat(reply.at("/headers/x-amz-mp-parts-count").asText()).isEqualTo("500");
    }

    @Test
    void headObjectOnAHeadOnlyUrlRepliesWithoutALengthWhenTheTransformHidesIt() throws Exception {
        source.put("/k", data(5000), Map.of("Content-Type", "text/plain")).headOnly("/k");
        String event = "{\"protocolVersion\":\"1.00\",\"headObjectContext\":{\"inputS3Url\":\""
                + source.presigned("/k", "host") + "\"},\"userRequest\":{\"url\":\"https://x/k\",\"headers\":{}}}";

        JsonNode reply = JSON.readTree(run(lambda(TestStages.unknownLength()), event).replyJson());

        assertThat(reply.get("statusCode").asInt()).isEqualTo(200);
        assertThat(reply.at("/headers/Content-Length").isMissingNode()).isTrue();
        assertThat(source.methods).containsExactly("HEAD", "GET");
    }

    @Test
    void headObjectOfAMissingKeyReplies404() throws Exception {
        String event = "{\"protocolVersion\":\"1.00\",\"headObjectContext\":{\"inputS3Url\":\""
                + source.presigned("/none", "host") + "\"}}";

        JsonNode reply = JSON.readTree(run(lambda(Pipeline.empty()), event).replyJson());

        assertThat(reply.get("statusCode").asInt()).isEqualTo(404);
    }

    @Test
    void listObjectsAndListObjectsV2ReturnTheListingXml() throws Exception {
        String xml = "<ListBucketResult><Name>b</Name></ListBucketResult>";
        source.put("/", xml.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/xml"));
        for (String ctx : List.of("listObjectsContext", "listObjectsV2Context")) {
            String event = "{\"protocolVersion\":\"1.00\",\"" + ctx + "\":{\"inputS3Url\":\""
                    + source.presigned("/", "host") + "\"}}";

            S3ObjectLambda.Result r = run(lambda(Pipeline.empty()), event);
            JsonNode reply = JSON.readTree(r.replyJson());

            assertThat(r.operation()).isEqualTo(ctx.equals("listObjectsContext") ? "ListObjects" : "ListObjectsV2");
            assertThat(reply.get("statusCode").asInt()).isEqualTo(200);
            assertThat(reply.get("listResultXml").asText()).isEqualTo(xml);
        }
    }

    @Test
    void twoContextsAreMalformed() throws Exception {
        String event = "{\"protocolVersion\":\"1.00\",\"listObjectsContext\":{\"inputS3Url\":\"u\"},"
                + "\"headObjectContext\":{\"inputS3Url\":\"u\"}}";

        JsonNode reply = JSON.readTree(run(lambda(Pipeline.empty()), event).replyJson());

        assertThat(reply.get("statusCode").asInt()).isEqualTo(400);
    }

    @Test
    void checksumModeEnabledSpoolsAndSendsTheChecksumHeaderWithContentLength() throws Exception {
        byte[] body = data(150_000);
        source.put("/k", body, Map.of());

        run(lambda(TestStages.unknownLength()), getEvent(source.presigned("/k", "host"),
                "{\"x-amz-checksum-mode\":\"ENABLED\"}", "https://x/k", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.signatureValid()).isTrue();
        assertThat(c.header("content-length")).isEqualTo("150000");
        assertThat(c.header("x-amz-fwd-header-x-amz-checksum-crc32c")).isEqualTo(crc32c(body, 0, body.length));
        assertThat(c.headers().keySet().stream().filter(k -> k.contains("checksum"))).hasSize(1);
        assertThat(c.body()).isEqualTo(body);
    }

    @Test
    void trailerDeliverySendsTheChecksumAsAChunkedTrailer() throws Exception {
        byte[] body = data(100_000);
        source.put("/k", body, Map.of());

        run(lambda(Pipeline.empty()), getEvent(source.presigned("/k", "host"), "{}", "https://x/k",
                "{\"checksumDelivery\":\"trailer\",\"checksumAlgorithm\":\"sha256\"}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.signatureValid()).isTrue();
        assertThat(c.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(c.header("trailer")).isEqualTo("x-amz-fwd-header-x-amz-checksum-sha256");
        assertThat(c.trailers()).containsEntry("x-amz-fwd-header-x-amz-checksum-sha256", Base64.getEncoder()
                .encodeToString(java.security.MessageDigest.getInstance("SHA-256").digest(body)));
        assertThat(c.body()).isEqualTo(body);
    }

    @Test
    void defaultDeliverySendsNoChecksumButReportsIt() throws Exception {
        byte[] body = data(1000);
        source.put("/k", body, Map.of());

        S3ObjectLambda.Result r = run(lambda(Pipeline.empty()),
                getEvent(source.presigned("/k", "host"), "{}", "https://x/k", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.headers().keySet()).noneMatch(k -> k.contains("checksum"));
        assertThat(r.outcome().checksums()).containsEntry("crc32c", crc32c(body, 0, body.length));
    }

    @Test
    void rangeOnUnknownLengthOutputAnswersWithAStarTotal() throws Exception {
        byte[] body = data(100_000);
        source.putChunked("/k", body, Map.of());

        S3ObjectLambda.Result r = run(lambda(TestStages.unknownLength()),
                getEvent(source.presigned("/k", "host"), "{\"Range\":\"bytes=1000-1999\"}", "https://x/k", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("206");
        assertThat(c.header("x-amz-fwd-header-content-range")).isEqualTo("bytes 1000-1999/*");
        assertThat(c.header("content-length")).isEqualTo("1000");
        assertThat(c.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 1000, 2000));
        assertThat(r.outcome().bytesOut()).isEqualTo(1000);
    }

    @Test
    void rangeEndingPastTheEndOfUnknownLengthOutputIsCutAtTheRealEnd() throws Exception {
        source.putChunked("/k", data(500), Map.of());

        run(lambda(TestStages.unknownLength()),
                getEvent(source.presigned("/k", "host"), "{\"Range\":\"bytes=400-999\"}", "https://x/k", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-header-content-range")).isEqualTo("bytes 400-499/500");
        assertThat(c.bodyBytes()).isEqualTo(100);
    }

    @Test
    void suffixRangeOnUnknownLengthOutputLearnsTheTotal() throws Exception {
        byte[] body = data(5000);
        source.putChunked("/k", body, Map.of());

        run(lambda(TestStages.unknownLength()),
                getEvent(source.presigned("/k", "host"), "{\"Range\":\"bytes=-100\"}", "https://x/k", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("206");
        assertThat(c.header("x-amz-fwd-header-content-range")).isEqualTo("bytes 4900-4999/5000");
        assertThat(c.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 4900, 5000));
    }

    @Test
    void rangePastTheEndIs416WithTheTotal() throws Exception {
        source.put("/k", data(100), Map.of());
        source.putChunked("/u", data(100), Map.of());

        run(lambda(Pipeline.empty()), getEvent(source.presigned("/k", "host"), "{\"Range\":\"bytes=100-\"}", "https://x/k", "{}"));
        run(lambda(TestStages.unknownLength()), getEvent(source.presigned("/u", "host"), "{\"Range\":\"bytes=200-300\"}",
                "https://x/u", "{}"));

        for (int i = 0; i < 2; i++) {
            WgorEndpoint.Capture c = wgor.take();
            assertThat(c.signatureValid()).isTrue();
            assertThat(c.header("x-amz-fwd-status")).isEqualTo("416");
            assertThat(c.header("x-amz-fwd-error-code")).isEqualTo("InvalidRange");
            assertThat(c.header("x-amz-fwd-header-content-range")).isEqualTo("bytes */100");
            assertThat(c.bodyBytes()).isZero();
        }
    }

    @Test
    void partNumberInTheUserUrlServesThatPart() throws Exception {
        byte[] body = data(25);
        source.put("/k", body, Map.of());

        run(lambda(Pipeline.empty()), getEvent(source.presigned("/k", "host"), "{}", "https://x/k?partNumber=3", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("206");
        assertThat(c.header("x-amz-fwd-header-content-range")).isEqualTo("bytes 20-24/25");
        assertThat(c.header("x-amz-fwd-header-x-amz-mp-parts-count")).isEqualTo("3");
        assertThat(c.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 20, 25));
    }

    @Test
    void rangeAndPartNumberTogetherAre400() throws Exception {
        run(lambda(Pipeline.empty()), getEvent(source.presigned("/k", "host"), "{\"Range\":\"bytes=0-1\"}",
                "https://x/k?partNumber=1", "{}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("400");
        assertThat(c.header("x-amz-fwd-error-code")).isEqualTo("InvalidRequest");
        assertThat(source.requests).as("cheap checks come before the source is opened").isEmpty();
    }
}
