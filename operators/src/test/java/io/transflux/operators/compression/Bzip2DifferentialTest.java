package io.transflux.operators.compression;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.transflux.pipeline.DecompressionException;

/**
 * A seeded property test: random data in random shapes, compressed by commons-compress at random levels into
 * one or several streams, then left intact or damaged (bit flips, a cut, bytes inserted, garbage appended).
 * The own decoder, at a random parallelism and input piece size, must agree with {@code bzip2 -dc} on every
 * case: the same bytes when bzip2 succeeds, a {@link DecompressionException} when it fails. commons-compress
 * must agree with both wherever it decodes. bzip2 ignores garbage after the last stream, so the own decoder
 * runs with {@code trailing_ignore} here; without it, that garbage is covered by DecompressionFailureTest.
 */
class Bzip2DifferentialTest {

    static IntStream seeds() {
        return IntStream.range(0, 80);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void agreesWithBzip2AndCommonsCompressOnRandomAndDamagedInput(int seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 1);
        byte[] input = mutate(r, streams(r));
        byte[] reference = ReferenceTools.bzip2DcOrNull(input);
        int parallelism = 1 + r.nextInt(4);
        int piece = 1 + r.nextInt(r.nextBoolean() ? 64 : 200_000);
        byte[] own = ownOrNull(input, piece, parallelism);
        if (reference == null) {
            assertThat(own).as("bzip2 -dc failed; own decoder (%d in flight, pieces of %d) must fail too",
                    parallelism, piece).isNull();
        } else {
            assertThat(own).as("own decoder, %d in flight, pieces of %d", parallelism, piece).isEqualTo(reference);
        }
        byte[] commons = commonsOrNull(input);
        if (commons != null) {
            assertThat(commons).as("commons-compress decoded; so must bzip2").isEqualTo(reference);
        }
    }

    private static byte @Nullable [] ownOrNull(byte[] input, int piece, int parallelism) {
        try {
            return Bzip2DecoderTest.decode(input, piece, parallelism, true);
        } catch (DecompressionException e) {
            assertThat(e).hasMessageStartingWith("bzip2: ");
            return null;
        }
    }

    private static byte @Nullable [] commonsOrNull(byte[] input) {
        try {
            return Bzip2DecoderTest.commonsDecode(input);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] streams(SplittableRandom r) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int n = r.nextInt(10) == 0 ? 2 + r.nextInt(3) : 1;
        for (int i = 0; i < n; i++) {
            all.writeBytes(Bzip2DecoderTest.commonsEncode(data(r), 1 + r.nextInt(9)));
        }
        return all.toByteArray();
    }

    /** Empty, tiny or up to 400 kB; text-like, random, runs, or a mix (runs exercise the run-length stages). */
    private static byte[] data(SplittableRandom r) {
        int size = switch (r.nextInt(4)) {
            case 0 -> r.nextInt(3);
            case 1 -> r.nextInt(200);
            default -> r.nextInt(400_000);
        };
        byte[] d = new byte[size];
        int i = 0;
        while (i < size) {
            int len = Math.min(size - i, 1 + r.nextInt(3000));
            int kind = r.nextInt(4);
            int alphabet = 1 + r.nextInt(256);
            for (int k = 0; k < len; k++) {
                d[i + k] = switch (kind) {
                    case 0 -> (byte) r.nextInt(256);
                    case 1 -> (byte) ('a' + r.nextInt(Math.min(26, alphabet)));
                    case 2 -> (byte) alphabet;
                    default -> (byte) (k / (1 + r.nextInt(300)));
                };
            }
            i += len;
        }
        return d;
    }

    private static byte[] mutate(SplittableRandom r, byte[] bz) {
        byte[] out = bz.clone();
        switch (r.nextInt(6)) {
            case 0, 1 -> {
                return out; // intact
            }
            case 2 -> {
                int flips = 1 + r.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    int at = r.nextInt(out.length);
                    out[at] ^= (byte) (1 << r.nextInt(8));
                }
                return out;
            }
            case 3 -> {
                return java.util.Arrays.copyOf(out, 1 + r.nextInt(out.length));
            }
            case 4 -> {
                int at = r.nextInt(out.length);
                byte[] extra = new byte[1 + r.nextInt(8)];
                r.nextBytes(extra);
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.write(out, 0, at);
                b.writeBytes(extra);
                b.write(out, at, out.length - at);
                return b.toByteArray();
            }
            default -> {
                byte[] garbage = new byte[1 + r.nextInt(100)];
                r.nextBytes(garbage);
                return ReferenceTools.concat(out, garbage);
            }
        }
    }
}
