package io.transflux.operators.compression;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chained inverse-BWT walk against the plain one-chain walk it replaces: same bytes for every block
 * length, including lengths where the chains' start rows coincide, and a refusal (so the caller falls back)
 * when a crafted last column splits the rows into several cycles.
 */
class Bzip2WalkTest {

    /** tt for rows linked in the order {@code order} (one cycle), with a byte per row. */
    private static void link(int[] tt, int[] order, Random random) {
        int n = order.length;
        for (int i = 0; i < n; i++) {
            tt[order[i]] = (order[(i + 1) % n] << 8) | random.nextInt(256);
        }
    }

    private static int[] shuffled(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static byte[] oneChain(int[] tt, int n, int first) {
        byte[] out = new byte[n];
        int t = first;
        for (int i = 0; i < n; i++) {
            out[i] = (byte) tt[t];
            t = tt[t] >>> 8;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 64, 65, 1000, 99_991, Bzip2BlockDecoder.MAX_BLOCK})
    void aSingleCycleIsWalkedToTheSameBytesAsOneChain(int n) {
        Random random = new Random(n);
        Bzip2BlockDecoder.Scratch s = new Bzip2BlockDecoder.Scratch();
        for (int round = 0; round < 3; round++) {
            int[] order = shuffled(n, random);
            link(s.tt, order, random);
            int first = order[random.nextInt(n)];
            byte[] expected = oneChain(s.tt, n, first);

            assertThat(Bzip2BlockDecoder.walkChains(s, n, first)).isTrue();
            assertThat(Arrays.copyOf(s.raw, n)).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8, 1000, 99_991})
    void rowsSplitIntoSeveralCyclesAreRefusedSoTheCallerFallsBack(int n) {
        Random random = new Random(n);
        Bzip2BlockDecoder.Scratch s = new Bzip2BlockDecoder.Scratch();
        int[] order = shuffled(n, random);
        int split = n / 2 + (n > 4 ? random.nextInt(n / 4) : 0);
        link(s.tt, Arrays.copyOfRange(order, 0, split), random);
        link(s.tt, Arrays.copyOfRange(order, split, n), random);

        assertThat(Bzip2BlockDecoder.walkChains(s, n, order[0])).isFalse();
        assertThat(Bzip2BlockDecoder.walkChains(s, n, order[n - 1])).isFalse();
    }
}
