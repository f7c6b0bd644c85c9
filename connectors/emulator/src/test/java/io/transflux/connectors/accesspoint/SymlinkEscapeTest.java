package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Real symbolic links inside {@code --root} that point out of it are neither read, listed nor written through. */
class SymlinkEscapeTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;

    private LocalAccessPoint ap;
    private S3Client s3;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/ok.txt"), "inside");
        Files.writeString(outside.resolve("secret.txt"), "outside secret");
        Files.createDirectories(outside.resolve("dir"));
        Files.createSymbolicLink(root.resolve("data/link.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("data/out"), outside.resolve("dir"));
        ap = LocalAccessPoint.builder().root(root).port(0).accessLog(l -> { }).start();
        s3 = S3Client.builder().endpointOverride(URI.create(ap.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials
                        .create(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY)))
                .build();
    }

    @AfterEach
    void stop() {
        s3.close();
        ap.close();
    }

    @Test
    void getAndHeadThroughALinkLeavingTheRootAreNotFound() {
        assertThat(s3.getObjectAsBytes(b -> b.bucket("data").key("ok.txt")).asUtf8String()).isEqualTo("inside");
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("data").key("link.txt")))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("data").key("link.txt")))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(404));
    }

    @Test
    void listingShowsNothingBehindALinkLeavingTheRoot() throws Exception {
        Files.writeString(outside.resolve("dir/hidden.txt"), "x");
        assertThat(s3.listObjectsV2(b -> b.bucket("data")).contents()).extracting(S3Object::key)
                .containsExactly("ok.txt");
    }

    @Test
    void newObjectsThroughALinkedDirectoryOrALinkAreRefusedAndNothingIsWrittenOutside() throws Exception {
        FileStore store = new FileStore(root);
        Files.createSymbolicLink(root.resolve("data/dangling.txt"), outside.resolve("created-by-write.txt"));
        for (String key : new String[] {"out/planted.txt", "out/deeper/planted.txt", "link.txt", "dangling.txt"}) {
            assertThatThrownBy(() -> store.newObject("data", key)).as(key)
                    .isInstanceOf(PlatformError.class)
                    .satisfies(e -> assertThat(((PlatformError) e).status).isEqualTo(400));
        }
        assertThat(store.newObject("data", "fresh/new.txt").startsWith(root.resolve("data"))).isTrue();
        try (var left = Files.list(outside.resolve("dir"))) {
            assertThat(left).isEmpty();
        }
        assertThat(outside.resolve("created-by-write.txt")).doesNotExist();
        assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("outside secret");
    }
}
