package io.transflux.cli;

import static io.transflux.cli.BatchCommandTest.OBJECTS;
import static io.transflux.cli.BatchCommandTest.key;
import static io.transflux.cli.BatchCommandTest.report;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

import io.transflux.connectors.SlowDownProxy;
import io.transflux.connectors.accesspoint.AccessPointSpec;
import io.transflux.connectors.accesspoint.Action;
import io.transflux.connectors.accesspoint.LocalAccessPoint;
import io.transflux.connectors.s3.S3MockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code transflux batch} in a child JVM against {@code serve}'s store (an S3-flavour access point with no
 * function actions: a plain bucket, as Batch Operations reads and writes it), the same job as
 * {@link BatchCommandTest} runs against S3Mock: the 1,000-object manifest of gzip, zstd and plain objects with bad
 * lines gives the right report, a rerun skips everything done, and a 503 SlowDown burst is ridden out. Unlike
 * S3Mock, serve checks every SigV4 signature and the objects are put through its PutObject with the SDK.
 */
@Tag("load")
class BatchCommandServeTest {

    static LocalAccessPoint serve;
    static S3Client client;
    static final Map<String, String> plainOf = new java.util.concurrent.ConcurrentHashMap<>();

    @TempDir
    static Path root;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(root.resolve("data"));
        serve = LocalAccessPoint.builder().root(root).port(0).accessLog(l -> { })
                .credentials(S3MockServer.ACCESS_KEY, S3MockServer.SECRET_KEY)
                .defaultAccessPoint(AccessPointSpec.builder().name("bucket").actions(EnumSet.noneOf(Action.class))
                        .build())
                .start();
        client = S3Client.builder().endpointOverride(URI.create(serve.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3MockServer.ACCESS_KEY, S3MockServer.SECRET_KEY)))
                .build();
        BatchCommandTest.fillDataBucket(client, plainOf);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (serve != null) {
            serve.close();
        }
    }

    static Path manifest(String name, int count) throws Exception {
        return BatchCommandTest.manifest(dir, name, count);
    }

    @Test
    void transformsAThousandObjectManifestReportsEachBadLineAndSkipsEverythingOnRerun() throws Exception {
        Path m = manifest("manifest.csv", OBJECTS);
        Path rep = dir.resolve("report.csv");
        ProcessCommandTest.Result r = BatchCommandTest.batch("batch", "--manifest", m.toString(), "--pipeline",
                "decompress/auto", "--target", "s3://data/out/", "--endpoint", serve.endpoint(), "--concurrency", "16",
                "--report", rep.toString());
        assertThat(r.exit()).as("stderr: %s", r.stderr()).isEqualTo(1);
        assertThat(r.stdout()).contains("1007 tasks, 1001 succeeded (0 already done), 6 failed");

        BatchCommandTest.assertFirstRunOfTheMixedManifest(report(rep), client, plainOf);
        try (var s = Files.walk(root.resolve("data"))) {
            assertThat(s.filter(p -> p.toString().endsWith(".transflux-tmp"))).as("no temporary file left").isEmpty();
        }

        Path rep2 = dir.resolve("report2.csv");
        ProcessCommandTest.Result again = BatchCommandTest.batch("batch", "--manifest", m.toString(), "--pipeline",
                "decompress/auto", "--target", "s3://data/out/", "--endpoint", serve.endpoint(), "--concurrency", "16",
                "--report", rep2.toString());
        assertThat(again.stdout()).contains("1007 tasks, 1001 succeeded (1001 already done), 6 failed");
        assertThat(report(rep2).values()).filteredOn(x -> x.status().equals("succeeded"))
                .hasSize(1001).allMatch(x -> x.message().startsWith("Succeeded: skipped: "));
    }

    @Test
    void ridesOutASlowDownBurstInFrontOfServe() throws Exception {
        Path m = manifest("burst.csv", 12);
        Path rep = dir.resolve("burst-report.csv");
        try (SlowDownProxy proxy = SlowDownProxy.start(serve.endpoint())) {
            ProcessCommandTest.Result r = BatchCommandTest.batch("batch", "--manifest", m.toString(), "--pipeline",
                    "decompress/auto", "--target", "s3://data/burst/", "--endpoint", proxy.endpoint(),
                    "--concurrency", "8", "--report", rep.toString());
            assertThat(r.exit()).as("stderr: %s; report: %s", r.stderr(), Files.readString(rep)).isZero();
            assertThat(r.stdout()).contains("12 tasks, 12 succeeded (0 already done), 0 failed");
            assertThat(proxy.refused()).isGreaterThanOrEqualTo(4 * 12);
        }
        for (int i : new int[] {0, 1, 2, 11}) {
            assertThat(client.getObjectAsBytes(b -> b.bucket("data").key("burst/" + key(i))).asUtf8String())
                    .isEqualTo(plainOf.get(key(i)));
        }
    }

    /** {@code serve --batch-manifest}: a serve child JVM runs the job through the handler, writes the report, exits. */
    @Test
    void serveRunsABatchOperationsJobFromAManifestAndExits() throws Exception {
        Path m = manifest("serve-job.csv", 12);
        Path rep = dir.resolve("serve-job-report.csv");
        ProcessCommandTest.Result r = BatchCommandTest.batch("serve", "--root", root.toString(), "--port", "0",
                "--actions", "", "--quiet", "--access-key-id", S3MockServer.ACCESS_KEY, "--secret-access-key",
                S3MockServer.SECRET_KEY, "--batch-manifest", m.toString(), "--batch-argument", "pipeline=decompress/auto",
                "--batch-argument", "targetBucket=data", "--batch-argument", "targetPrefix=served/",
                "--batch-report", rep.toString(), "--batch-concurrency", "4");
        assertThat(r.exit()).as("stdout: %s stderr: %s", r.stdout(), r.stderr()).isZero();
        assertThat(r.stdout()).contains("batch: 12 tasks, 12 succeeded, 0 failed");
        assertThat(report(rep)).hasSize(12).allSatisfy((k, row) -> assertThat(row.message()).startsWith("Succeeded: wrote"));
        assertThat(client.getObjectAsBytes(b -> b.bucket("data").key("served/" + key(3))).asUtf8String())
                .isEqualTo(plainOf.get(key(3)));
    }
}
