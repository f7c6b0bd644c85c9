package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.SourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.test.StepVerifier;

class HttpObjectSourceTest extends OriginTestBase {

    @Test
    void streamsA200ByteForByteInOwnedHeapChunks() {
        byte[] body = random(4 * 1024 * 1024 + 17, 1);
        origin.then(FaultOrigin.object(body, ETAG));
        List<ByteBuffer> seen = new CopyOnWriteArrayList<>();

        ObjectStream stream = source("/bucket/object.bin").open().block(WAIT);
        byte[] read = collect(stream.content().doOnNext(seen::add));

        assertThat(sha256(read)).isEqualTo(sha256(body));
        assertThat(seen).allSatisfy(b -> {
            assertThat(b.isDirect()).isFalse();
            assertThat(b.hasArray()).isTrue();
        });
        assertThat(seen).allSatisfy(b -> assertThat(b.capacity()).isLessThanOrEqualTo(HttpSourceSpec.DEFAULT_CHUNK_BYTES));
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void cutsInboundBuffersToTheChunkSize() {
        byte[] body = random(300_000, 2);
        origin.then(FaultOrigin.object(body, ETAG));
        List<Integer> sizes = new CopyOnWriteArrayList<>();

        ObjectStream stream = source("/o", spec(b -> b.chunkBytes(1024))).open().block(WAIT);
        byte[] read = collect(stream.content().doOnNext(b -> sizes.add(b.remaining())));

        assertThat(read).isEqualTo(body);
        assertThat(sizes).allSatisfy(n -> assertThat(n).isBetween(1, 1024));
    }

    @Test
    void mapsResponseHeadersToMetadata() {
        byte[] body = random(1000, 3);
        origin.then(FaultOrigin.object(body, ETAG, Map.of(
                "Content-Type", "application/gzip",
                "Content-Encoding", "gzip",
                "Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT",
                "Cache-Control", "max-age=60",
                "Content-Disposition", "attachment; filename=\"o.gz\"",
                "x-amz-meta-Color", "blue",
                "x-oss-meta-owner", "team-a")));

        ObjectStream stream = source("/o.gz").open().block(WAIT);
        ObjectMetadata m = stream.metadata();

        assertThat(m.contentLength()).hasValue(1000);
        assertThat(m.contentType()).isEqualTo("application/gzip");
        assertThat(m.contentEncoding()).isEqualTo("gzip");
        assertThat(m.eTag()).isEqualTo(ETAG);
        assertThat(m.lastModified()).isEqualTo(Instant.parse("2015-10-21T07:28:00Z"));
        assertThat(m.cacheControl()).isEqualTo("max-age=60");
        assertThat(m.contentDisposition()).isEqualTo("attachment; filename=\"o.gz\"");
        assertThat(m.userMetadata()).containsExactlyInAnyOrderEntriesOf(Map.of("color", "blue", "owner", "team-a"));
        // Content-Encoding is reported, never undone: the bytes are the stored ones.
        assertThat(readAll(stream)).isEqualTo(body);
    }

    @Test
    void sendsThePresignedUrlByteForByteWithoutAcceptEncoding() {
        String pathAndQuery = "/bkt/a%2Bb%20c%3D/d+e.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKID%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&x=a+b%2B"
                + "&X-Amz-SignedHeaders=host&X-Amz-Signature=0123abcd";
        origin.then(FaultOrigin.object(new byte[] {1, 2, 3}, ETAG));

        assertThat(readAll(source(pathAndQuery).open().block(WAIT))).containsExactly(1, 2, 3);

        FaultOrigin.Recorded request = origin.requests().get(0);
        assertThat(request.uri()).isEqualTo(pathAndQuery);
        assertThat(request.header(HttpHeaderNames.ACCEPT_ENCODING)).isNull();
        assertThat(request.header(HttpHeaderNames.RANGE)).isNull();
        assertThat(request.header(HttpHeaderNames.HOST)).isEqualTo("127.0.0.1:" + origin.port());
    }

    @Test
    void forwardsOnlySignedAndConditionalHeaders() {
        origin.then(FaultOrigin.object(new byte[] {7}, ETAG));
        Map<String, String> caller = Map.of(
                "X-Amz-Checksum-Mode", "ENABLED",
                "x-amz-request-payer", "requester",
                "If-None-Match", "\"other\"",
                "Authorization", "AWS4-HMAC-SHA256 Credential=caller",
                "Range", "bytes=0-0",
                "Host", "attacker.example",
                "Accept-Encoding", "gzip");
        HttpObjectSource source = HttpObjectSource.builder(
                        origin.url("/o?X-Amz-SignedHeaders=host%3Bx-amz-checksum-mode&X-Amz-Signature=ab"))
                .client(client).spec(spec(b -> b)).requestHeaders(caller).build();

        assertThat(readAll(source.open().block(WAIT))).containsExactly(7);

        FaultOrigin.Recorded request = origin.requests().get(0);
        assertThat(request.header("x-amz-checksum-mode")).isEqualTo("ENABLED");
        assertThat(request.header("If-None-Match")).isEqualTo("\"other\"");
        assertThat(request.header("x-amz-request-payer")).as("not signed").isNull();
        assertThat(request.header("Authorization")).isNull();
        assertThat(request.header("Range")).isNull();
        assertThat(request.header("Accept-Encoding")).isNull();
        assertThat(request.header("Host")).isEqualTo("127.0.0.1:" + origin.port());
    }

    @Test
    void retriesA503BeforeTheBody() {
        byte[] body = random(50_000, 4);
        origin.then(FaultOrigin.status(503, "<Error><Code>SlowDown</Code></Error>"), FaultOrigin.object(body, ETAG));

        assertThat(readAll(source("/o").open().block(WAIT))).isEqualTo(body);
        assertThat(origin.requests()).hasSize(2);
    }

    @Test
    void givesUpOn5xxOnceTheBudgetIsSpent() {
        origin.otherwise(FaultOrigin.status(500, "<Error><Code>InternalError</Code></Error>"));

        assertThatThrownBy(() -> source("/o", spec(b -> b.maxResumes(2))).open().block(WAIT))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_ERROR);
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.sourceErrorCode()).isEqualTo("InternalError");
                    assertThat(e).hasMessageContaining("gave up after 2 of 2 retries");
                });
        assertThat(origin.requests()).hasSize(3);
    }

    @ParameterizedTest
    @CsvSource({
        "403, AccessDenied",
        "404, NoSuchKey",
        "412, PreconditionFailed",
        "416, InvalidRange",
        "400, InvalidArgument",
    })
    void mapsErrorRepliesWithTheStoresCode(int status, String code) {
        origin.then(FaultOrigin.status(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
                + "</Code><Message>whatever</Message><RequestId>R1</RequestId></Error>"));

        assertThatThrownBy(() -> source("/o").open().block(WAIT))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_ERROR);
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.sourceErrorCode()).isEqualTo(code);
                    assertThat(e).hasMessageContaining("status " + status).hasMessageContaining(code);
                });
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void mapsNotModifiedWithoutACode() {
        origin.then((req, res) -> res.status(304).header("ETag", ETAG).send());

        assertThatThrownBy(() -> source("/o").open().block(WAIT))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_ERROR);
                    assertThat(e.status()).isEqualTo(304);
                    assertThat(e.sourceErrorCode()).isNull();
                });
    }

    @Test
    void refusesToFollowARedirect() {
        origin.then((req, res) -> res.status(302).header("Location", "http://169.254.169.254/latest/meta-data/").send());

        assertThatThrownBy(() -> source("/o").open().block(WAIT))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_NOT_ALLOWED);
                    assertThat(e.status()).isEqualTo(302);
                    assertThat(e).hasMessageNotContaining("169.254");
                });
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void streamsAnEmptyObject() {
        origin.then(FaultOrigin.object(new byte[0], ETAG));

        ObjectStream stream = source("/empty").open().block(WAIT);

        assertThat(stream.metadata().contentLength()).hasValue(0);
        StepVerifier.create(stream.content()).expectComplete().verify(WAIT);
    }

    @Test
    void streamsABodyOfUnknownLength() {
        byte[] body = random(70_000, 5);
        origin.then((req, res) -> res.header("ETag", ETAG)
                .send(reactor.core.publisher.Flux.just(io.netty.buffer.Unpooled.wrappedBuffer(body, 0, 30_000),
                        io.netty.buffer.Unpooled.wrappedBuffer(body, 30_000, 40_000))));

        ObjectStream stream = source("/chunked").open().block(WAIT);

        assertThat(stream.metadata().contentLength()).isEmpty();
        assertThat(readAll(stream)).isEqualTo(body);
    }

    @Test
    void rejectsASecondSubscriptionToTheContent() {
        byte[] body = random(1000, 6);
        origin.then(FaultOrigin.object(body, ETAG));
        ObjectStream stream = source("/o").open().block(WAIT);

        assertThat(readAll(stream)).isEqualTo(body);
        StepVerifier.create(stream.content()).expectError(IllegalStateException.class).verify(WAIT);
    }

    @Test
    void failsA206ToARequestWithoutRange() {
        origin.then((req, res) -> res.status(206).header("Content-Range", "bytes 0-0/1").header("Content-Length", "1")
                .sendByteArray(reactor.core.publisher.Mono.just(new byte[] {1})));

        assertThatThrownBy(() -> source("/o").open().block(WAIT))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_ERROR);
                    assertThat(e.status()).isEqualTo(206);
                });
    }
}
