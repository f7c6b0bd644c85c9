package io.transflux.operators.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Random;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.transflux.pipeline.DecompressionException;

/** The own bzip2 decoder driven directly, sequential and block-parallel, against commons-compress. */
class Bzip2DecoderTest {

    /** Feeds {@code input} in pieces of {@code piece} bytes and collects every output buffer. */
    static byte[] decode(byte[] input, int piece, int parallelism, boolean trailingIgnore) {
        Bzip2Decoder d = new Bzip2Decoder(64 << 10, trailingIgnore, parallelism);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            int off = 0;
            while (off < input.length) {
                int n = Math.min(piece, input.length - off);
                ByteBuffer in = ByteBuffer.wrap(input, off, n);
                drain(d, in, false, out);
                assertThat(in.hasRemaining()).as("decoder consumed its input").isFalse();
                off += n;
            }
            drain(d, ByteBuffer.allocate(0), true, out);
        } finally {
            d.close();
        }
        return out.toByteArray();
    }

    private static void drain(Bzip2Decoder d, ByteBuffer in, boolean eof, ByteArrayOutputStream out) {
        for (ByteBuffer b = d.decode(in, eof); b != null; b = d.decode(in, eof)) {
            assertThat(b.remaining()).isPositive().isLessThanOrEqualTo(64 << 10);
            byte[] a = new byte[b.remaining()];
            b.get(a);
            out.writeBytes(a);
        }
    }

    static byte[] commonsDecode(byte[] input) throws IOException {
        try (BZip2CompressorInputStream in = new BZip2CompressorInputStream(new ByteArrayInputStream(input), true)) {
            return in.readAllBytes();
        }
    }

    static byte[] commonsEncode(byte[] data, int level) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream out = new BZip2CompressorOutputStream(bytes, level)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @ParameterizedTest(name = "{0} in pieces of {1}, {2} in flight")
    @CsvSource({"bzip2.bz2,7,1", "bzip2.bz2,65536,4", "lbzip2.bz2,1000,2", "multiStream.bz2,4096,1",
            "multiStream.bz2,4096,3", "multiStream.bz2,1000000,2", "concatenated.bz2,13,2", "multiBlock.bz2,100,3", "lbzip2MultiBlock.bz2,7,2",
            "lbzip2MultiBlock.bz2,100000,1"})
    void decodesToolFixturesSequentiallyAndInParallel(String file, int piece, int parallelism) throws IOException {
        byte[] bz = GoldenFixture.load("bzip2", file);
        byte[] out = decode(bz, piece, parallelism, false);
        assertThat(GoldenFixture.sha256(out)).isEqualTo(new GoldenFixture("bzip2", file, "decompress/bzip2").expectedSha256());
        assertThat(out).isEqualTo(commonsDecode(bz));
    }

    @Test
    void decodesManyBlocksOfMixedDataLikeCommonsCompress() throws IOException {
        Random r = new Random(17);
        byte[] data = new byte[3_000_000];
        for (int i = 0; i < data.length; ) {
            int kind = r.nextInt(4);
            int n = Math.min(data.length - i, 1 + r.nextInt(5000));
            for (int k = 0; k < n; k++) {
                data[i + k] = switch (kind) {
                    case 0 -> (byte) r.nextInt(256);
                    case 1 -> (byte) 'x';
                    case 2 -> (byte) ('a' + r.nextInt(4));
                    default -> (byte) (k % 7);
                };
            }
            i += n;
        }
        for (int level : new int[] {1, 9}) {
            byte[] bz = commonsEncode(data, level);
            for (int p : new int[] {1, 2, 4}) {
                assertThat(decode(bz, 50_000, p, false)).as("level %d, %d in flight", level, p).isEqualTo(data);
            }
        }
    }

    @Test
    void expandsLongRunsPastTheInMemoryCap() {
        byte[] zeros = new byte[40 << 20];
        byte[] bz = commonsEncode(zeros, 9);
        assertThat(decode(bz, 1 << 20, 2, false)).isEqualTo(zeros);
    }

    @Test
    void checksTheCrcOfABlockWhoseRunsAreExpandedWhileEmitting() {
        byte[] bz = commonsEncode(new byte[40 << 20], 9);
        byte[] bad = bz.clone();
        bad[4 + 6 + 3] ^= 0x01; // the first block's stored CRC, after "BZh9" and the 6-byte magic
        assertThatThrownBy(() -> decode(bad, 1 << 20, 2, false))
                .isInstanceOf(DecompressionException.class)
                .hasMessageContaining("block CRC of block 1 of stream 1");
    }

    @Test
    void rejectsAFlippedBitWithTheBlockCrc() {
        byte[] data = "the quick brown fox jumps over the lazy dog\n".repeat(2000).getBytes();
        byte[] bz = commonsEncode(data, 9);
        byte[] bad = bz.clone();
        bad[bad.length / 2] ^= 0x10;
        assertThatThrownBy(() -> decode(bad, 1000, 2, false))
                .isInstanceOf(DecompressionException.class)
                .hasMessageStartingWith("bzip2: ");
    }

    @Test
    void aBlockMagicInsideBlockDataIsSkippedAtEveryPieceSizeAndParallelism() throws Exception {
        byte[] bz = Bzip2HandMadeStream.stream(true);
        assertThat(magicOffsets(bz)).as("two real block starts and one by chance").hasSize(3);
        assertThat(magicOffsets(Bzip2HandMadeStream.stream(false))).hasSize(2);
        byte[] expected = ReferenceTools.bzip2Dc(bz);
        assertThat(expected).isNotEmpty().isEqualTo(commonsDecode(bz));
        byte[] twice = concat(bz, bz);
        for (int p : new int[] {1, 2, 4}) {
            for (int piece : new int[] {1, 5, 13, 64, 1 << 20}) {
                assertThat(decode(bz, piece, p, false)).as("pieces of %d, %d in flight", piece, p).isEqualTo(expected);
                assertThat(decode(twice, piece, p, false)).isEqualTo(concat(expected, expected));
            }
        }
    }

    /** Bit offsets of every block magic in {@code b}, at any bit alignment. */
    static java.util.List<Long> magicOffsets(byte[] b) {
        java.util.List<Long> at = new java.util.ArrayList<>();
        long w = 0;
        for (long bit = 0; bit < (long) b.length * 8; bit++) {
            w = ((w << 1) | ((b[(int) (bit >>> 3)] >>> (7 - (bit & 7))) & 1)) & ((1L << 48) - 1);
            if (bit >= 47 && w == Bzip2BlockDecoder.BLOCK_MAGIC) {
                at.add(bit - 47);
            }
        }
        return at;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
