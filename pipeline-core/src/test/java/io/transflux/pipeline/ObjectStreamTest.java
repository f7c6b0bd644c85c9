package io.transflux.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class ObjectStreamTest {

    private static final RangeReader READER = new RangeReader() {
        @Override
        public long size() {
            return 3;
        }

        @Override
        public Flux<ByteBuffer> read(long start, long endExclusive) {
            return Flux.just(ByteBuffer.wrap(new byte[(int) (endExclusive - start)]));
        }
    };

    private final ObjectStream withReader = ObjectStream.of(Flux.just(ByteBuffer.wrap(new byte[3])))
            .withRangeReader(READER);

    @Test
    void hasNoRangeReaderUnlessOneIsAttached() {
        assertThat(ObjectStream.of(Flux.empty()).rangeReader()).isEmpty();
        assertThat(withReader.rangeReader()).containsSame(READER);
    }

    @Test
    void changingTheContentDropsTheRangeReader() {
        assertThat(withReader.mapContent(c -> c.map(ByteBuffer::duplicate)).rangeReader()).isEmpty();
        assertThat(withReader.withContent(Flux.empty()).rangeReader()).isEmpty();
    }

    @Test
    void changingOnlyTheMetadataKeepsTheRangeReader() {
        assertThat(withReader.withMetadata(ObjectMetadata.builder().contentType("text/plain").build()).rangeReader())
                .containsSame(READER);
        assertThat(withReader.mapMetadata(b -> b.contentType("text/plain")).rangeReader()).containsSame(READER);
    }
}
