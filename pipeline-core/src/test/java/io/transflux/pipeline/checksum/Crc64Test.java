package io.transflux.pipeline.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.zip.Checksum;

import com.aliyun.oss.common.utils.CRC64;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;

/**
 * {@link Crc64} against the published check values and against two independent implementations: aliyun-sdk-oss
 * {@code CRC64} (CRC-64/XZ, OSS) and the AWS SDK's CRC64NVME ({@code awssdk:checksums} over the CRT).
 */
class Crc64Test {

    private static final byte[] CHECK_INPUT = "123456789".getBytes(StandardCharsets.US_ASCII);
    /** Every length up to this is cross-checked: hundreds of 16-byte steps plus every 8-byte and byte tail. */
    private static final int MAX_EXHAUSTIVE_LENGTH = 10_000;

    @Test
    void nvmeMatchesPublishedCheckValue() {
        Crc64 crc = Crc64.nvme();
        crc.update(CHECK_INPUT, 0, CHECK_INPUT.length);
        assertThat(crc.getValue()).isEqualTo(0xAE8B14860A799888L);
    }

    @Test
    void xzMatchesPublishedCheckValue() {
        Crc64 crc = Crc64.xz();
        crc.update(CHECK_INPUT, 0, CHECK_INPUT.length);
        assertThat(crc.getValue()).isEqualTo(0x995DC9BBDF1939FAL);
    }

    @Test
    void emptyInputIsZeroForBothPolynomials() {
        assertThat(Crc64.nvme().getValue()).isZero();
        assertThat(Crc64.xz().getValue()).isZero();
    }

    @Test
    void singleByteUpdatesMatchBulkUpdate() {
        Crc64 bytewise = Crc64.nvme();
        for (byte b : CHECK_INPUT) {
            bytewise.update(b);
        }
        assertThat(bytewise.getValue()).isEqualTo(0xAE8B14860A799888L);
    }

    @Test
    void resetStartsOver() {
        Crc64 crc = Crc64.xz();
        crc.update(new byte[] {1, 2, 3}, 0, 3);
        crc.reset();
        crc.update(CHECK_INPUT, 0, CHECK_INPUT.length);
        assertThat(crc.getValue()).isEqualTo(0x995DC9BBDF1939FAL);
    }

    @Test
    void xzMatchesAliyunForEveryLengthUpToTenThousandAtOddOffsets() {
        byte[] data = random(MAX_EXHAUSTIVE_LENGTH + 16, 1);
        for (int len = 0; len <= MAX_EXHAUSTIVE_LENGTH; len++) {
            int off = len % 7; // 0..6: aligned and unaligned starts
            long expected = aliyun(data, off, len);
            Crc64 ours = Crc64.xz();
            ours.update(data, off, len);
            assertThat(ours.getValue()).as("length %d offset %d", len, off).isEqualTo(expected);
        }
    }

    @Test
    void nvmeMatchesAwsSdkForEveryLengthUpToTenThousandAtOddOffsets() {
        byte[] data = random(MAX_EXHAUSTIVE_LENGTH + 16, 2);
        for (int len = 0; len <= MAX_EXHAUSTIVE_LENGTH; len++) {
            int off = (len * 3) % 11;
            long expected = aws(data, off, len);
            Crc64 ours = Crc64.nvme();
            ours.update(data, off, len);
            assertThat(ours.getValue()).as("length %d offset %d", len, off).isEqualTo(expected);
        }
    }

    @Test
    void matchesReferencesOnMebibytesInHeapDirectAndReadOnlyBuffers() {
        int len = 3 * 1024 * 1024 + 13;
        byte[] data = random(len + 5, 3);
        long xzExpected = aliyun(data, 5, len);
        long nvmeExpected = aws(data, 5, len);
        for (ByteBuffer buf : views(data, 5, len)) {
            assertThat(ofBuffer(Crc64::xz, buf)).as("xz over %s", buf).isEqualTo(xzExpected);
            assertThat(ofBuffer(Crc64::nvme, buf)).as("nvme over %s", buf).isEqualTo(nvmeExpected);
        }
    }

    @Test
    void matchesReferencesForManyLengthsInDirectBuffers() {
        byte[] data = random(70_000, 4);
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 300; i++) {
            int off = r.nextInt(64);
            int len = r.nextInt(data.length - off);
            ByteBuffer direct = ByteBuffer.allocateDirect(len + off);
            direct.put(data, 0, len + off).position(off);
            assertThat(ofBuffer(Crc64::xz, direct)).as("xz length %d", len).isEqualTo(aliyun(data, off, len));
            assertThat(ofBuffer(Crc64::nvme, direct)).as("nvme length %d", len).isEqualTo(aws(data, off, len));
        }
    }

    @Test
    void updateByteBufferLeavesPositionAndLimitUntouched() {
        byte[] data = random(20_000, 6);
        for (ByteBuffer buf : views(data, 3, 19_000)) {
            int pos = buf.position();
            int limit = buf.limit();
            Crc64.nvme().update(buf);
            assertThat(buf.position()).isEqualTo(pos);
            assertThat(buf.limit()).isEqualTo(limit);
        }
    }

    @Test
    void resultDoesNotDependOnHowUpdatesAreSplit() {
        byte[] data = random(50_000, 7);
        long whole = aliyun(data, 0, data.length);
        SplittableRandom r = new SplittableRandom(8);
        Crc64 crc = Crc64.xz();
        int p = 0;
        while (p < data.length) {
            int n = Math.min(data.length - p, r.nextInt(3000));
            if (r.nextBoolean()) {
                crc.update(data, p, n);
            } else {
                ByteBuffer d = ByteBuffer.allocateDirect(n).put(data, p, n).flip();
                crc.update(d);
            }
            p += n;
        }
        assertThat(crc.getValue()).isEqualTo(whole);
    }

    @Test
    void combineMatchesAliyunAndTheConcatenatedCrc() {
        byte[] data = random(40_000, 9);
        SplittableRandom r = new SplittableRandom(10);
        for (int i = 0; i < 200; i++) {
            int split = r.nextInt(data.length + 1);
            int lenB = data.length - split;
            long a = aliyun(data, 0, split);
            long b = aliyun(data, split, lenB);
            assertThat(Crc64.xz().combine(a, b, lenB)).isEqualTo(CRC64.combine(a, b, lenB))
                    .isEqualTo(aliyun(data, 0, data.length));
            long na = aws(data, 0, split);
            long nb = aws(data, split, lenB);
            assertThat(Crc64.nvme().combine(na, nb, lenB)).isEqualTo(aws(data, 0, data.length));
        }
    }

    @Test
    void combineHandlesHugeLengthsLikeAliyun() {
        long a = 0x0123456789ABCDEFL;
        long b = 0xFEDCBA9876543210L;
        for (long lenB : new long[] {1L << 40, Long.MAX_VALUE, (1L << 62) + 12345}) {
            assertThat(Crc64.xz().combine(a, b, lenB)).as("lenB %d", lenB).isEqualTo(CRC64.combine(a, b, lenB));
        }
    }

    @Test
    void combineRejectsNegativeLength() {
        assertThatThrownBy(() -> Crc64.xz().combine(1, 2, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lenB: actual -1, expected >= 0");
    }

    @Test
    void rejectsOutOfRangeArraySlices() {
        assertThatThrownBy(() -> Crc64.xz().update(new byte[4], 2, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static long ofBuffer(Supplier<Crc64> factory, ByteBuffer buf) {
        Checksum crc = factory.get();
        crc.update(buf);
        return crc.getValue();
    }

    /** Heap, heap slice at an odd array offset, read-only heap (no array access) and direct views. */
    static ByteBuffer[] views(byte[] data, int off, int len) {
        ByteBuffer heap = ByteBuffer.wrap(data, off, len);
        ByteBuffer slice = ByteBuffer.wrap(data).position(off).slice().limit(len);
        ByteBuffer readOnly = ByteBuffer.wrap(data, off, len).asReadOnlyBuffer();
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
        direct.put(data).clear().position(off).limit(off + len);
        return new ByteBuffer[] {heap, slice, readOnly, direct};
    }

    static byte[] random(int len, long seed) {
        byte[] b = new byte[len];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < len; i++) {
            b[i] = (byte) r.nextInt();
        }
        return b;
    }

    static long aliyun(byte[] data, int off, int len) {
        CRC64 crc = new CRC64();
        crc.update(data, off, len);
        return crc.getValue();
    }

    static long aws(byte[] data, int off, int len) {
        SdkChecksum crc = SdkChecksum.forAlgorithm(DefaultChecksumAlgorithm.CRC64NVME);
        crc.update(data, off, len);
        return crc.getValue();
    }
}
