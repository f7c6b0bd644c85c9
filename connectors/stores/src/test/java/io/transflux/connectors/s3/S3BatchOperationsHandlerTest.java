package io.transflux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import java.lang.reflect.Proxy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.transflux.connectors.MalformedEventException;
import io.transflux.connectors.SlowDownProxy;
import io.transflux.connectors.batch.BatchJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The S3 Batch Operations handler against S3Mock, with events in the shapes of "Invoke AWS Lambda function"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-invoke-lambda.html): schema 1.0 with the
 * settings from the environment, 2.0 with {@code userArguments}; one result per task with the right code.
 */
class S3BatchOperationsHandlerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TEXT = "{\"user\":\"alice@example.com\",\"n\":1}\n".repeat(200);

    static S3MockServer s3mock;
    static S3Client client;

    @BeforeAll
    static void start() throws Exception {
        s3mock = S3MockServer.start();
        client = s3mock.client();
        client.createBucket(b -> b.bucket("src"));
        client.createBucket(b -> b.bucket("dst"));
        client.putObject(b -> b.bucket("src").key("logs/a b.json.gz"), RequestBody.fromBytes(gzip(TEXT)));
        client.putObject(b -> b.bucket("src").key("logs/plain.json"), RequestBody.fromString(TEXT));
        byte[] bad = gzip(TEXT);
        bad[bad.length / 2] ^= 0x33;
        bad[bad.length / 2 + 1] ^= 0x44;
        client.putObject(b -> b.bucket("src").key("logs/corrupt.json.gz"), RequestBody.fromBytes(bad));
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (s3mock != null) {
            s3mock.close();
        }
    }

    static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static Map<String, String> env(boolean withTarget) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", S3MockServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3MockServer.SECRET_KEY);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", s3mock.endpoint());
        env.put("TRANSFLUX_ALLOW_SOURCE_HOSTS", "127.0.0.1");
        if (withTarget) {
            env.put("TRANSFLUX_PIPELINE", "decompress/auto");
            env.put("TRANSFLUX_TARGET_BUCKET", "dst");
            env.put("TRANSFLUX_TARGET_PREFIX", "v1/");
        }
        return env;
    }

    static JsonNode invoke(S3BatchOperationsHandler h, String event) throws IOException {
        return invoke(h, event, null);
    }

    static JsonNode invoke(S3BatchOperationsHandler h, String event, Context context) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return JSON.readTree(out.toByteArray());
    }

    /** A Lambda context that has only {@code remainingMillis} left. */
    static Context remaining(int remainingMillis) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> method.getName().equals("getRemainingTimeInMillis") ? remainingMillis : null);
    }

    @Test
    void aTaskThatCannotFinishInTheTimeLeftIsATemporaryFailureBeforeItStarts() throws Exception {
        S3BatchOperationsHandler h = new S3BatchOperationsHandler(env(true));
        String event = "{\"invocationSchemaVersion\":\"1.0\",\"invocationId\":\"inv-5\",\"job\":{\"id\":\"j\"},"
                + "\"tasks\":[" + task10("t1", "logs%2Fcorrupt.json.gz") + "]}";
        JsonNode r = invoke(h, event, remaining(1500)).get("results").get(0);
        assertThat(r.get("resultCode").asText()).isEqualTo("TemporaryFailure");
        assertThat(r.get("resultString").asText()).startsWith("RequestTimeout (503): not enough time left");
    }

    static String task10(String id, String key) {
        return "{\"taskId\":\"" + id + "\",\"s3Key\":\"" + key + "\",\"s3VersionId\":null,"
                + "\"s3BucketArn\":\"arn:aws:s3:::src\"}";
    }

    @Test
    void schemaOneTransformsWithTheEnvironmentsSettingsAndCodesEachTask() throws Exception {
        S3BatchOperationsHandler h = new S3BatchOperationsHandler(env(true));
        String event = "{\"invocationSchemaVersion\":\"1.0\",\"invocationId\":\"inv-1\",\"job\":{\"id\":\"job-1\"},"
                + "\"tasks\":[" + task10("t1", "logs/a+b.json.gz") + "," + task10("t2", "logs/corrupt.json.gz") + ","
                + task10("t3", "logs/missing.json") + "]}";
        JsonNode reply = invoke(h, event);
        assertThat(reply.get("invocationSchemaVersion").asText()).isEqualTo("1.0");
        assertThat(reply.get("invocationId").asText()).isEqualTo("inv-1");
        assertThat(reply.get("treatMissingKeysAs").asText()).isEqualTo("PermanentFailure");
        JsonNode results = reply.get("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).get("taskId").asText()).isEqualTo("t1");
        assertThat(results.get(0).get("resultCode").asText()).as("%s", results.get(0)).isEqualTo("Succeeded");
        assertThat(results.get(1).get("resultCode").asText()).isEqualTo("PermanentFailure");
        assertThat(results.get(1).get("resultString").asText()).startsWith("MalformedCompressedObject (400)");
        assertThat(results.get(2).get("resultCode").asText()).isEqualTo("PermanentFailure");
        assertThat(results.get(2).get("resultString").asText()).startsWith("NoSuchKey (404)");

        // The URL-encoded key ('+' is a space) was decoded; the target holds the decompressed text.
        assertThat(client.getObjectAsBytes(b -> b.bucket("dst").key("v1/logs/a b.json.gz")).asUtf8String())
                .isEqualTo(TEXT);
        assertThatThrownBy(() -> client.headObject(b -> b.bucket("dst").key("v1/logs/corrupt.json.gz")))
                .isInstanceOf(NoSuchKeyException.class);

        // Same source ETag and pipeline: skipped, still Succeeded.
        JsonNode again = invoke(h, event).get("results");
        assertThat(again.get(0).get("resultCode").asText()).isEqualTo("Succeeded");
        assertThat(again.get(0).get("resultString").asText()).startsWith("skipped: ");
    }

    /** Every object request throttled once by a {@code 503 SlowDown} proxy in front of S3Mock: ridden out. */
    @Test
    void ridesOutASlowDownBurstInFrontOfS3Mock() throws Exception {
        try (SlowDownProxy proxy = SlowDownProxy.start(s3mock.endpoint())) {
            Map<String, String> env = env(true);
            env.put("AWS_ENDPOINT_URL_S3", proxy.endpoint());
            env.put("TRANSFLUX_TARGET_PREFIX", "burst/");
            S3BatchOperationsHandler h = new S3BatchOperationsHandler(env);
            String event = "{\"invocationSchemaVersion\":\"1.0\",\"invocationId\":\"inv-b\",\"job\":{\"id\":\"job-b\"},"
                    + "\"tasks\":[" + task10("t1", "logs/a+b.json.gz") + "," + task10("t2", "logs/plain.json") + ","
                    + task10("t3", "logs/corrupt.json.gz") + "]}";
            JsonNode results = invoke(h, event).get("results");
            assertThat(results.get(0).get("resultCode").asText()).as("%s", results.get(0)).isEqualTo("Succeeded");
            assertThat(results.get(1).get("resultCode").asText()).as("%s", results.get(1)).isEqualTo("Succeeded");
            assertThat(results.get(2).get("resultCode").asText()).as("%s", results.get(2))
                    .isEqualTo("PermanentFailure");
            assertThat(proxy.refused()).as("object requests throttled once each").isGreaterThanOrEqualTo(3);
        }
        assertThat(client.getObjectAsBytes(b -> b.bucket("dst").key("burst/logs/a b.json.gz")).asUtf8String())
                .isEqualTo(TEXT);
        assertThat(client.getObjectAsBytes(b -> b.bucket("dst").key("burst/logs/plain.json")).asUtf8String())
                .isEqualTo(TEXT);
    }

    @Test
    void schemaTwoTakesPipelineAndTargetFromUserArguments() throws Exception {
        S3BatchOperationsHandler h = new S3BatchOperationsHandler(env(false));
        String event = "{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"inv-2\",\"job\":{\"id\":\"job-2\","
                + "\"userArguments\":{\"pipeline\":\"redact/pii\",\"targetBucket\":\"dst\",\"targetPrefix\":\"v2/\"}},"
                + "\"tasks\":[{\"taskId\":\"t1\",\"s3Bucket\":\"src\",\"s3Key\":\"logs%2Fplain.json\","
                + "\"s3VersionId\":null}]}";
        JsonNode reply = invoke(h, event);
        assertThat(reply.get("invocationSchemaVersion").asText()).isEqualTo("2.0");
        assertThat(reply.get("results").get(0).get("resultCode").asText()).as("%s", reply).isEqualTo("Succeeded");
        var target = client.getObjectAsBytes(b -> b.bucket("dst").key("v2/logs/plain.json"));
        assertThat(target.asUtf8String()).doesNotContain("alice@example.com").contains("\"n\":1");
        assertThat(target.response().metadata()).containsKey(BatchJob.META_SOURCE_ETAG);
    }

    @Test
    void aMissingTargetIsAPermanentFailureOfEveryTask() throws Exception {
        S3BatchOperationsHandler h = new S3BatchOperationsHandler(env(false));
        String event = "{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"inv-3\",\"job\":{\"id\":\"j\","
                + "\"userArguments\":{\"pipeline\":\"decompress/auto\"}},\"tasks\":[{\"taskId\":\"t1\","
                + "\"s3Bucket\":\"src\",\"s3Key\":\"logs%2Fplain.json\"}]}";
        JsonNode r = invoke(h, event).get("results").get(0);
        assertThat(r.get("resultCode").asText()).isEqualTo("PermanentFailure");
        assertThat(r.get("resultString").asText()).contains("target bucket: missing");
    }

    @Test
    void aTaskWithABadBucketArnFailsAloneAndAnUnknownSchemaFailsTheInvocation() throws Exception {
        S3BatchOperationsHandler h = new S3BatchOperationsHandler(env(true));
        String event = "{\"invocationSchemaVersion\":\"1.0\",\"invocationId\":\"inv-4\",\"job\":{\"id\":\"j\"},"
                + "\"tasks\":[{\"taskId\":\"t1\",\"s3Key\":\"logs%2Fplain.json\",\"s3BucketArn\":\"src\"},"
                + task10("t2", "logs%2Fplain.json") + "]}";
        JsonNode results = invoke(h, event).get("results");
        assertThat(results.get(0).get("resultCode").asText()).isEqualTo("PermanentFailure");
        assertThat(results.get(0).get("resultString").asText()).contains("s3BucketArn");
        assertThat(results.get(1).get("resultCode").asText()).isEqualTo("Succeeded");

        assertThatThrownBy(() -> invoke(h, "{\"invocationSchemaVersion\":\"3.0\",\"invocationId\":\"x\"}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("expected 1.0 or 2.0");
    }
}
