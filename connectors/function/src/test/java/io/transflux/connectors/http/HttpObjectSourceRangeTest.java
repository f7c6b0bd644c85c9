package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.RangeReader;
import io.transflux.pipeline.SourceException;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The {@link RangeReader} an HTTP object carries: closed ranges of the same version, or a typed failure. */
class HttpObjectSourceRangeTest extends OriginTestBase {

    private static final int SIZE = 1024 * 1024 + 7;
    private final byte[] body = random(SIZE, 7);

    @Test
    void readsClosedRangesOfTheSameVersionWithIfMatch() {
        origin.otherwise(FaultOrigin.ranges(body, ETAG));
        ObjectStream s = source("/o.zip").open().block(WAIT);
        RangeReader r = s.rangeReader().orElseThrow();
        // the range path never reads the sequential content: cancel it, as decompress/zip does
        s.content().subscribe().dispose();

        assertThat(r.size()).isEqualTo(SIZE);
        assertThat(collect(r.read(SIZE - 65_557, SIZE))).isEqualTo(Arrays.copyOfRange(body, SIZE - 65_557, SIZE));
        assertThat(collect(r.read(1000, 1030))).isEqualTo(Arrays.copyOfRange(body, 1000, 1030));

        assertThat(origin.requests()).hasSize(3);
        assertThat(origin.requests().get(0).header(HttpHeaderNames.RANGE)).isNull();
        FaultOrigin.Recorded tail = origin.requests().get(1);
        assertThat(tail.header(HttpHeaderNames.RANGE)).isEqualTo("bytes=" + (SIZE - 65_557) + "-" + (SIZE - 1));
        assertThat(tail.header(HttpHeaderNames.IF_MATCH)).isEqualTo(ETAG);
        assertThat(origin.requests().get(2).header(HttpHeaderNames.RANGE)).isEqualTo("bytes=1000-1029");
    }

    @Test
    void failsAsChangedWhenTheEtagChangesBetweenRangedReads() {
        origin.then(FaultOrigin.ranges(body, ETAG), FaultOrigin.ranges(body, ETAG))
                .otherwise(FaultOrigin.ranges(body, "\"another-version\""));
        ObjectStream s = source("/o.zip").open().block(WAIT);
        s.content().subscribe().dispose();
        RangeReader r = s.rangeReader().orElseThrow();

        assertThat(collect(r.read(0, 100))).isEqualTo(Arrays.copyOf(body, 100));
        StepVerifier.create(r.read(100, 200))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SourceException.class, x -> {
                    assertThat(x.code()).isEqualTo(ErrorCode.SOURCE_CHANGED);
                    assertThat(x.getMessage()).contains("status 412");
                }))
                .verify(WAIT);
    }

    @Test
    void failsAsChangedWhenTheServerIgnoresTheRange() {
        origin.then(FaultOrigin.ranges(body, ETAG)).otherwise(FaultOrigin.ignoringRange(body, ETAG));
        ObjectStream s = source("/o.zip").open().block(WAIT);
        s.content().subscribe().dispose();

        StepVerifier.create(s.rangeReader().orElseThrow().read(10, 20))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SourceException.class, x -> {
                    assertThat(x.code()).isEqualTo(ErrorCode.SOURCE_CHANGED);
                    assertThat(x.getMessage()).contains("status 200 to a Range request");
                }))
                .verify(WAIT);
    }

    @Test
    void offersNoRangeReaderWithoutAStrongEtag() {
        origin.otherwise(FaultOrigin.object(body, "W/\"weak\""));
        ObjectStream s = source("/o.zip").open().block(WAIT);
        s.content().subscribe().dispose();

        assertThat(s.rangeReader()).isEmpty();
    }
}
