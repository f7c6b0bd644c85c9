package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.transflux.pipeline.Limits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A limit must never look like a finished object (issue 12 §4). Within the first 8 MiB of output a limit is a
 * clean 400 with the platform's error body; past them the caller's connection is aborted, so curl, the sync SDK
 * and the async SDK's {@code toFile} all fail instead of keeping a truncated body.
 */
class ServeLimitCommitTest {

    @TempDir
    static Path root;
    @TempDir
    static Path downloads;
    static LocalAccessPoint early;
    static LocalAccessPoint late;

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(root.resolve("logs"));
        Files.write(root.resolve("logs/six.log"), text(6 << 20));
        Files.write(root.resolve("logs/twenty.log"), text(20 << 20));
        early = LocalAccessPoint.builder().root(root).port(0)
                .limits(Limits.builder().maxOutputBytes(4L << 20).build()).start();
        late = LocalAccessPoint.builder().root(root).port(0)
                .limits(Limits.builder().maxOutputBytes(12L << 20).build()).start();
    }

    @AfterAll
    static void stop() {
        early.close();
        late.close();
    }

    static byte[] text(int n) {
        Random r = new Random(12);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (i % 100 == 99) ? (byte) '\n' : (byte) ('a' + r.nextInt(26));
        }
        return b;
    }

    static StaticCredentialsProvider creds() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID,
                LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY));
    }

    static S3Client sync(LocalAccessPoint ap) {
        return S3Client.builder().endpointOverride(URI.create(ap.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(creds()).build();
    }

    @Test
    void aLimitWithinTheFirst8MiBIsAClean400ForEveryConcurrentCaller() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            replies.add(http.sendAsync(HttpRequest.newBuilder(URI.create(early.endpoint() + "/logs/six.log")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : replies) {
            HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("<Code>TransformLimitExceeded</Code>");
        }
        // The async SDK's toFile once reported success with a truncated file here (issue 12 §4).
        try (S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(URI.create(early.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(creds()).build()) {
            CompletableFuture<?> f = s3.getObject(b -> b.bucket("logs").key("six.log"),
                    AsyncResponseTransformer.toFile(downloads.resolve("six.log")));
            assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e.getCause()).statusCode()).isEqualTo(400));
        }
        try (S3Client s3 = sync(early)) {
            assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("logs").key("six.log")))
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> {
                        assertThat(((S3Exception) e).statusCode()).isEqualTo(400);
                        assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("TransformLimitExceeded");
                    });
        }
    }

    @Test
    void aLimitPast8MiBFailsTheAsyncSdkToFileInsteadOfLeavingATruncatedFile() throws Exception {
        Path target = downloads.resolve("twenty.log");
        try (S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(URI.create(late.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(creds()).build()) {
            CompletableFuture<?> f = s3.getObject(b -> b.bucket("logs").key("twenty.log"),
                    AsyncResponseTransformer.toFile(target));
            assertThatThrownBy(() -> f.get(120, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void aLimitPast8MiBFailsTheSyncSdk() {
        try (S3Client s3 = sync(late)) {
            assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("logs").key("twenty.log")))
                    .isNotNull();
        }
    }

    @Test
    void aLimitPast8MiBFailsCurl() throws Exception {
        io.transflux.testing.ExternalTools.require("curl", "curl");
        Process p = new ProcessBuilder("curl", "-sS", "-o", downloads.resolve("curl.log").toString(),
                late.endpoint() + "/logs/twenty.log").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl: %s", out).isNotZero();
    }

    @Test
    void theSameObjectUnderTheCapStreamsWhole() throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(late.endpoint() + "/logs/six.log")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(text(6 << 20));
    }
}
