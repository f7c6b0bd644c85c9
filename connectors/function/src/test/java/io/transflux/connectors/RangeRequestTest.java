package io.transflux.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.OptionalLong;

import io.transflux.pipeline.ByteStreams;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/** Range and partNumber parsing and resolution (docs/protocols.md §4.3), and the streaming slicer. */
class RangeRequestTest {

    static RangeRequest.Slice resolve(String range, long total) {
        return RangeRequest.parse(range, null, 10).resolve(total);
    }

    @Test
    void closedRangeIsClampedToTheEnd() {
        assertThat(resolve("bytes=10-19", 100)).isEqualTo(new RangeRequest.Slice(10, 10));
        assertThat(resolve("bytes=90-1000", 100)).isEqualTo(new RangeRequest.Slice(90, 10));
        assertThat(resolve("BYTES=0-0", 100)).isEqualTo(new RangeRequest.Slice(0, 1));
    }

    @Test
    void suffixRangeTakesTheLastBytesOrTheWholeObject() {
        assertThat(resolve("bytes=-10", 100)).isEqualTo(new RangeRequest.Slice(90, 10));
        assertThat(resolve("bytes=-500", 100)).isEqualTo(new RangeRequest.Slice(0, 100));
        assertThat(RangeRequest.parse("bytes=-10", null, 1).needsTotal()).isTrue();
    }

    @Test
    void openRangeRunsToTheEnd() {
        assertThat(resolve("bytes=95-", 100)).isEqualTo(new RangeRequest.Slice(95, 5));
    }

    @Test
    void offsetsBeyondTwoGibibytesStayLong() {
        long total = 5L << 30;
        assertThat(resolve("bytes=4294967296-4294967305", total)).isEqualTo(new RangeRequest.Slice(1L << 32, 10));
        assertThat(RangeRequest.contentRange(1L << 32, 10, OptionalLong.of(total)))
                .isEqualTo("bytes 4294967296-4294967305/5368709120");
    }

    @Test
    void rangeStartingAtOrPastTheEndIsUnsatisfiable() {
        for (String r : new String[] {"bytes=100-", "bytes=100-200", "bytes=-0"}) {
            assertThatThrownBy(() -> resolve(r, 100)).isInstanceOf(RangeRequest.RangeNotSatisfiable.class)
                    .satisfies(e -> {
                        assertThat(((ConnectorException) e).status()).isEqualTo(416);
                        assertThat(((ConnectorException) e).errorCode()).isEqualTo("InvalidRange");
                    });
        }
        assertThatThrownBy(() -> resolve("bytes=0-0", 0)).isInstanceOf(RangeRequest.RangeNotSatisfiable.class);
    }

    @Test
    void malformedOrMultipleRangesAreInvalidRequests() {
        for (String r : new String[] {"bytes=1-2,5-6", "items=0-1", "bytes=5-1", "bytes=a-b", "bytes=-", "bytes=1-2-3",
                "bytes=99999999999999999999-"}) {
            assertThatThrownBy(() -> RangeRequest.parse(r, null, 10)).as(r).isInstanceOf(ConnectorException.class)
                    .satisfies(e -> assertThat(((ConnectorException) e).status()).isEqualTo(400));
        }
    }

    @Test
    void rangeTogetherWithPartNumberIsRefused() {
        assertThatThrownBy(() -> RangeRequest.parse("bytes=0-1", "1", 10)).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("both");
    }

    @Test
    void partNumberSlicesByThePartSize() {
        RangeRequest p = RangeRequest.parse(null, "3", 10);
        assertThat(p.resolve(25)).isEqualTo(new RangeRequest.Slice(20, 5));
        assertThat(p.partsCount(25)).isEqualTo(3);
        assertThatThrownBy(() -> RangeRequest.parse(null, "4", 10).resolve(25)).hasMessageContaining("not satisfiable");
        assertThatThrownBy(() -> RangeRequest.parse(null, "0", 10)).isInstanceOf(ConnectorException.class);
        assertThatThrownBy(() -> RangeRequest.parse(null, "10001", 10)).isInstanceOf(ConnectorException.class);
    }

    @Test
    void slicerSkipsAndTakesAcrossBufferEdgesWithoutCopying() {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        byte[] out = ByteStreams.toBytes(ByteSlicer.slice(ByteStreams.fromBytes(data, 64), 100, 300))
                .block(Duration.ofSeconds(10));
        assertThat(out).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 400));
    }

    @Test
    void slicerCancelsTheUpstreamOnceTheSliceIsComplete() {
        TestPublisher<ByteBuffer> up = TestPublisher.create();
        StepVerifier.create(ByteSlicer.slice(up.flux(), 2, 3))
                .then(() -> up.next(ByteBuffer.wrap(new byte[] {0, 1, 2})))
                .assertNext(b -> assertThat(b.remaining()).isEqualTo(1))
                .then(() -> up.next(ByteBuffer.wrap(new byte[] {3, 4, 5})))
                .assertNext(b -> assertThat(b.remaining()).isEqualTo(2))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        up.assertCancelled();
    }

    @Test
    void slicerHonoursDemand() {
        Flux<ByteBuffer> src = Flux.range(0, 100).map(i -> ByteBuffer.wrap(new byte[10]));
        StepVerifier.create(ByteSlicer.slice(src, 55, 30), 0)
                .thenRequest(1).assertNext(b -> assertThat(b.remaining()).isEqualTo(5))
                .thenRequest(2).expectNextCount(2)
                .thenRequest(10).expectNextCount(1)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }
}
