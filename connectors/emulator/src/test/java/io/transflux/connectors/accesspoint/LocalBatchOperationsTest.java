package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import io.transflux.connectors.batch.BatchJob;
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
 * (issue 18 item 4): in process, and in function JVMs through the Runtime Interface Client. Objects are put with
 * the SDK through serve's PutObject; the report is the Batch Operations CSV; a rerun skips every done task.
 */
class LocalBatchOperationsTest {

    static final int OBJECTS = 40;
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

    static String key(int n) {
        return "in/obj-" + n + (n % 2 == 0 ? ".txt.gz" : ".txt");
    }

    static String text(int n) {
        return ("{\"object\":" + n + ",\"msg\":\"hello local batch\"}\n").repeat(10);
    }

    static byte[] body(int n) {
        return n % 2 == 0 ? gzip(text(n)) : text(n).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(b)) {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return b.toByteArray();
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
        assertThat(rows.get("data,in%2Fobj-4.txt.gz")[0]).isEqualTo("succeeded");
        assertThat(rows.get("data,in%2Fobj-4.txt.gz")[3]).startsWith("Succeeded: wrote s3://data/out/in/obj-4.txt.gz");
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
