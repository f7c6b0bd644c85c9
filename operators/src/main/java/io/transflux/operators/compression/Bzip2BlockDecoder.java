package io.transflux.operators.compression;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * Decodes one bzip2 block from its magic to its end-of-block symbol: Huffman tables, selectors, the
 * move-to-front and zero-run stage, the inverse Burrows-Wheeler transform and the first run-length stage,
 * with the block CRC computed over the result. Pure and thread-confined: workers call it on copies of the
 * input; large work arrays come from a small shared pool.
 *
 * <pre>
 * block := magic 0x314159265359 (48) | blockCRC (32) | randomised (1) | origPtr (24)
 *          | inUse16 (16) | inUse (16 per set bit) | nGroups (3, 2..6) | nSelectors (15)
 *          | selectors (unary MTF indices) | per group: start length (5), per symbol delta codes
 *          | Huffman-coded symbols, 50 per selector, up to EOB
 * </pre>
 * Format facts from the bzip2 1.0.8 documentation and Joe Tsai's "bzip2 format specification".
 */
final class Bzip2BlockDecoder {

    static final long BLOCK_MAGIC = 0x314159265359L;
    static final long END_MAGIC = 0x177245385090L;
    static final int MAX_BLOCK = 900_000;
    static final int MAX_GROUPS = 6;
    static final int MAX_ALPHA = 258;
    static final int MAX_CODE_LENGTH = 20;
    static final int MAX_SELECTORS = 18_002;
    static final int GROUP_SIZE = 50;
    /** Output kept per block in memory; runs expanding past it are expanded again while emitting. */
    static final int OUT_CAP = 4 << 20;
    private static final int LOOKUP_BITS = 10;

    private static final ConcurrentLinkedQueue<Scratch> POOL = new ConcurrentLinkedQueue<>();
    /** Work arrays kept between decodes: one set per pool thread plus the decoding thread. */
    private static final int POOL_MAX = Runtime.getRuntime().availableProcessors() + 1;

    /** Chains the inverse BWT is cut into; four overlap most of their cache misses on a 2-core Zen host. */
    static final int WALK_CHAINS = 4;

    /** Work arrays of one decode, reused: 3.6 MB for tt, 3.6 MB for the chains' segments, 0.9 MB for raw. */
    static final class Scratch {
        final int[] tt = new int[MAX_BLOCK];
        final byte[] segments = new byte[WALK_CHAINS * MAX_BLOCK];
        final long[] starts = new long[(MAX_BLOCK >>> 6) + 1];
        final int[] chainStart = new int[WALK_CHAINS];
        final int[] chainRow = new int[WALK_CHAINS];
        final int[] chainEnd = new int[WALK_CHAINS];
        final byte[] raw = new byte[MAX_BLOCK];
        final byte[] selectors = new byte[MAX_SELECTORS];
        final int[] lookup = new int[MAX_GROUPS << LOOKUP_BITS];
        final int[] limit = new int[MAX_GROUPS * (MAX_CODE_LENGTH + 2)];
        final int[] base = new int[MAX_GROUPS * (MAX_CODE_LENGTH + 2)];
        final int[] perm = new int[MAX_GROUPS * MAX_ALPHA];
        final byte[] lengths = new byte[MAX_ALPHA];
        final int[] counts = new int[256];
    }

    private final byte[] src;
    private final long limitBits;
    private final long baseBit;
    private long pos;
    private final BooleanSupplier cancelled;

    private Bzip2BlockDecoder(byte[] src, int srcLen, long baseBit, long startBit, BooleanSupplier cancelled) {
        this.src = src;
        this.limitBits = (long) srcLen * 8;
        this.baseBit = baseBit;
        this.pos = startBit;
        this.cancelled = cancelled;
    }

    /** Thrown when the bytes given end inside the block. */
    private static final class Underflow extends RuntimeException {
        private static final Underflow INSTANCE = new Underflow();

        private Underflow() {
            super(null, null, false, false);
        }
    }

    /** Thrown for a broken rule; carries the message. */
    private static final class Corrupt extends RuntimeException {
        Corrupt(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Decodes the block whose magic starts at bit {@code startBit} of {@code src[0, srcLen)}; {@code baseBit}
     * is the absolute input bit offset of {@code src[0]}, used for {@link Bzip2Block#endBit}.
     */
    static Bzip2Block decode(byte[] src, int srcLen, long baseBit, long startBit, BooleanSupplier cancelled) {
        Scratch s = POOL.poll();
        if (s == null) {
            s = new Scratch();
        }
        try {
            return new Bzip2BlockDecoder(src, srcLen, baseBit, startBit, cancelled).run(s);
        } catch (Underflow u) {
            return Bzip2Block.underflow();
        } catch (Corrupt c) {
            return Bzip2Block.corrupt(c.getMessage());
        } finally {
            if (POOL.size() < POOL_MAX) {
                POOL.offer(s);
            }
        }
    }

    private int bits(int n) {
        if (pos + n > limitBits) {
            throw Underflow.INSTANCE;
        }
        long p = pos;
        int v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 1) | ((src[(int) (p >>> 3)] >>> (7 - (int) (p & 7))) & 1);
            p++;
        }
        pos = p;
        return v;
    }

    private Bzip2Block run(Scratch s) {
        long magic = ((long) bits(24) << 24) | bits(24);
        if (magic != BLOCK_MAGIC) {
            throw new Corrupt(String.format("bad block magic 0x%012x, expected 0x%012x", magic, BLOCK_MAGIC));
        }
        int storedCrc = bits(32);
        if (bits(1) != 0) {
            // Reject after the magic and CRC were read, so a chance magic reports a real rule.
            return Bzip2Block.randomisedBlock();
        }
        int origPtr = bits(24);
        if (origPtr > MAX_BLOCK + 10) {
            throw new Corrupt("origPtr " + origPtr + " beyond the largest block " + MAX_BLOCK);
        }

        // Symbols in use
        byte[] seqToUnseq = new byte[256];
        int nInUse = 0;
        int used16 = bits(16);
        for (int i = 0; i < 16; i++) {
            if ((used16 & (0x8000 >>> i)) != 0) {
                int used = bits(16);
                for (int j = 0; j < 16; j++) {
                    if ((used & (0x8000 >>> j)) != 0) {
                        seqToUnseq[nInUse++] = (byte) (i * 16 + j);
                    }
                }
            }
        }
        if (nInUse == 0) {
            throw new Corrupt("no symbols in use");
        }
        int alphaSize = nInUse + 2;

        int nGroups = bits(3);
        if (nGroups < 2 || nGroups > MAX_GROUPS) {
            throw new Corrupt("nGroups " + nGroups + ", expected 2..6");
        }
        int nSelectors = bits(15);
        if (nSelectors < 1) {
            throw new Corrupt("nSelectors 0, expected at least 1");
        }
        byte[] selMtf = {0, 1, 2, 3, 4, 5};
        byte[] selectors = s.selectors;
        int kept = Math.min(nSelectors, MAX_SELECTORS);
        for (int i = 0; i < nSelectors; i++) {
            int j = 0;
            while (bits(1) == 1) {
                j++;
                if (j >= nGroups) {
                    throw new Corrupt("selector MTF index " + j + " not below nGroups " + nGroups);
                }
            }
            byte v = selMtf[j];
            for (int k = j; k > 0; k--) {
                selMtf[k] = selMtf[k - 1];
            }
            selMtf[0] = v;
            if (i < kept) {
                selectors[i] = v;
            }
        }

        // Code lengths and decoding tables
        byte[] lengths = s.lengths;
        for (int g = 0; g < nGroups; g++) {
            int curr = bits(5);
            for (int i = 0; i < alphaSize; i++) {
                for (;;) {
                    if (curr < 1 || curr > MAX_CODE_LENGTH) {
                        throw new Corrupt("code length " + curr + " in table " + g + ", expected 1..20");
                    }
                    if (bits(1) == 0) {
                        break;
                    }
                    curr += bits(1) == 0 ? 1 : -1;
                }
                lengths[i] = (byte) curr;
            }
            buildTable(s, g, lengths, alphaSize);
        }

        int n = decodeSymbols(s, seqToUnseq, nInUse, alphaSize, kept);
        if (origPtr >= n) {
            throw new Corrupt("origPtr " + origPtr + " not below the block length " + n);
        }
        long endBit = baseBit + pos;

        // Inverse BWT: tt[j] low byte holds the last column L; the upper 24 bits link row j to the row of
        // the next output byte.
        int[] tt = s.tt;
        int[] counts = s.counts;
        int sum = 0;
        for (int i = 0; i < 256; i++) {
            int c = counts[i];
            counts[i] = sum;
            sum += c;
        }
        for (int i = 0; i < n; i++) {
            int j = counts[tt[i] & 0xff]++;
            tt[j] |= i << 8;
        }
        byte[] raw = s.raw;
        if (!walkChains(s, n, tt[origPtr] >>> 8)) {
            // Only a crafted last column splits the rows into several cycles; then walk forward alone,
            // repeating the short cycle as bzip2 does, so the CRC judges the same bytes.
            int t = tt[origPtr] >>> 8;
            for (int i = 0; i < n; i++) {
                int e = tt[t];
                raw[i] = (byte) e;
                t = e >>> 8;
            }
        }
        if (cancelled.getAsBoolean()) {
            throw new Corrupt("cancelled");
        }

        // First run-length stage and the CRC
        Bzip2Rle1 rle = new Bzip2Rle1(raw, n);
        byte[] out = new byte[Math.min(OUT_CAP, n + (n >>> 3) + 64)];
        int outLen = 0;
        for (;;) {
            outLen += rle.expand(out, outLen, out.length - outLen);
            if (rle.done() || out.length == OUT_CAP) {
                break;
            }
            out = Arrays.copyOf(out, Math.min(OUT_CAP, out.length * 2));
        }
        int crc = Bzip2Crc.update(-1, out, 0, outLen);
        if (!rle.done()) {
            // Runs expand past the cap: the decoding thread expands the rest while emitting and finishes the
            // CRC there, so a run-heavy block is available without a second pass over its output here.
            return Bzip2Block.pending(endBit, storedCrc, crc, n, out, outLen, rle.snapshot(Arrays.copyOf(raw, n)));
        }
        return Bzip2Block.ok(endBit, storedCrc, ~crc, n, out, outLen, null);
    }

    /**
     * Walks the rows from {@code first} into {@code s.raw}, {@code n} bytes in output order. Each step is a load
     * that depends on the one before, over a 3.6 MB array: one cache miss per byte. So the walk is cut into
     * {@link #WALK_CHAINS} chains started at evenly spaced rows and stepped in lock-step, so their misses
     * overlap; a chain stops on reaching another chain's start row, and the segments are joined by following
     * those links from {@code first}.
     *
     * @return false when the rows reached from {@code first} are not all {@code n} rows (a crafted block whose
     *     last column splits them into several cycles); {@code s.raw} is then not filled
     */
    static boolean walkChains(Scratch s, int n, int first) {
        int[] tt = s.tt;
        long[] starts = s.starts;
        int[] start = s.chainStart;
        int[] row = s.chainRow;
        int[] end = s.chainEnd;
        byte[] seg = s.segments;
        Arrays.fill(starts, 0, (n >>> 6) + 1, 0L);
        int chains = 0;
        for (int c = 0; c < WALK_CHAINS; c++) {
            int r = c == 0 ? first : (int) ((long) c * n / WALK_CHAINS);
            if ((starts[r >>> 6] & (1L << r)) != 0) {
                continue;
            }
            starts[r >>> 6] |= 1L << r;
            start[chains] = r;
            row[chains] = r;
            end[chains] = chains * MAX_BLOCK;
            chains++;
        }
        // row[c] >= 0: the chain's next row; -1 - r: the chain stopped before start row r.
        // end[c]: where the chain writes its next byte in seg.
        int alive = chains;
        while (alive > 0) {
            for (int c = 0; c < chains; c++) {
                int t = row[c];
                if (t < 0) {
                    continue;
                }
                int e = tt[t];
                seg[end[c]++] = (byte) e;
                int next = e >>> 8;
                if ((starts[next >>> 6] & (1L << next)) != 0) {
                    row[c] = -1 - next;
                    alive--;
                } else {
                    row[c] = next;
                }
            }
        }
        byte[] raw = s.raw;
        int out = 0;
        int c = 0;
        for (int hop = 0; hop < chains; hop++) {
            int from = c * MAX_BLOCK;
            int len = end[c] - from;
            if (out + len > n) {
                return false;
            }
            System.arraycopy(seg, from, raw, out, len);
            out += len;
            int stop = -1 - row[c];
            if (stop == first) {
                return out == n;
            }
            c = 0;
            while (start[c] != stop) {
                c++;
            }
        }
        return false;
    }

    /**
     * Canonical codes as bzip2 assigns them: by length, then by symbol. Codes of up to {@link #LOOKUP_BITS}
     * bits resolve in one table look-up; longer ones walk per-length limits.
     */
    private static void buildTable(Scratch s, int g, byte[] lengths, int alphaSize) {
        int stride = MAX_CODE_LENGTH + 2;
        int[] limit = s.limit;
        int[] base = s.base;
        int[] perm = s.perm;
        int[] lookup = s.lookup;
        int lo = g * stride;
        int[] count = new int[MAX_CODE_LENGTH + 1];
        for (int i = 0; i < alphaSize; i++) {
            count[lengths[i]]++;
        }
        // perm: symbols sorted by length; base[L]: perm index of the first code of length L minus its code.
        int idx = 0;
        int code = 0;
        int[] next = new int[MAX_CODE_LENGTH + 1];
        for (int len = 1; len <= MAX_CODE_LENGTH; len++) {
            next[len] = idx;
            base[lo + len] = idx - code;
            idx += count[len];
            code += count[len];
            if (code > (1 << len)) {
                throw new Corrupt("Huffman table " + g + " is over-subscribed at length " + len);
            }
            // limit[L]: one past the largest code of length L
            limit[lo + len] = code;
            code <<= 1;
        }
        int pg = g * MAX_ALPHA;
        for (int i = 0; i < alphaSize; i++) {
            perm[pg + next[lengths[i]]++] = i;
        }
        int lg = g << LOOKUP_BITS;
        Arrays.fill(lookup, lg, lg + (1 << LOOKUP_BITS), 0);
        code = 0;
        int p = 0;
        for (int len = 1; len <= LOOKUP_BITS; len++) {
            for (int k = 0; k < count[len]; k++) {
                int sym = perm[pg + p++];
                int from = code << (LOOKUP_BITS - len);
                int to = (code + 1) << (LOOKUP_BITS - len);
                Arrays.fill(lookup, lg + from, lg + to, (sym << 5) | len);
                code++;
            }
            code <<= 1;
        }
    }

    /**
     * The Huffman, zero-run and move-to-front stages. Writes the last column into the low byte of
     * {@code tt} and byte counts into {@code counts}; returns the block length.
     */
    private int decodeSymbols(Scratch s, byte[] seqToUnseq, int nInUse, int alphaSize, int nSelectors) {
        int[] tt = s.tt;
        int[] counts = s.counts;
        Arrays.fill(counts, 0);
        int[] lookup = s.lookup;
        int[] limit = s.limit;
        int[] base = s.base;
        int[] perm = s.perm;
        byte[] selectors = s.selectors;
        int stride = MAX_CODE_LENGTH + 2;
        byte[] mtf = Arrays.copyOf(seqToUnseq, 256);
        int eob = alphaSize - 1;
        byte[] in = src;
        long limitBits = this.limitBits;

        // A 64-bit window: the next bits sit at the top of 'window', 'have' of them valid.
        long p = pos;
        int bytePos = (int) (p >>> 3);
        long window = 0;
        int have = 0;
        // Align: load the partial first byte
        {
            int skip = (int) (p & 7);
            if (bytePos < in.length && bytePos < (int) (limitBits >>> 3)) {
                window = ((long) (in[bytePos] & 0xff)) << (56 + skip);
                have = 8 - skip;
                bytePos++;
            }
        }
        int srcBytes = (int) (limitBits >>> 3);
        long consumed = p;

        int n = 0;
        int group = -1;
        int left = 0;
        int lg = 0;
        int sg = 0;
        int pg = 0;
        int runLength = 0;
        int runWeight = 1;
        for (;;) {
            if (left == 0) {
                group++;
                if (group >= nSelectors) {
                    throw new Corrupt("more symbol groups than the " + nSelectors + " selectors");
                }
                int t = selectors[group];
                lg = t << LOOKUP_BITS;
                sg = t * stride;
                pg = t * MAX_ALPHA;
                left = GROUP_SIZE;
                if ((group & 63) == 0 && cancelled.getAsBoolean()) {
                    throw new Corrupt("cancelled");
                }
            }
            left--;
            // Refill to at least 32 valid bits; zeros past the end are counted and checked below.
            while (have <= 56) {
                long b = bytePos < srcBytes ? in[bytePos] & 0xff : 0;
                bytePos++;
                window |= b << (56 - have);
                have += 8;
            }
            int e = lookup[lg + (int) (window >>> (64 - LOOKUP_BITS))];
            int sym;
            int len;
            if (e != 0) {
                sym = e >>> 5;
                len = e & 31;
            } else {
                len = LOOKUP_BITS + 1;
                int code = (int) (window >>> (64 - len));
                while (code >= limit[sg + len]) {
                    len++;
                    if (len > MAX_CODE_LENGTH) {
                        throw new Corrupt("no Huffman code matches the next 20 bits");
                    }
                    code = (int) (window >>> (64 - len));
                }
                sym = perm[pg + base[sg + len] + code];
            }
            window <<= len;
            have -= len;
            consumed += len;
            if (consumed > limitBits) {
                throw Underflow.INSTANCE;
            }
            if (sym <= 1) {
                runLength += runWeight << sym;
                runWeight <<= 1;
                if (runWeight > MAX_BLOCK * 2) {
                    throw new Corrupt("zero run longer than a block");
                }
                continue;
            }
            if (runLength > 0) {
                if (n + runLength > MAX_BLOCK) {
                    throw new Corrupt("block longer than " + MAX_BLOCK + " bytes");
                }
                int b = mtf[0] & 0xff;
                counts[b] += runLength;
                Arrays.fill(tt, n, n + runLength, b);
                n += runLength;
                runLength = 0;
                runWeight = 1;
            }
            if (sym == eob) {
                break;
            }
            if (n >= MAX_BLOCK) {
                throw new Corrupt("block longer than " + MAX_BLOCK + " bytes");
            }
            int i = sym - 1;
            byte v = mtf[i];
            if (i < 16) {
                for (; i > 0; i--) {
                    mtf[i] = mtf[i - 1];
                }
            } else {
                System.arraycopy(mtf, 0, mtf, 1, i);
            }
            mtf[0] = v;
            int b = v & 0xff;
            counts[b]++;
            tt[n++] = b;
        }
        pos = consumed;
        return n;
    }
}
