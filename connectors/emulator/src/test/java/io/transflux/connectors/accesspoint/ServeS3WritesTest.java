package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The store side of an S3-flavour access point with no function actions (a plain bucket, as Batch Operations reads
 * and writes it): PutObject and multipart upload through the unmodified AWS SDK v2, sync and async, with S3's ETag
 * rules (MD5; MD5 of part MD5s with {@code -N}), user metadata and Content-Type returned on HEAD and GET, and no
 * object visible after a failed or aborted write.
 */
class ServeS3WritesTest {

    @TempDir
    static Path root;
    static LocalAccessPoint server;
    static S3Client s3;
    static S3AsyncClient s3async;
    static final List<String> LOG = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(root.resolve("data"));
        server = LocalAccessPoint.builder().root(root).port(0).accessLog(LOG::add)
                .defaultAccessPoint(AccessPointSpec.builder().name("plain").actions(EnumSet.noneOf(Action.class)).build())
                .start();
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY));
        s3 = S3Client.builder().endpointOverride(URI.create(server.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(creds).build();
        s3async = S3AsyncClient.builder().endpointOverride(URI.create(server.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(creds).build();
    }

    @AfterAll
    static void stop() {
        s3.close();
        s3async.close();
        server.close();
    }

    static String md5Hex(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        for (byte[] p : parts) {
            md.update(p);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void putObjectStoresTheBodyWithAnMd5EtagAndReturnsMetadataAndTypeOnHeadAndGet() throws Exception {
        byte[] body = "hello, batch\n".getBytes(StandardCharsets.UTF_8);
        var put = s3.putObject(r -> r.bucket("data").key("dir/hello.txt").contentType("text/x-test")
                .metadata(Map.of("transflux-source-etag", "\"abc\"", "Mixed-Case", "v")), RequestBody.fromBytes(body));
        assertThat(put.eTag()).isEqualTo("\"" + md5Hex(body) + "\"");

        HeadObjectResponse head = s3.headObject(r -> r.bucket("data").key("dir/hello.txt"));
        assertThat(head.eTag()).isEqualTo(put.eTag());
        assertThat(head.contentLength()).isEqualTo(body.length);
        assertThat(head.contentType()).isEqualTo("text/x-test");
        assertThat(head.metadata()).containsEntry("transflux-source-etag", "\"abc\"").containsEntry("mixed-case", "v");

        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket("data").key("dir/hello.txt"));
        assertThat(got.asByteArray()).isEqualTo(body);
        assertThat(got.response().metadata()).containsEntry("transflux-source-etag", "\"abc\"");
        assertThat(s3.listObjectsV2(r -> r.bucket("data").prefix("dir/")).contents()).extracting(S3Object::key,
                S3Object::eTag).containsExactly(org.assertj.core.groups.Tuple.tuple("dir/hello.txt", put.eTag()));
    }

    @Test
    void anOverwriteReplacesContentTypeAndMetadata() throws Exception {
        s3.putObject(r -> r.bucket("data").key("over.bin").metadata(Map.of("gen", "1")), RequestBody.fromString("one"));
        s3.putObject(r -> r.bucket("data").key("over.bin").metadata(Map.of("other", "2")), RequestBody.fromString("two!"));
        HeadObjectResponse head = s3.headObject(r -> r.bucket("data").key("over.bin"));
        assertThat(head.metadata()).containsExactly(Map.entry("other", "2"));
        assertThat(head.contentType()).as("RequestBody.fromString's type").isEqualTo("text/plain; charset=UTF-8");
        assertThat(head.eTag()).isEqualTo("\"" + md5Hex("two!".getBytes(StandardCharsets.UTF_8)) + "\"");
    }

    @Test
    void aFileReplacedBehindTheStoresBackLosesItsRecordedEtagAndMetadata() throws Exception {
        s3.putObject(r -> r.bucket("data").key("replaced.txt").metadata(Map.of("gen", "1")), RequestBody.fromString("x"));
        Path f = root.resolve("data/replaced.txt");
        Path tmp = root.resolve("data/replaced.new");
        Files.writeString(tmp, "changed by hand");
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        HeadObjectResponse head = s3.headObject(r -> r.bucket("data").key("replaced.txt"));
        assertThat(head.metadata()).isEmpty();
        assertThat(head.eTag()).doesNotContain(md5Hex("x".getBytes(StandardCharsets.UTF_8)));
        assertThat(head.contentLength()).isEqualTo(15);
    }

    @Test
    void multipartUploadGivesTheDashNEtagAndKeepsTheMetadataGivenAtInitiation() throws Exception {
        byte[] p1 = random(5 * 1024 * 1024, 1);
        byte[] p2 = random(1234, 2);
        String id = s3.createMultipartUpload(r -> r.bucket("data").key("mpbig/big.bin").contentType("application/x-big")
                .metadata(Map.of("transflux-pipeline", "0123"))).uploadId();
        String e1 = s3.uploadPart(r -> r.bucket("data").key("mpbig/big.bin").uploadId(id).partNumber(1),
                RequestBody.fromBytes(p1)).eTag();
        String e2 = s3.uploadPart(r -> r.bucket("data").key("mpbig/big.bin").uploadId(id).partNumber(2),
                RequestBody.fromBytes(p2)).eTag();
        assertThat(e1).isEqualTo("\"" + md5Hex(p1) + "\"");
        assertThat(s3.listObjectsV2(r -> r.bucket("data").prefix("mpbig/")).contents()).as("nothing before completion")
                .isEmpty();
        var done = s3.completeMultipartUpload(r -> r.bucket("data").key("mpbig/big.bin").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build())));
        String expected = "\"" + md5Hex(HexFormat.of().parseHex(md5Hex(p1)), HexFormat.of().parseHex(md5Hex(p2))) + "-2\"";
        assertThat(done.eTag()).isEqualTo(expected);
        HeadObjectResponse head = s3.headObject(r -> r.bucket("data").key("mpbig/big.bin"));
        assertThat(head.eTag()).isEqualTo(expected);
        assertThat(head.contentLength()).isEqualTo(p1.length + p2.length);
        assertThat(head.contentType()).isEqualTo("application/x-big");
        assertThat(head.metadata()).containsEntry("transflux-pipeline", "0123");
        assertThat(md5Hex(Files.readAllBytes(root.resolve("data/mpbig/big.bin")))).isEqualTo(md5Hex(p1, p2));
        assertThat(root.resolve(MultipartFront.UPLOADS).resolve(id)).as("the parts are gone").doesNotExist();
    }

    @Test
    void anAbortedOrRefusedMultipartUploadLeavesNoObject() throws Exception {
        String id = s3.createMultipartUpload(r -> r.bucket("data").key("mp/aborted.bin")).uploadId();
        s3.uploadPart(r -> r.bucket("data").key("mp/aborted.bin").uploadId(id).partNumber(1), RequestBody.fromString("x"));
        s3.abortMultipartUpload(r -> r.bucket("data").key("mp/aborted.bin").uploadId(id));
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket("data").key("mp/aborted.bin")))
                .isInstanceOf(NoSuchKeyException.class);

        // Two small parts: S3 refuses the first (under 5 MiB) with EntityTooSmall; a wrong ETag is InvalidPart.
        String id2 = s3.createMultipartUpload(r -> r.bucket("data").key("mp/small.bin")).uploadId();
        String a = s3.uploadPart(r -> r.bucket("data").key("mp/small.bin").uploadId(id2).partNumber(1),
                RequestBody.fromString("aaa")).eTag();
        String b = s3.uploadPart(r -> r.bucket("data").key("mp/small.bin").uploadId(id2).partNumber(2),
                RequestBody.fromString("bbb")).eTag();
        assertThatThrownBy(() -> s3.completeMultipartUpload(r -> r.bucket("data").key("mp/small.bin").uploadId(id2)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(a).build(),
                        CompletedPart.builder().partNumber(2).eTag(b).build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("EntityTooSmall"));
        assertThatThrownBy(() -> s3.completeMultipartUpload(r -> r.bucket("data").key("mp/small.bin").uploadId(id2)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(2).eTag("\"00\"").build()))))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("InvalidPart"));
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket("data").key("mp/small.bin")))
                .isInstanceOf(NoSuchKeyException.class);
        // The last part alone is allowed at any size.
        var done = s3.completeMultipartUpload(r -> r.bucket("data").key("mp/small.bin").uploadId(id2)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(2).eTag(b).build())));
        assertThat(done.eTag()).endsWith("-1\"");
        assertThat(s3.getObjectAsBytes(r -> r.bucket("data").key("mp/small.bin")).asUtf8String()).isEqualTo("bbb");
    }

    @Test
    void aWrongContentMd5IsBadDigestAndNothingIsStored() {
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket("data").key("digest.txt")
                .contentMD5("1B2M2Y8AsgTpgAmY7PhCfg=="), RequestBody.fromString("not empty")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("BadDigest"));
        assertThat(Files.exists(root.resolve("data/digest.txt"))).isFalse();
        assertThat(tempFilesLeft()).isZero();
    }

    @Test
    void metadataOverTwoKilobytesIsRefused() {
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket("data").key("meta.txt")
                .metadata(Map.of("big", "x".repeat(2100))), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("MetadataTooLarge"));
        assertThat(Files.exists(root.resolve("data/meta.txt"))).isFalse();
    }

    @Test
    void aBadSignatureAndCopyObjectAreRefused() {
        try (S3Client wrong = S3Client.builder().endpointOverride(URI.create(server.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, "wrong"))).build()) {
            assertThatThrownBy(() -> wrong.putObject(r -> r.bucket("data").key("sig.txt"), RequestBody.fromString("x")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
        assertThat(Files.exists(root.resolve("data/sig.txt"))).isFalse();
        s3.putObject(r -> r.bucket("data").key("src.txt"), RequestBody.fromString("x"));
        assertThatThrownBy(() -> s3.copyObject(r -> r.sourceBucket("data").sourceKey("src.txt")
                .destinationBucket("data").destinationKey("copy.txt")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(501));
    }

    @Test
    void aWriteThroughASymbolicLinkOutOfTheRootIsRefused(@TempDir Path outside) throws Exception {
        Files.createSymbolicLink(root.resolve("data/escape"), outside);
        assertThatThrownBy(() -> s3.putObject(r -> r.bucket("data").key("escape/x.txt"), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        String id = null;
        try {
            id = s3.createMultipartUpload(r -> r.bucket("data").key("escape/y.txt")).uploadId();
        } catch (S3Exception e) {
            assertThat(e.statusCode()).isEqualTo(400);
        }
        if (id != null) {
            String uid = id;
            String e1 = s3.uploadPart(r -> r.bucket("data").key("escape/y.txt").uploadId(uid).partNumber(1),
                    RequestBody.fromString("y")).eTag();
            assertThatThrownBy(() -> s3.completeMultipartUpload(r -> r.bucket("data").key("escape/y.txt").uploadId(uid)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build()))))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        }
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void theAsyncClientPutsAndUploadsPartsConcurrently() throws Exception {
        List<CompletableFuture<?>> puts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            byte[] body = random(100_000 + i, 10 + i);
            String key = "async/o" + i;
            puts.add(s3async.putObject(r -> r.bucket("data").key(key).metadata(Map.of("i", Integer.toString(i(key)))),
                    AsyncRequestBody.fromBytes(body)).thenAccept(resp -> {
                        try {
                            assertThat(resp.eTag()).isEqualTo("\"" + md5Hex(body) + "\"");
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
        var got = s3async.getObject(r -> r.bucket("data").key("async/o3"), AsyncResponseTransformer.toBytes()).join();
        assertThat(got.asByteArray()).isEqualTo(random(100_003, 13));
        assertThat(got.response().metadata()).containsEntry("i", "3");

        byte[] p1 = random(5 * 1024 * 1024, 20);
        byte[] p2 = random(10, 21);
        String id = s3async.createMultipartUpload(r -> r.bucket("data").key("async/mp")).join().uploadId();
        var f1 = s3async.uploadPart(r -> r.bucket("data").key("async/mp").uploadId(id).partNumber(1),
                AsyncRequestBody.fromBytes(p1));
        var f2 = s3async.uploadPart(r -> r.bucket("data").key("async/mp").uploadId(id).partNumber(2),
                AsyncRequestBody.fromBytes(p2));
        String e1 = f1.join().eTag();
        String e2 = f2.join().eTag();
        var done = s3async.completeMultipartUpload(r -> r.bucket("data").key("async/mp").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build()))).join();
        assertThat(done.eTag()).endsWith("-2\"");
        assertThat(md5Hex(Files.readAllBytes(root.resolve("data/async/mp")))).isEqualTo(md5Hex(p1, p2));
    }

    private static int i(String key) {
        return Integer.parseInt(key.substring(key.lastIndexOf('o') + 1));
    }

    private static long tempFilesLeft() {
        try (Stream<Path> s = Files.walk(root.resolve("data"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(FileStore.TEMP_SUFFIX)).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
