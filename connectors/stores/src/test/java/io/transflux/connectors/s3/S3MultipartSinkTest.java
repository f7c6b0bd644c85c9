package io.transflux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.transflux.connectors.upload.MultipartSpec;
import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.SinkException;
import io.transflux.pipeline.sink.SinkResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link S3Store} sinks against S3Mock 5.2.0, a third-party S3 server started by the test on 127.0.0.1; what
 * got stored is read back with the AWS SDK v2 client.
 */
class S3MultipartSinkTest {

    static final String BUCKET = "sink-test";
    static final int PART = MultipartSpec.MIN_PART_SIZE * 52; // 5.08 MiB: above S3's 5 MiB minimum part
    static S3MockServer s3mock;
    static S3Client client;

    @BeforeAll
    static void startS3Mock() throws Exception {
        s3mock = S3MockServer.start();
        client = s3mock.client();
        client.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopS3Mock() throws Exception {
        if (client != null) {
            client.close();
        }
        if (s3mock != null) {
            s3mock.close();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** {@code data} in 64 KiB chunks, each its own buffer. */
    static Flux<ByteBuffer> chunks(byte[] data) {
        List<ByteBuffer> out = new ArrayList<>();
        for (int off = 0; off < data.length; off += 65536) {
            out.add(ByteBuffer.wrap(data, off, Math.min(65536, data.length - off)).slice());
        }
        return Flux.fromIterable(out);
    }

    static MultipartSpec spec() {
        return MultipartSpec.builder().partSize(PART).build();
    }

    byte[] stored(String key) {
        ResponseBytes<GetObjectResponse> r = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
        return r.asByteArray();
    }

    @Test
    void storesContentLongerThanTwoPartsAsAMultipartUpload() {
        byte[] data = random(2 * PART + 123_457, 1);

        SinkResult r = s3mock.store().sink(BUCKET, "multi/three-parts.bin", spec())
                .write(ObjectStream.of(chunks(data), ObjectMetadata.builder().contentType("application/x-test").build()))
                .block(Duration.ofSeconds(60));

        assertThat(r).isEqualTo(new SinkResult(data.length, "s3://" + BUCKET + "/multi/three-parts.bin"));
        assertThat(stored("multi/three-parts.bin")).isEqualTo(data);
        HeadObjectResponse head = client.headObject(b -> b.bucket(BUCKET).key("multi/three-parts.bin"));
        assertThat(head.eTag()).as("multipart ETag").endsWith("-3\"");
        assertThat(head.contentType()).isEqualTo("application/x-test");
    }

    @Test
    void storesContentOfExactlyOnePartAsASinglePartUpload() {
        byte[] data = random(PART, 2);

        s3mock.store().sink(BUCKET, "exact-part.bin", spec()).write(ObjectStream.of(chunks(data)))
                .block(Duration.ofSeconds(60));

        assertThat(stored("exact-part.bin")).isEqualTo(data);
        assertThat(client.headObject(b -> b.bucket(BUCKET).key("exact-part.bin")).eTag()).endsWith("-1\"");
    }

    @Test
    void storesSmallContentWithOnePutObjectKeepingMetadata() {
        byte[] data = random(1000, 3);
        ObjectMetadata md = ObjectMetadata.builder().contentType("text/plain").putUserMetadata("origin", "transflux").build();

        s3mock.store().sink(BUCKET, "small.txt", spec()).write(ObjectStream.of(chunks(data), md))
                .block(Duration.ofSeconds(30));

        assertThat(stored("small.txt")).isEqualTo(data);
        HeadObjectResponse head = client.headObject(b -> b.bucket(BUCKET).key("small.txt"));
        assertThat(head.eTag()).doesNotContain("-");
        assertThat(head.contentType()).isEqualTo("text/plain");
        assertThat(head.metadata()).containsEntry("origin", "transflux");
    }

    @Test
    void storesAnEmptyObject() {
        SinkResult r = s3mock.store().sink(BUCKET, "empty", spec()).write(ObjectStream.of(Flux.empty()))
                .block(Duration.ofSeconds(30));

        assertThat(r.bytesWritten()).isZero();
        assertThat(stored("empty")).isEmpty();
        assertThat(client.headObject(b -> b.bucket(BUCKET).key("empty")).contentLength()).isZero();
    }

    @Test
    void encodesKeysWithSpacesPlusSignsAndNonAscii() {
        String key = "dir/a b+c=d&e ü/日本.txt";
        byte[] data = random(10, 4);

        s3mock.store().sink(BUCKET, key, spec()).write(ObjectStream.of(chunks(data))).block(Duration.ofSeconds(30));

        assertThat(stored(key)).isEqualTo(data);
    }

    @Test
    void failingPipelineLeavesNoObjectAndNoMultipartUpload() {
        byte[] data = random(PART + 70_000, 5);
        Flux<ByteBuffer> failing = chunks(data).concatWith(Mono.error(new DecompressionException("corrupt block 3")));

        assertThatThrownBy(() -> s3mock.store().sink(BUCKET, "failed.bin", spec()).write(ObjectStream.of(failing))
                .block(Duration.ofSeconds(60)))
                .isInstanceOf(DecompressionException.class)
                .hasMessage("corrupt block 3");

        assertThatThrownBy(() -> client.headObject(b -> b.bucket(BUCKET).key("failed.bin")))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(404));
        assertThat(client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
                .filteredOn(u -> u.key().equals("failed.bin")).isEmpty();
    }

    @Test
    void cancellingAbortsTheMultipartUpload() throws Exception {
        byte[] data = random(PART + 70_000, 6);
        Flux<ByteBuffer> stalls = chunks(data).concatWith(Mono.never());

        Disposable d = s3mock.store().sink(BUCKET, "cancelled.bin", spec()).write(ObjectStream.of(stalls)).subscribe();
        awaitUploads("cancelled.bin", 1);
        d.dispose();
        awaitUploads("cancelled.bin", 0);

        assertThatThrownBy(() -> client.getObject(b -> b.bucket(BUCKET).key("cancelled.bin")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void missingBucketFailsWithTheStoresErrorCode() {
        assertThatThrownBy(() -> s3mock.store().sink("no-such-bucket", "k", spec())
                .write(ObjectStream.of(chunks(random(10, 7)))).block(Duration.ofSeconds(30)))
                .isInstanceOf(SinkException.class)
                .hasMessage("PutObject refused: status 404, code NoSuchBucket");
    }

    @Test
    void presignedGetReadsTheStoredObject() throws Exception {
        byte[] data = random(5000, 8);
        s3mock.store().sink(BUCKET, "presigned/ü x.bin", spec()).write(ObjectStream.of(chunks(data)))
                .block(Duration.ofSeconds(30));

        String url = s3mock.store().presignGet(BUCKET, "presigned/ü x.bin", Duration.ofMinutes(5));

        assertThat(url).contains("X-Amz-Signature=").contains("/" + BUCKET + "/presigned/%C3%BC%20x.bin?");
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(url).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(10_000);
        try (var in = c.getInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    private void awaitUploads(String key, int expected) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int n = -1;
        while (System.nanoTime() < end) {
            n = (int) client.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().stream()
                    .filter(u -> u.key().equals(key)).count();
            if (n == expected) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(n).as("multipart uploads of " + key).isEqualTo(expected);
    }
}
