package io.transflux.connectors.oss;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@link OssStore} sinks against a local OSS stand-in that checks every V4 signature with aliyun-sdk-oss. */
class OssMultipartSinkTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int PART = MultipartSpec.MIN_PART_SIZE;
    static final MultipartSpec SPEC = MultipartSpec.builder().partSize(PART).build();
    FakeOssServer oss;

    @BeforeEach
    void start() {
        oss = new FakeOssServer(new OssCredentials("LTAI5tTEST", "oss-test-secret", null));
    }

    @AfterEach
    void stop() {
        oss.close();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static Flux<ByteBuffer> chunks(byte[] data) {
        List<ByteBuffer> out = new ArrayList<>();
        for (int off = 0; off < data.length; off += 65536) {
            out.add(ByteBuffer.wrap(data, off, Math.min(65536, data.length - off)).slice());
        }
        return Flux.fromIterable(out);
    }

    @Test
    void uploadsSeveralPartsSignedV4AndCompletesInOrder() {
        byte[] data = random(3 * PART + 5000, 1);

        SinkResult r = oss.store().sink("bkt", "dir/a b+ü.bin", SPEC)
                .write(ObjectStream.of(chunks(data), ObjectMetadata.builder().contentType("image/png").build()))
                .block(TIMEOUT);

        assertThat(r).isEqualTo(new SinkResult(data.length, "oss://bkt/dir/a b+ü.bin"));
        assertThat(oss.signatureMismatches).hasValue(0);
        assertThat(oss.objects.get("/bkt/dir/a b+ü.bin")).isEqualTo(data);
        assertThat(oss.contentTypes.get("/bkt/dir/a b+ü.bin")).isEqualTo("image/png");
        assertThat(oss.requests()).containsExactly(
                "POST /bkt/dir/a b+ü.bin?uploads",
                "PUT /bkt/dir/a b+ü.bin?partNumber&uploadId",
                "PUT /bkt/dir/a b+ü.bin?partNumber&uploadId",
                "PUT /bkt/dir/a b+ü.bin?partNumber&uploadId",
                "POST /bkt/dir/a b+ü.bin?uploadId");
        assertThat(oss.uploads).isEmpty();
    }

    @Test
    void holdsAtMostTwoPartsAheadOfWhatTheStoreReceived() {
        byte[] data = random(8 * PART + 3, 5);
        java.util.concurrent.atomic.AtomicLong emitted = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong maxAhead = new java.util.concurrent.atomic.AtomicLong();
        Flux<ByteBuffer> counted = chunks(data).doOnNext(b -> {
            long ahead = emitted.addAndGet(b.remaining()) - oss.partBytes.get();
            maxAhead.accumulateAndGet(ahead, Math::max);
        });

        oss.store().sink("bkt", "bounded", SPEC).write(ObjectStream.of(counted)).block(TIMEOUT);

        assertThat(oss.objects.get("/bkt/bounded")).isEqualTo(data);
        // one part uploading, one filled and queued, each at most a chunk over the part size, plus the chunk now
        assertThat(maxAhead.get()).isGreaterThan(PART).isLessThanOrEqualTo(2L * (PART + 65536) + 65536);
    }

    @Test
    void smallAndEmptyObjectsGoAsOnePutObject() {
        byte[] data = random(100, 2);

        oss.store().sink("bkt", "small", SPEC).write(ObjectStream.of(chunks(data))).block(TIMEOUT);
        oss.store().sink("bkt", "empty", SPEC).write(ObjectStream.of(Flux.empty())).block(TIMEOUT);

        assertThat(oss.signatureMismatches).hasValue(0);
        assertThat(oss.objects.get("/bkt/small")).isEqualTo(data);
        assertThat(oss.objects.get("/bkt/empty")).isEmpty();
        assertThat(oss.requests()).containsExactly("PUT /bkt/small", "PUT /bkt/empty");
    }

    @Test
    void failingContentAbortsTheUploadAndStoresNothing() {
        Flux<ByteBuffer> failing = chunks(random(2 * PART + 10, 3))
                .concatWith(Mono.error(new DecompressionException("truncated")));

        assertThatThrownBy(() -> oss.store().sink("bkt", "failed", SPEC).write(ObjectStream.of(failing)).block(TIMEOUT))
                .isInstanceOf(DecompressionException.class).hasMessage("truncated");

        assertThat(oss.objects).doesNotContainKey("/bkt/failed");
        assertThat(oss.uploads).isEmpty();
        assertThat(oss.aborts).hasValue(1);
        assertThat(oss.requests()).last().isEqualTo("DELETE /bkt/failed?uploadId");
    }

    @Test
    void wrongSecretIsRefusedWithTheStoresCode() {
        OssStore wrong = OssStore.create(oss.endpoint(), FakeOssServer.REGION,
                new OssCredentials("LTAI5tTEST", "not-the-secret", null)).pathStyle(true);

        assertThatThrownBy(() -> wrong.sink("bkt", "k", SPEC).write(ObjectStream.of(chunks(random(10, 4)))).block(TIMEOUT))
                .isInstanceOf(SinkException.class)
                .hasMessage("PutObject refused: status 403, code SignatureDoesNotMatch");
    }

    @Test
    void virtualHostedAddressingPutsTheBucketInTheHostName() {
        OssStore s = OssStore.create("https://oss-cn-hangzhou.aliyuncs.com", "cn-hangzhou",
                new OssCredentials("id", "secret", null));

        assertThat(s.baseUrl("bkt", "a b/c.jpg")).isEqualTo("https://bkt.oss-cn-hangzhou.aliyuncs.com/a%20b/c.jpg");
    }
}
