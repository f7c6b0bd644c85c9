package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.SlowDownProxy;
import io.transflux.connectors.batch.BatchJob;
import io.transflux.connectors.s3.S3BatchOperationsHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * serve runs an S3 Batch Operations job from a manifest by invoking {@code S3BatchOperationsHandler} per task
 * (issue 18 item 4): in process, and in function JVMs through the Runtime Interface Client. 1,000 objects (gzip, zstd,
 * plain) are put with the SDK through serve's PutObject, the manifest adds a corrupt, a missing and a malformed line;
 * the report is the Batch Operations CSV; a rerun skips every done task; a 503 burst is ridden out.
 */
class LocalBatchOperationsTest {

    /** The manifest size issue 18 asks for; the RIC test and the 503 burst use the first {@link #BURST} of them. */
    static final int OBJECTS = 1000;
    static final int BURST = 120;
    @TempDir
    static Path root;
    @TempDir
    static Path dir;
    static LocalAccessPoint serve;
    static S3Client s3;

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(root.resolve("data"));
        serve = plainBucket(LocalAccessPoint.builder());
        s3 = client(serve);
        for (int i = 0; i < OBJECTS; i++) {
            int n = i;
            s3.putObject(b -> b.bucket("data").key(key(n)), RequestBody.fromBytes(body(n)));
        }
        byte[] gz = gzip(text(-2).repeat(20));
        for (int i = 20; i < gz.length - 8; i += 7) {
            gz[i] ^= 0x5a;
        }
        s3.putObject(b -> b.bucket("data").key("bad/corrupt.gz"), RequestBody.fromBytes(gz));
    }

    @AfterAll
    static void stop() {
        s3.close();
        serve.close();
    }

    static LocalAccessPoint plainBucket(LocalAccessPoint.Builder b) {
        return b.root(root).port(0).accessLog(l -> { })
                .defaultAccessPoint(AccessPointSpec.builder().name("bucket").actions(EnumSet.noneOf(Action.class)).build())
                .start();
    }

    static S3Client client(LocalAccessPoint ap) {
        return S3Client.builder().endpointOverride(URI.create(ap.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY))).build();
    }

    /** Three formats in turn: gzip, zstd, plain. */
    static String key(int n) {
        return "in/obj-" + n + (n % 3 == 0 ? ".txt.gz" : n % 3 == 1 ? ".txt.zst" : ".txt");
    }

    static String text(int n) {
        return ("{\"object\":" + n + ",\"msg\":\"hello local batch\"}\n").repeat(10);
    }

    static byte[] body(int n) {
        return OssEventTriggerServeTest.compress(n % 3 == 0 ? "gz" : n % 3 == 1 ? "zst" : "txt", text(n));
    }

    static byte[] gzip(String s) {
        return OssEventTriggerServeTest.compress("gz", s);
    }

    static Path manifest(int count, boolean bad) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add("data," + java.net.URLEncoder.encode(key(i), StandardCharsets.UTF_8));
        }
        if (bad) {
            lines.add("data,bad%2Fcorrupt.gz");
            lines.add("data,missing%2Fnone.txt");
            lines.add("data,odd%ZZescape");
        }
        Path m = Files.createTempFile(dir, "manifest", ".csv");
        Files.write(m, lines);
        return m;
    }

    /** Report rows by "bucket,encodedKey": [TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage]. */
    static Map<String, String[]> report(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(l -> l.split(",", 7)).collect(Collectors.toMap(
                f -> f[0] + "," + f[1], f -> new String[] {f[3], f[4], f[5], f[6]}, (a, b) -> {
                    throw new AssertionError("two rows for " + a[0]);
                }));
    }

    static final Map<String, String> ARGS = Map.of("pipeline", "decompress/auto", "targetBucket", "data",
            "targetPrefix", "out/");

    @Test
    void runsTheJobInProcessReportsEachTaskAndSkipsEverythingOnRerun() throws Exception {
        Path m = manifest(OBJECTS, true);
        Path rep = dir.resolve("report.csv");
        LocalBatchOperations.Summary s = LocalBatchOperations.run(serve, m, ARGS, 8, rep);
        assertThat(s).isEqualTo(new LocalBatchOperations.Summary(OBJECTS + 3, OBJECTS, 3));
        Map<String, String[]> rows = report(rep);
        assertThat(rows).hasSize(OBJECTS + 3);
        for (String k : new String[] {"in/obj-3.txt.gz", "in/obj-4.txt.zst", "in/obj-5.txt"}) {
            String[] row = rows.get("data," + java.net.URLEncoder.encode(k, StandardCharsets.UTF_8));
            assertThat(row[0]).as(k).isEqualTo("succeeded");
            assertThat(row[3]).startsWith("Succeeded: wrote s3://data/out/" + k);
        }
        assertThat(rows.get("data,bad%2Fcorrupt.gz")).containsExactly("failed", "MalformedCompressedObject", "400",
                rows.get("data,bad%2Fcorrupt.gz")[3]);
        assertThat(rows.get("data,bad%2Fcorrupt.gz")[3]).startsWith("PermanentFailure: ");
        assertThat(rows.get("data,missing%2Fnone.txt")).startsWith("failed", "NoSuchKey", "404");
        assertThat(rows.get("data,odd%ZZescape")).startsWith("failed", "InvalidManifestLine", "400");
        for (int i : new int[] {0, 1, OBJECTS - 1}) {
            ResponseBytes<GetObjectResponse> t = s3.getObjectAsBytes(b -> b.bucket("data").key("out/" + key(i)));
            assertThat(t.asUtf8String()).isEqualTo(text(i));
            assertThat(t.response().metadata()).containsEntry(BatchJob.META_SOURCE_ETAG,
                    s3.headObject(b -> b.bucket("data").key(key(i))).eTag());
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s3.headObject(b -> b.bucket("data")
                .key("out/bad/corrupt.gz"))).isInstanceOf(NoSuchKeyException.class);

        Path rep2 = dir.resolve("report2.csv");
        LocalBatchOperations.Summary again = LocalBatchOperations.run(serve, m, ARGS, 8, rep2);
        assertThat(again).isEqualTo(s);
        assertThat(report(rep2).values()).filteredOn(r -> r[0].equals("succeeded")).hasSize(OBJECTS)
                .allSatisfy(r -> assertThat(r[3]).startsWith("Succeeded: skipped: "));
    }

    @Test
    void runsTheDeployedHandlerInFunctionJvmsThroughTheRuntimeInterfaceClient() throws Exception {
        try (LocalAccessPoint ric = plainBucket(LocalAccessPoint.builder().functionTimeout(Duration.ofSeconds(120))
                .functionRuntime(LocalAccessPointRicModeTest.runtime(
                        "io.transflux.connectors.s3.S3BatchOperationsHandler::handleRequest", 2)))) {
            Path m = manifest(6, true);
            Path rep = dir.resolve("ric-report.csv");
            Map<String, String> args = Map.of("pipeline", "decompress/auto", "targetBucket", "data",
                    "targetPrefix", "ric/");
            LocalBatchOperations.Summary s = LocalBatchOperations.run(ric, m, args, 4, rep);
            assertThat(s).isEqualTo(new LocalBatchOperations.Summary(9, 6, 3));
            Map<String, String[]> rows = report(rep);
            assertThat(rows.get("data,bad%2Fcorrupt.gz")).startsWith("failed", "MalformedCompressedObject", "400");
            try (S3Client c = client(ric)) {
                assertThat(c.getObjectAsBytes(b -> b.bucket("data").key("ric/" + key(2))).asUtf8String())
                        .isEqualTo(text(2));
            }
        }
    }

    /**
     * The handler itself (one schema 2.0 task per invocation, eight at a time, as Batch Operations invokes it) with a
     * {@code 503 SlowDown} proxy between it and serve that throttles every object request once: each task rides the
     * burst out within its time and gets the right code.
     */
    @Test
    void theHandlerRidesOutASlowDownBurstInFrontOfServe() throws Exception {
        try (SlowDownProxy proxy = SlowDownProxy.start(serve.endpoint())) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("AWS_ACCESS_KEY_ID", LocalAccessPoint.DEFAULT_ACCESS_KEY_ID);
            env.put("AWS_SECRET_ACCESS_KEY", LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY);
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ENDPOINT_URL_S3", proxy.endpoint());
            env.put(HttpSourceOpener.ALLOW_ENV, "localhost");
            S3BatchOperationsHandler handler = S3BatchOperationsHandler.withEnvironment(env);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                keys.add(key(i));
            }
            keys.add("bad/corrupt.gz");
            ObjectMapper json = new ObjectMapper();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            Map<String, Future<JsonNode>> results = new HashMap<>();
            try {
                for (String key : keys) {
                    String event = "{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"inv-" + key.hashCode()
                            + "\",\"job\":{\"id\":\"burst\",\"userArguments\":{\"pipeline\":\"decompress/auto\","
                            + "\"targetBucket\":\"data\",\"targetPrefix\":\"burst/\"}},\"tasks\":[{\"taskId\":\"t-"
                            + key.hashCode() + "\",\"s3Bucket\":\"data\",\"s3Key\":\""
                            + java.net.URLEncoder.encode(key, StandardCharsets.UTF_8) + "\",\"s3VersionId\":null}]}";
                    results.put(key, pool.submit(() -> {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                                null);
                        return json.readTree(out.toByteArray()).path("results").path(0);
                    }));
                }
                for (int i = 0; i < BURST; i++) {
                    JsonNode r = results.get(key(i)).get(120, TimeUnit.SECONDS);
                    assertThat(r.path("resultCode").asText()).as("%s", r).isEqualTo("Succeeded");
                }
                JsonNode bad = results.get("bad/corrupt.gz").get(120, TimeUnit.SECONDS);
                assertThat(bad.path("resultCode").asText()).as("%s", bad).isEqualTo("PermanentFailure");
            } finally {
                pool.shutdownNow();
            }
            assertThat(proxy.refused()).as("object requests throttled once each").isGreaterThanOrEqualTo(keys.size());
        }
        for (int i : new int[] {0, 1, 2, BURST - 1}) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("data").key("burst/" + key(i))).asUtf8String())
                    .isEqualTo(text(i));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s3.headObject(b -> b.bucket("data")
                .key("burst/bad/corrupt.gz"))).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void aReplyThatIsNotABatchResultIsAPermanentFailure() {
        assertThat(LocalBatchOperations.result("{}".getBytes(StandardCharsets.UTF_8)).errorCode())
                .isEqualTo("LambdaInvalidResponse");
        var r = LocalBatchOperations.result(("{\"results\":[{\"taskId\":\"t\",\"resultCode\":\"TemporaryFailure\","
                + "\"resultString\":\"SlowDown (503): Please reduce your request rate. (8 attempts)\"}]}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(r.errorCode()).isEqualTo("SlowDown");
        assertThat(r.httpStatus()).isEqualTo(503);
        assertThat(r.code().wireName()).isEqualTo("TemporaryFailure");
    }
}
