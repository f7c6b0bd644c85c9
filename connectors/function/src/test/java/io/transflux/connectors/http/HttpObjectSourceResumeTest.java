package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.SourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Resuming a broken body with Range + If-Match, and every way a resume must refuse to splice. */
class HttpObjectSourceResumeTest extends OriginTestBase {

    private static final int SIZE = 1024 * 1024 + 3;
    private static final int CUT = 300_000;
    private final byte[] body = random(SIZE, 42);

    @Test
    void resumesAfterAFinMidBodyWithRangeAndIfMatch() {
        origin.then(FaultOrigin.cut(body, ETAG, CUT, false), FaultOrigin.object(body, ETAG));

        assertThat(sha256(readAll(open()))).isEqualTo(sha256(body));

        assertThat(origin.requests()).hasSize(2);
        FaultOrigin.Recorded resume = origin.requests().get(1);
        assertThat(resume.header(HttpHeaderNames.RANGE)).isEqualTo("bytes=" + CUT + "-");
        assertThat(resume.header(HttpHeaderNames.IF_MATCH)).isEqualTo(ETAG);
        assertThat(origin.requests().get(0).header(HttpHeaderNames.RANGE)).isNull();
    }

    @Test
    void resumesAfterAResetMidBody() {
        origin.then(FaultOrigin.cut(body, ETAG, CUT, true), FaultOrigin.object(body, ETAG));

        assertThat(sha256(readAll(open()))).isEqualTo(sha256(body));

        // A reset may drop bytes still in the client's socket buffer: whatever N was, it must match.
        String range = origin.requests().get(1).header(HttpHeaderNames.RANGE);
        assertThat(range).matches("bytes=\\d+-");
        assertThat(Long.parseLong(range.substring(6, range.length() - 1))).isBetween(0L, (long) CUT);
    }

    @Test
    void resumesSeveralTimesWithinTheBudget() {
        origin.then(FaultOrigin.cut(body, ETAG, 100_000, false), FaultOrigin.cut(body, ETAG, 100_000, true),
                FaultOrigin.cut(body, ETAG, 100_000, false), FaultOrigin.object(body, ETAG));

        assertThat(readAll(open())).isEqualTo(body);
        assertThat(origin.requests()).hasSize(4);
        assertThat(origin.requests().get(3).header(HttpHeaderNames.IF_MATCH)).isEqualTo(ETAG);
    }

    @Test
    void retriesA503AnsweringTheResume() {
        origin.then(FaultOrigin.cut(body, ETAG, CUT, false), FaultOrigin.status(503, "<Error><Code>SlowDown</Code></Error>"),
                FaultOrigin.object(body, ETAG));

        assertThat(readAll(open())).isEqualTo(body);
        assertThat(origin.requests()).hasSize(3);
        assertThat(origin.requests().get(2).header(HttpHeaderNames.RANGE)).isEqualTo("bytes=" + CUT + "-");
    }

    @Test
    void failsAsChangedWhenTheResumeIsAnsweredWith200() {
        origin.then(FaultOrigin.cut(body, ETAG, CUT, false), FaultOrigin.ignoringRange(body, ETAG));

        expectPrefixThenError(open(), e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_CHANGED);
            assertThat(e.status()).isEqualTo(200);
            assertThat(e).hasMessageContaining("Range ignored");
        });
        assertThat(origin.requests()).hasSize(2);
    }

    @Test
    void failsAsChangedWhenTheEtagChangesBetweenAttempts() {
        origin.then(FaultOrigin.cut(body, ETAG, CUT, false), FaultOrigin.object(body, "\"another-version\""));

        expectPrefixThenError(open(), e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_CHANGED);
            assertThat(e).hasMessageContaining("ETag changed");
        });
    }

    @Test
    void failsAsChangedWhenTheResumeGets412() {
        origin.then(FaultOrigin.cut(body, ETAG, CUT, false),
                FaultOrigin.status(412, "<Error><Code>PreconditionFailed</Code></Error>"));

        expectPrefixThenError(open(), e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_CHANGED);
            assertThat(e.status()).isEqualTo(412);
            assertThat(e.sourceErrorCode()).isEqualTo("PreconditionFailed");
        });
    }

    @Test
    void failsAsChangedWhenContentRangeStartsElsewhere() {
        origin.then(FaultOrigin.cut(body, ETAG, CUT, false), (req, res) -> res.status(206)
                .header("ETag", ETAG)
                .header("Content-Range", "bytes 0-" + (SIZE - 1) + "/" + SIZE)
                .header("Content-Length", Integer.toString(SIZE))
                .sendByteArray(Mono.just(body)));

        expectPrefixThenError(open(), e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_CHANGED);
            assertThat(e).hasMessageContaining("starts at 0, expected " + CUT);
        });
    }

    @Test
    void failsAsExpiredWithoutRetryingWhenTheResumeGets403() {
        origin.then(FaultOrigin.cut(body, ETAG, CUT, false), FaultOrigin.status(403, "<Error><Code>AccessDenied</Code></Error>"))
                .otherwise(FaultOrigin.object(body, ETAG));

        expectPrefixThenError(open(), e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_URL_EXPIRED);
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.sourceErrorCode()).isEqualTo("AccessDenied");
        });
        assertThat(origin.requests()).hasSize(2);
    }

    @Test
    void givesUpWhenTheResumeBudgetIsSpentAndNeverCompletes() {
        origin.otherwise(FaultOrigin.cut(body, ETAG, 10_000, false));

        long delivered = expectPrefixThenError(open(spec(b -> b.maxResumes(3))), e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNAVAILABLE);
            assertThat(e).hasMessageContaining("gave up after 3 of 3 retries");
        });
        assertThat(origin.requests()).hasSize(4);
        assertThat(delivered).isEqualTo(40_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "W/\"weak\""})
    void doesNotResumeWithoutAStrongEtag(String etag) {
        origin.then(FaultOrigin.cut(body, etag.isEmpty() ? null : etag, CUT, false)).otherwise(FaultOrigin.object(body, ETAG));

        expectPrefixThenError(open(), e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNAVAILABLE);
            assertThat(e).hasMessageContaining("no strong ETag");
        });
        assertThat(origin.requests()).hasSize(1);
    }

    @Test
    void failsMidStreamWhenResumingIsDisabled() {
        origin.then(FaultOrigin.cut(body, ETAG, CUT, false));

        long delivered = expectPrefixThenError(open(spec(b -> b.maxResumes(0))),
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_UNAVAILABLE));
        assertThat(delivered).isEqualTo(CUT);
    }

    private ObjectStream open() {
        return open(spec(b -> b));
    }

    private ObjectStream open(HttpSourceSpec spec) {
        return source("/bucket/key", spec).open().block(WAIT);
    }

    /**
     * Reads until the error, checks that every delivered byte is the object's own at its offset (no
     * splicing, no duplicates) and that no completion came instead; returns the byte count.
     */
    private long expectPrefixThenError(ObjectStream stream, Consumer<SourceException> check) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        StepVerifier.create(stream.content().doOnNext(b -> append(got, b)))
                .thenConsumeWhile(b -> true)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SourceException.class, check))
                .verify(WAIT);
        byte[] prefix = got.toByteArray();
        assertThat(prefix.length).isLessThan(body.length);
        assertThat(prefix).isEqualTo(Arrays.copyOf(body, prefix.length));
        return prefix.length;
    }

    private static void append(ByteArrayOutputStream out, ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] chunk = new byte[d.remaining()];
        d.get(chunk);
        out.write(chunk, 0, chunk.length);
    }
}
