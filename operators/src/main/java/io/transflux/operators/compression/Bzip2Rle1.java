package io.transflux.operators.compression;

import java.util.Arrays;

/**
 * Undoes bzip2's first run-length stage over one block's inverse-BWT output: after four equal bytes the next
 * byte counts 0..255 further copies, and the byte after the count starts afresh. Resumable, so a block whose
 * runs expand past what is kept in memory is expanded again, chunk by chunk, when it is emitted.
 */
final class Bzip2Rle1 {

    private final byte[] raw;
    private final int end;
    private int pos;
    private int last = -1;
    private int equal;
    private int runLeft;
    private byte runByte;

    Bzip2Rle1(byte[] raw, int length) {
        this.raw = raw;
        this.end = length;
    }

    private Bzip2Rle1(Bzip2Rle1 o, byte[] raw) {
        this.raw = raw;
        this.end = o.end;
        this.pos = o.pos;
        this.last = o.last;
        this.equal = o.equal;
        this.runLeft = o.runLeft;
        this.runByte = o.runByte;
    }

    /** A copy of this state reading from {@code ownRaw}, a copy of the raw bytes the caller keeps. */
    Bzip2Rle1 snapshot(byte[] ownRaw) {
        return new Bzip2Rle1(this, ownRaw);
    }

    boolean done() {
        return pos == end && runLeft == 0;
    }

    /** Writes up to {@code len} bytes to {@code dst[off..]}; returns how many. */
    int expand(byte[] dst, int off, int len) {
        int o = off;
        int lim = off + len;
        byte[] r = raw;
        int p = pos;
        int e = end;
        int prev = last;
        int eq = equal;
        while (o < lim) {
            if (runLeft > 0) {
                int k = Math.min(runLeft, lim - o);
                Arrays.fill(dst, o, o + k, runByte);
                o += k;
                runLeft -= k;
                continue;
            }
            if (p == e) {
                break;
            }
            // The common case: copy until four equal bytes in a row are seen.
            while (o < lim && p < e) {
                int b = r[p] & 0xff;
                if (eq == 4) {
                    break;
                }
                p++;
                dst[o++] = (byte) b;
                if (b == prev) {
                    eq++;
                } else {
                    prev = b;
                    eq = 1;
                }
            }
            if (eq == 4 && p < e && o < lim) {
                runLeft = r[p++] & 0xff;
                runByte = (byte) prev;
                prev = -1;
                eq = 0;
            }
        }
        pos = p;
        last = prev;
        equal = eq;
        return o - off;
    }
}
