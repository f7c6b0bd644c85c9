package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.OSSObject;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.SlowDownProxy;
import io.transflux.connectors.batch.BatchJob;
import io.transflux.connectors.oss.OssEventTriggerHandler;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code OssEventTriggerHandler} end to end against serve's OSS flavour (a plain bucket: no function actions): the
 * source objects are put with the unmodified aliyun-sdk-oss, the handler gets the {@code ObjectCreated:PutObject}
 * event Function Compute's OSS trigger would deliver for each, reads the object through an OSS V1 presigned URL,
 * writes the target through serve's OSS PutObject with the idempotency metadata, and a second delivery of the same
 * event is a skip. The loop guard refuses a target inside the trigger and a source under the target.
 */
class OssEventTriggerServeTest {

    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path root;
    static LocalAccessPoint serve;
    static OSS oss;

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(root.resolve("data"));
        serve = LocalAccessPoint.builder().root(root).port(0).accessLog(l -> { })
                .defaultAccessPoint(AccessPointSpec.builder().name("bucket").flavor(Flavor.OSS)
                        .actions(EnumSet.noneOf(Action.class)).build())
                .start();
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setSLDEnabled(true);
        conf.setSignatureVersion(SignVersion.V1);
        oss = OSSClientBuilder.create().endpoint(serve.endpoint()).credentialsProvider(
                new com.aliyun.oss.common.auth.DefaultCredentialProvider(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID,
                        LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY))
                .clientConfiguration(conf).region(LocalAccessPoint.DEFAULT_OSS_REGION).build();
        oss.putObject("data", "in/a.jsonl.gz", new ByteArrayInputStream(gzip(text("a"))));
        oss.putObject("data", "in/b.txt", new ByteArrayInputStream(text("b").getBytes(StandardCharsets.UTF_8)));
        byte[] bad = gzip(text("c").repeat(30));
        for (int i = 20; i < bad.length - 8; i += 7) {
            bad[i] ^= 0x5a;
        }
        oss.putObject("data", "in/bad.gz", new ByteArrayInputStream(bad));
    }

    @AfterAll
    static void stop() {
        oss.shutdown();
        serve.close();
    }

    static String text(String id) {
        return ("{\"id\":\"" + id + "\",\"msg\":\"from an OSS trigger\"}\n").repeat(20);
    }

    /** {@code s} compressed as {@code format}: gz, zst (with the content checksum the zstd CLI writes), bz2 or txt. */
    static byte[] compress(String format, String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (java.io.OutputStream out = switch (format) {
            case "gz" -> new GZIPOutputStream(b);
            // without the checksum, a zstd frame whose literal bytes were flipped decodes "successfully" (the
            // format has nothing to check them against)
            case "zst" -> new ZstdOutputStream(b).setChecksum(true);
            case "bz2" -> new BZip2CompressorOutputStream(b);
            default -> b;
        }) {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return b.toByteArray();
    }

    static byte[] gzip(String s) {
        return compress("gz", s);
    }

    static Map<String, String> env(String targetPrefix) {
        return env(targetPrefix, serve.endpoint());
    }

    static Map<String, String> env(String targetPrefix, String ossEndpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("TRANSFLUX_PIPELINE", "decompress/auto");
        env.put("TRANSFLUX_TRIGGER_BUCKET", "data");
        env.put("TRANSFLUX_TRIGGER_PREFIX", "in/");
        env.put("TRANSFLUX_TARGET_BUCKET", "data");
        env.put("TRANSFLUX_TARGET_PREFIX", targetPrefix);
        env.put(OssEventTriggerHandler.ENV_OSS_ENDPOINT, ossEndpoint);
        env.put(OssEventTriggerHandler.ENV_OSS_PATH_STYLE, "true");
        env.put(OssEventTriggerHandler.ENV_OSS_SIGNATURE, "v1");
        env.put("FC_REGION", LocalAccessPoint.DEFAULT_OSS_REGION);
        env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", LocalAccessPoint.DEFAULT_ACCESS_KEY_ID);
        env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY);
        env.put(HttpSourceOpener.ALLOW_ENV, "localhost");
        return env;
    }

    /** The event an OSS trigger delivers for a new object (FC "Formats of event for different triggers"). */
    static byte[] created(String key) {
        com.aliyun.oss.model.ObjectMetadata m = oss.getObjectMetadata("data", key);
        String event = "{\"events\":[{\"eventName\":\"ObjectCreated:PutObject\",\"eventSource\":\"acs:oss\","
                + "\"eventTime\":\"2026-12-03T15:00:00.000Z\",\"eventVersion\":\"1.0\",\"oss\":{\"bucket\":{"
                + "\"arn\":\"acs:oss:cn-hangzhou:1234567890:data\",\"name\":\"data\",\"ownerIdentity\":\"1234567890\"},"
                + "\"object\":{\"deltaSize\":" + m.getContentLength() + ",\"eTag\":\"" + m.getETag() + "\",\"key\":\""
                + key + "\",\"size\":" + m.getContentLength() + "},\"ossSchemaVersion\":\"1.0\",\"ruleId\":\"rule\"},"
                + "\"region\":\"cn-hangzhou\",\"requestParameters\":{\"sourceIPAddress\":\"127.0.0.1\"},"
                + "\"responseElements\":{\"requestId\":\"5F0D2C1A\"},\"userIdentity\":{\"principalId\":\"1234567890\"}}]}";
        return event.getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode invoke(OssEventTriggerHandler h, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(event), out, null);
        return JSON.readTree(out.toByteArray()).path("results").path(0);
    }

    @Test
    void aNewObjectIsTransformedOnceAndTheSecondDeliveryIsASkip() throws IOException {
        OssEventTriggerHandler h = OssEventTriggerHandler.withEnvironment(env("plain/"));
        for (String key : new String[] {"in/a.jsonl.gz", "in/b.txt"}) {
            JsonNode r = invoke(h, created(key));
            assertThat(r.path("resultCode").asText()).as("%s", r).isEqualTo("Succeeded");
            assertThat(r.path("resultString").asText()).startsWith("wrote oss://data/plain/" + key);
            OSSObject target = oss.getObject("data", "plain/" + key);
            try (var in = target.getObjectContent()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo(text(key.equals("in/b.txt") ? "b" : "a"));
            }
            String sourceEtag = oss.getObjectMetadata("data", key).getETag();
            assertThat(target.getObjectMetadata().getUserMetadata().get(BatchJob.META_SOURCE_ETAG))
                    .as("the source's ETag, quoted as on the wire").contains(sourceEtag);
        }
        JsonNode again = invoke(h, created("in/a.jsonl.gz"));
        assertThat(again.path("resultCode").asText()).isEqualTo("Succeeded");
        assertThat(again.path("resultString").asText()).startsWith("skipped: ");
    }

    /**
     * Many new objects at once, as concurrent Function Compute instances get them: four formats plus corrupt and
     * truncated ones, every object request throttled once by a {@code 503 SlowDown} proxy in front of serve. Each
     * good object is written exactly, each bad one is a PermanentFailure with no target, and a second delivery of
     * every event skips all the good ones.
     */
    @Test
    void aBurstOfMixedObjectsBehindA503BurstGivesTheRightResultsAndASecondDeliverySkipsEveryGoodOne()
            throws Exception {
        String[] formats = {"gz", "zst", "bz2", "txt"};
        Map<String, String> expected = new HashMap<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            String format = formats[i % formats.length];
            String key = "in/bulk/obj-" + i + "." + format;
            String text = text("bulk-" + i).repeat(1 + i % 7);
            oss.putObject("data", key, new ByteArrayInputStream(compress(format, text)));
            expected.put(key, text);
        }
        for (int i = 0; i < 12; i++) {
            String format = formats[i % 3];
            String key = "in/bulk/bad-" + i + "." + format;
            byte[] b = compress(format, text("bad-" + i).repeat(40));
            if (i % 2 == 0) {
                for (int j = 16; j < b.length - 8; j += 5) {
                    b[j] ^= 0x5a; // corrupt
                }
            } else {
                b = java.util.Arrays.copyOf(b, b.length / 2); // truncated
            }
            oss.putObject("data", key, new ByteArrayInputStream(b));
            bad.add(key);
        }
        List<String> keys = new ArrayList<>(expected.keySet());
        keys.addAll(bad);

        try (SlowDownProxy proxy = SlowDownProxy.start(serve.endpoint())) {
            OssEventTriggerHandler h = OssEventTriggerHandler.withEnvironment(env("bulk-out/", proxy.endpoint()));
            Map<String, JsonNode> first = deliverAll(h, keys);
            for (String key : expected.keySet()) {
                assertThat(first.get(key).path("resultCode").asText()).as("%s: %s", key, first.get(key))
                        .isEqualTo("Succeeded");
                try (var in = oss.getObject("data", "bulk-out/" + key).getObjectContent()) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as(key)
                            .isEqualTo(expected.get(key));
                }
            }
            for (String key : bad) {
                assertThat(first.get(key).path("resultCode").asText()).as("%s: %s", key, first.get(key))
                        .isEqualTo("PermanentFailure");
                assertThat(oss.doesObjectExist("data", "bulk-out/" + key)).as(key).isFalse();
            }
            assertThat(proxy.refused()).as("object requests throttled once each").isGreaterThanOrEqualTo(keys.size());

            Map<String, JsonNode> second = deliverAll(h, keys);
            for (String key : expected.keySet()) {
                assertThat(second.get(key).path("resultCode").asText()).isEqualTo("Succeeded");
                assertThat(second.get(key).path("resultString").asText()).as(key).startsWith("skipped: ");
            }
            for (String key : bad) {
                assertThat(second.get(key).path("resultCode").asText()).isEqualTo("PermanentFailure");
            }
        }
    }

    /** One event per object, eight handler invocations at a time. */
    static Map<String, JsonNode> deliverAll(OssEventTriggerHandler h, List<String> keys) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Map<String, Future<JsonNode>> futures = new HashMap<>();
            for (String key : keys) {
                byte[] event = created(key);
                futures.put(key, pool.submit(() -> invoke(h, event)));
            }
            Map<String, JsonNode> results = new HashMap<>();
            for (Map.Entry<String, Future<JsonNode>> f : futures.entrySet()) {
                results.put(f.getKey(), f.getValue().get(120, java.util.concurrent.TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCorruptObjectIsAPermanentFailureAndLeavesNoTarget() throws IOException {
        JsonNode r = invoke(OssEventTriggerHandler.withEnvironment(env("plain/")), created("in/bad.gz"));
        assertThat(r.path("resultCode").asText()).isEqualTo("PermanentFailure");
        assertThat(r.path("resultString").asText()).startsWith("MalformedCompressedObject (400)");
        assertThat(oss.doesObjectExist("data", "plain/in/bad.gz")).isFalse();
    }

    @Test
    void theLoopGuardRefusesATargetInsideTheTriggerAndASourceUnderTheTarget() throws IOException {
        assertThatThrownBy(() -> OssEventTriggerHandler.withEnvironment(env("in/plain/")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("overlaps the trigger");
        oss.putObject("data", "plain/own.txt", new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)));
        JsonNode r = invoke(OssEventTriggerHandler.withEnvironment(env("plain/")), created("plain/own.txt"));
        assertThat(r.path("resultCode").asText()).isEqualTo("PermanentFailure");
        assertThat(r.path("resultString").asText()).startsWith("SourceUnderTarget (400)");
        assertThat(oss.doesObjectExist("data", "plain/plain/own.txt")).isFalse();
    }
}
