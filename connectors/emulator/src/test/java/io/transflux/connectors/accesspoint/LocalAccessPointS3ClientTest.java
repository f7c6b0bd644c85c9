package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The AWS SDK for Java v2 {@code S3Client}, unmodified, against the local access point (S3 flavour). */
class LocalAccessPointS3ClientTest {

    @TempDir
    static Path root;
    static LocalAccessPoint server;
    static S3Client s3;
    static final List<String> LOG = new CopyOnWriteArrayList<>();
    static byte[] body;

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(root.resolve("logs/nested"));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append("{\"n\":").append(i).append(",\"msg\":\"line ").append(i).append("\"}\n");
        }
        body = sb.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(root.resolve("logs/app.jsonl"), body);
        Files.writeString(root.resolve("logs/nested/b.txt"), "bee");
        Files.writeString(root.resolve("logs/with space+plus.txt"), "odd");
        Files.createDirectories(root.resolve("strict"));
        Files.writeString(root.resolve("strict/x.txt"), "0123456789");
        server = LocalAccessPoint.builder().root(root).port(0).accessLog(LOG::add)
                .accessPoints(List.of(AccessPointSpec.builder().bucket("strict").build()))
                .start();
        s3 = client(LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY);
    }

    static S3Client client(String secret) {
        return S3Client.builder().endpointOverride(URI.create(server.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, secret)))
                .build();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    @Test
    void getObjectReturnsTheObjectThroughTheFunction() {
        ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket("logs").key("app.jsonl"));
        assertThat(r.asByteArray()).isEqualTo(body);
        assertThat(r.response().contentType()).isEqualTo("application/x-ndjson");
        assertThat(LOG).anySatisfy(l -> assertThat(l).contains("method=GET key=/logs/app.jsonl status=200")
                .contains("out=" + body.length));
    }

    @Test
    void rangedGetReturnsTheSliceWith206() {
        ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket("logs").key("app.jsonl").range("bytes=10-29"));
        assertThat(r.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(body, 10, 30));
        assertThat(r.response().contentRange()).isEqualTo("bytes 10-29/" + body.length);
    }

    @Test
    void headObjectGivesTheLength() {
        HeadObjectResponse h = s3.headObject(b -> b.bucket("logs").key("app.jsonl"));
        assertThat(h.contentLength()).isEqualTo(body.length);
    }

    @Test
    void listObjectsV2AndV1ListTheBucket() {
        assertThat(s3.listObjectsV2(b -> b.bucket("logs")).contents()).extracting(S3Object::key)
                .containsExactly("app.jsonl", "nested/b.txt", "with space+plus.txt");
        assertThat(s3.listObjectsV2(b -> b.bucket("logs").delimiter("/")).commonPrefixes())
                .extracting(p -> p.prefix()).containsExactly("nested/");
        assertThat(s3.listObjects(b -> b.bucket("logs").prefix("nested/")).contents()).extracting(S3Object::key)
                .containsExactly("nested/b.txt");
        assertThat(s3.listObjectsV2(b -> b.bucket("logs").maxKeys(1)).isTruncated()).isTrue();
    }

    @Test
    void keysWithSpacesAndPlusSignsRoundTrip() {
        assertThat(s3.getObjectAsBytes(b -> b.bucket("logs").key("with space+plus.txt")).asUtf8String()).isEqualTo("odd");
    }

    @Test
    void getObjectWithChecksumValidationSucceeds() {
        ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket("logs").key("app.jsonl")
                .checksumMode(ChecksumMode.ENABLED));
        assertThat(r.asByteArray()).isEqualTo(body);
        assertThat(r.response().checksumCRC32C()).isNotBlank();
    }

    @Test
    void missingKeyIsNoSuchKey() {
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("logs").key("nope.txt")))
                .isInstanceOf(NoSuchKeyException.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(404));
    }

    @Test
    void wrongSecretIsSignatureDoesNotMatch() {
        try (S3Client bad = client("not-the-secret")) {
            assertThatThrownBy(() -> bad.getObjectAsBytes(b -> b.bucket("logs").key("app.jsonl")))
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> {
                        assertThat(((S3Exception) e).statusCode()).isEqualTo(403);
                        assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                    });
        }
    }

    @Test
    void configuredAccessPointWithoutFeaturesAnswersRangeWith501() {
        assertThat(s3.getObjectAsBytes(b -> b.bucket("strict").key("x.txt")).asUtf8String()).isEqualTo("0123456789");
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("strict").key("x.txt").range("bytes=0-1")))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> {
                    assertThat(((S3Exception) e).statusCode()).isEqualTo(501);
                    assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
                });
    }
}
