package io.transflux.pipeline.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the {@link Crc64} kernel itself: for random lengths, start offsets inside a larger array and split
 * points, updates in chunks (array slices, direct buffers, single bytes, empty chunks) give the one-shot value, and
 * the one-shot value equals the independent reference (AWS SDK CRT for NVME, aliyun-sdk-oss for XZ).
 */
class Crc64PropertyTest {

    /** How a chunk is fed: as an array slice, through a direct buffer (scratch copy path), or byte by byte. */
    enum Feed { ARRAY, DIRECT, BYTES }

    record Case(byte[] data, int offset, int length, List<Integer> cuts, List<Feed> feeds) {
        @Override
        public String toString() {
            return "Case[data.length=" + data.length + ", offset=" + offset + ", length=" + length + ", cuts=" + cuts
                    + ", feeds=" + feeds + "]";
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        // Lengths up to 5000 cover many 16-byte steps plus every 8-byte and byte tail; offsets move the alignment.
        Arbitrary<Integer> lengths = Arbitraries.oneOf(Arbitraries.integers().between(0, 64),
                Arbitraries.integers().between(0, 5000));
        return Combinators.combine(lengths, Arbitraries.integers().between(0, 31), Arbitraries.longs())
                .flatAs((length, offset, seed) -> Combinators.combine(
                        Arbitraries.integers().between(0, length).list().ofMaxSize(8),
                        Arbitraries.of(Feed.class).list().ofSize(9))
                        .as((cuts, feeds) -> new Case(Crc64Test.random(offset + length + 7, seed), offset, length,
                                cuts.stream().sorted().toList(), feeds)));
    }

    @Property(tries = 300)
    void nvmeChunkedUpdatesEqualOneShotAndTheAwsCrt(@ForAll("cases") Case c) {
        long oneShot = oneShot(Crc64::nvme, c);
        assertThat(oneShot).isEqualTo(Crc64Test.aws(c.data(), c.offset(), c.length()));
        assertThat(chunked(Crc64::nvme, c)).isEqualTo(oneShot);
    }

    @Property(tries = 300)
    void xzChunkedUpdatesEqualOneShotAndAliyun(@ForAll("cases") Case c) {
        long oneShot = oneShot(Crc64::xz, c);
        assertThat(oneShot).isEqualTo(Crc64Test.aliyun(c.data(), c.offset(), c.length()));
        assertThat(chunked(Crc64::xz, c)).isEqualTo(oneShot);
    }

    private static long oneShot(Supplier<Crc64> factory, Case c) {
        Crc64 crc = factory.get();
        crc.update(c.data(), c.offset(), c.length());
        return crc.getValue();
    }

    private static long chunked(Supplier<Crc64> factory, Case c) {
        Crc64 crc = factory.get();
        int from = 0;
        for (int i = 0; i <= c.cuts().size(); i++) {
            int to = i < c.cuts().size() ? c.cuts().get(i) : c.length();
            int off = c.offset() + from;
            int n = to - from;
            switch (c.feeds().get(i)) {
                case ARRAY -> crc.update(c.data(), off, n);
                case DIRECT -> {
                    ByteBuffer direct = ByteBuffer.allocateDirect(n + 3);
                    direct.position(3).put(c.data(), off, n).position(3);
                    crc.update(direct);
                }
                case BYTES -> {
                    for (int k = off; k < off + n; k++) {
                        crc.update(c.data()[k]);
                    }
                }
            }
            from = to;
        }
        return crc.getValue();
    }
}
