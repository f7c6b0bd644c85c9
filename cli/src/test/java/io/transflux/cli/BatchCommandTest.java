package io.transflux.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.ZstdOutputStream;
import io.transflux.connectors.SlowDownProxy;
import io.transflux.connectors.batch.BatchJob;
import io.transflux.connectors.s3.S3MockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code transflux batch} in a child JVM against S3Mock (issue 18): a 1,000-object manifest of gzip, zstd and
 * plain objects plus bad lines gives the right Batch Operations report; a rerun skips what is done; a 503
 * SlowDown burst from a proxy is ridden out. Fixtures are made here with the JDK's GZIPOutputStream and zstd-jni.
 */
@Tag("load")
class BatchCommandTest {

    static final int OBJECTS = 1000;
    static final String ODD_KEY = "odd/spaces and ü+plus%25 #1.txt".replace("%25", "%");

    static S3MockServer s3mock;
    static S3Client client;
    static final Map<String, String> plainOf = new java.util.concurrent.ConcurrentHashMap<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        s3mock = S3MockServer.start();
        client = s3mock.client();
        client.createBucket(b -> b.bucket("data"));
        fillDataBucket(client, plainOf);
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

    static String key(int n) {
        return "in/" + (n % 10) + "/obj-" + n + switch (n % 3) {
            case 0 -> ".txt.gz";
            case 1 -> ".txt.zst";
            default -> ".txt";
        };
    }

    static String text(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            b.append("{\"object\":").append(n).append(",\"line\":").append(i).append(",\"msg\":\"hello batch\"}\n");
        }
        return b.toString();
    }

    /**
     * Fills bucket {@code data} with what every batch test reads: {@link #OBJECTS} objects {@link #key(int)} (gzip,
     * zstd and plain), {@link #ODD_KEY}, and {@code bad/corrupt.gz}; records each object's plain text in
     * {@code plainOf}.
     */
    static void fillDataBucket(S3Client client, Map<String, String> plainOf) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> puts = new ArrayList<>();
        for (int i = 0; i < OBJECTS; i++) {
            int n = i;
            puts.add(pool.submit(() -> {
                plainOf.put(key(n), text(n));
                client.putObject(b -> b.bucket("data").key(key(n)), RequestBody.fromBytes(body(n)));
                return null;
            }));
        }
        for (Future<?> f : puts) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        plainOf.put(ODD_KEY, text(-1));
        client.putObject(b -> b.bucket("data").key(ODD_KEY), RequestBody.fromString(text(-1)));
        // Valid gzip header and first bytes, then garbage: a corrupt archive.
        byte[] gz = gzip(text(-2).repeat(20).getBytes(StandardCharsets.UTF_8));
        for (int i = 20; i < gz.length - 8; i += 7) {
            gz[i] ^= 0x5a;
        }
        client.putObject(b -> b.bucket("data").key("bad/corrupt.gz"), RequestBody.fromBytes(gz));
    }

    /** Object {@code n} as stored: gzip, zstd and plain in turn. */
    static byte[] body(int n) throws IOException {
        byte[] raw = text(n).getBytes(StandardCharsets.UTF_8);
        return switch (n % 3) {
            case 0 -> gzip(raw);
            case 1 -> zstd(raw);
            default -> raw;
        };
    }

    static byte[] gzip(byte[] raw) throws IOException {
        return compress(raw, GZIPOutputStream::new);
    }

    static byte[] zstd(byte[] raw) throws IOException {
        return compress(raw, ZstdOutputStream::new);
    }

    interface Codec {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    static byte[] compress(byte[] raw, Codec codec) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = codec.wrap(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }

    static String enc(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    static Path manifest(String name, int count) throws IOException {
        return manifest(dir, name, count);
    }

    /** The manifest in {@code folder}: every object, then (for all {@link #OBJECTS}) the bad lines. */
    static Path manifest(Path folder, String name, int count) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add("data," + enc(key(i)));
        }
        if (count == OBJECTS) {
            lines.add("data," + enc(ODD_KEY));
            lines.add("data,bad%2Fcorrupt.gz");
            lines.add("data,missing%2Fnothing-here.txt");
            lines.add("data,odd%ZZescape");
            lines.add("only-one-field");
            lines.add("data,out%2Fin%2F0%2Fobj-0.txt.gz");
            lines.add("no-such-bucket,in%2F0%2Fobj-0.txt.gz");
        }
        Path m = folder.resolve(name);
        Files.write(m, lines, StandardCharsets.UTF_8);
        return m;
    }

    record Row(String bucket, String key, String version, String status, String code, String http, String message) {
    }

    static Map<String, Row> report(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(l -> {
            String[] f = l.split(",", 7);
            assertThat(f).as("report row %s", l).hasSize(7);
            String msg = f[6].startsWith("\"") ? f[6].substring(1, f[6].length() - 1).replace("\"\"", "\"") : f[6];
            return new Row(f[0], f[1], f[2], f[3], f[4], f[5], msg);
        }).collect(Collectors.toMap(r -> r.bucket() + "," + r.key(), Function.identity(), (a, b) -> {
            throw new AssertionError("two report rows for " + a);
        }));
    }

    static ProcessCommandTest.Result batch(String... args) throws IOException, InterruptedException {
        // A thousand objects through S3Mock take seconds on an idle machine, minutes on a crowded one.
        return ProcessCommandTest.run(300, args);
    }

    @Test
    void transformsAThousandObjectManifestReportsEachBadLineAndSkipsEverythingOnRerun() throws Exception {
        Path m = manifest("manifest.csv", OBJECTS);
        Path rep = dir.resolve("report.csv");
        ProcessCommandTest.Result r = batch("batch", "--manifest", m.toString(), "--pipeline", "decompress/auto",
                "--target", "s3://data/out/", "--endpoint", s3mock.endpoint(), "--concurrency", "16",
                "--report", rep.toString());
        assertThat(r.exit()).as("stderr: %s", r.stderr()).isEqualTo(1);
        assertThat(r.stdout()).contains("1007 tasks, 1001 succeeded (0 already done), 6 failed");
        assertThat(r.stderr()).contains("progress: ").contains("1007/1007 objects");

        assertFirstRunOfTheMixedManifest(report(rep), client, plainOf);

        // Rerun: every succeeded task is skipped (idempotency metadata), the bad ones fail the same way.
        Path rep2 = dir.resolve("report2.csv");
        ProcessCommandTest.Result again = batch("batch", "--manifest", m.toString(), "--pipeline", "decompress/auto",
                "--target", "s3://data/out/", "--endpoint", s3mock.endpoint(), "--concurrency", "16",
                "--report", rep2.toString());
        assertThat(again.stdout()).contains("1007 tasks, 1001 succeeded (1001 already done), 6 failed");
        Map<String, Row> rows2 = report(rep2);
        assertThat(rows2.values()).filteredOn(x -> x.status().equals("succeeded"))
                .hasSize(1001).allMatch(x -> x.message().startsWith("Succeeded: skipped: "));
        assertRow(rows2.get("data,bad%2Fcorrupt.gz"), "MalformedCompressedObject", "400", "PermanentFailure");

        // Another pipeline is another job: nothing is skipped.
        Path small = manifest("small.csv", 6);
        Path rep3 = dir.resolve("report3.csv");
        ProcessCommandTest.Result other = batch("batch", "--manifest", small.toString(), "--pipeline",
                "decompress/auto|redact/pii", "--target", "s3://data/out/", "--endpoint", s3mock.endpoint(),
                "--report", rep3.toString());
        assertThat(other.exit()).as("stderr: %s", other.stderr()).isZero();
        assertThat(other.stdout()).contains("6 tasks, 6 succeeded (0 already done), 0 failed");
    }

    @Test
    void ridesOutASlowDownBurstFromTheStore() throws Exception {
        Path m = manifest("burst.csv", 12);
        Path rep = dir.resolve("burst-report.csv");
        try (SlowDownProxy proxy = SlowDownProxy.start(s3mock.endpoint())) {
            ProcessCommandTest.Result r = batch("batch", "--manifest", m.toString(), "--pipeline", "decompress/auto",
                    "--target", "s3://data/burst/", "--endpoint", proxy.endpoint(), "--concurrency", "8",
                    "--report", rep.toString());
            assertThat(r.exit()).as("stderr: %s; report: %s", r.stderr(), Files.readString(rep)).isZero();
            assertThat(r.stdout()).contains("12 tasks, 12 succeeded (0 already done), 0 failed");
            // HEAD source, HEAD target, GET source and PUT target: each refused once per object.
            assertThat(proxy.refused()).isGreaterThanOrEqualTo(4 * 12);
        }
        for (int i : new int[] {0, 1, 2, 11}) {
            assertThat(client.getObjectAsBytes(b -> b.bucket("data").key("burst/" + key(i))).asUtf8String())
                    .isEqualTo(plainOf.get(key(i)));
        }
    }

    @Test
    void listsAPrefixInsteadOfAManifest() throws Exception {
        Path rep = dir.resolve("prefix-report.csv");
        // in/3/obj-3…: objects 3, 33 and 303–393, twelve in all.
        ProcessCommandTest.Result r = batch("batch", "--prefix", "s3://data/in/3/obj-3", "--pipeline", "decompress/auto",
                "--target", "s3://data/by-prefix/", "--endpoint", s3mock.endpoint(), "--progress", "plain",
                "--report", rep.toString());
        assertThat(r.exit()).as("stderr: %s", r.stderr()).isZero();
        assertThat(r.stdout()).contains("12 tasks, 12 succeeded");
        assertThat(report(rep)).hasSize(12);
        assertThat(client.getObjectAsBytes(b -> b.bucket("data").key("by-prefix/" + key(3))).asUtf8String())
                .isEqualTo(plainOf.get(key(3)));
    }

    @Test
    void refusesATargetThatIsNotAnS3Url() throws Exception {
        ProcessCommandTest.Result r = batch("batch", "--prefix", "s3://data/in/", "--pipeline", "decompress/auto",
                "--target", "/tmp/out", "--endpoint", s3mock.endpoint());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("--target: expected s3://BUCKET/PREFIX");
        assertThat(Arrays.asList(r.stdout().split("\n"))).noneMatch(l -> l.startsWith("batch:"));
    }

    /**
     * The report and targets the mixed 1,000-object manifest ({@code manifest(name, OBJECTS)}) must give on its first
     * run, whichever S3-compatible store ran it: every good line succeeded, each bad line has its own code, the
     * targets hold the decompressed text and record their source, and the corrupt archive left no target.
     */
    static void assertFirstRunOfTheMixedManifest(Map<String, Row> rows, S3Client client, Map<String, String> plainOf) {
        assertThat(rows).hasSize(OBJECTS + 7);
        for (int i = 0; i < OBJECTS; i++) {
            Row row = rows.get("data," + enc(key(i)));
            assertThat(row).as("row of %s", key(i)).isNotNull();
            assertThat(row.status()).as("%s", row).isEqualTo("succeeded");
            assertThat(row.http()).isEqualTo("200");
            assertThat(row.message()).startsWith("Succeeded: wrote s3://data/out/" + key(i));
        }
        assertThat(rows.get("data," + enc(ODD_KEY)).status()).isEqualTo("succeeded");
        assertRow(rows.get("data,bad%2Fcorrupt.gz"), "MalformedCompressedObject", "400", "PermanentFailure");
        assertRow(rows.get("data,missing%2Fnothing-here.txt"), "NoSuchKey", "404", "PermanentFailure");
        assertRow(rows.get("data,odd%ZZescape"), "InvalidManifestLine", "400", "PermanentFailure");
        assertRow(rows.get("only-one-field,"), "InvalidManifestLine", "400", "PermanentFailure");
        assertRow(rows.get("data,out%2Fin%2F0%2Fobj-0.txt.gz"), "SourceUnderTarget", "400", "PermanentFailure");
        assertThat(rows.get("no-such-bucket,in%2F0%2Fobj-0.txt.gz").status()).isEqualTo("failed");
        assertThat(rows.get("no-such-bucket,in%2F0%2Fobj-0.txt.gz").message()).startsWith("PermanentFailure");

        // Targets hold the decompressed text and record their source.
        for (int i : new int[] {0, 1, 2, 500, 998, 999}) {
            ResponseBytes<GetObjectResponse> t = client.getObjectAsBytes(b -> b.bucket("data").key("out/" + key(i)));
            assertThat(t.asUtf8String()).isEqualTo(plainOf.get(key(i)));
            String sourceEtag = client.headObject(b -> b.bucket("data").key(key(i))).eTag();
            assertThat(t.response().metadata()).containsEntry(BatchJob.META_SOURCE_ETAG, sourceEtag)
                    .containsKey(BatchJob.META_PIPELINE);
        }
        assertThat(client.getObjectAsBytes(b -> b.bucket("data").key("out/" + ODD_KEY)).asUtf8String())
                .isEqualTo(plainOf.get(ODD_KEY));
        // The corrupt archive left no target, not even a partial one.
        assertThatThrownBy(() -> client.headObject(b -> b.bucket("data").key("out/bad/corrupt.gz")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    static void assertRow(Row row, String code, String http, String resultCode) {
        assertThat(row).isNotNull();
        assertThat(row.status()).as("%s", row).isEqualTo("failed");
        assertThat(row.code()).as("%s", row).isEqualTo(code);
        assertThat(row.http()).as("%s", row).isEqualTo(http);
        assertThat(row.message()).as("%s", row).startsWith(resultCode + ": ");
    }
}
