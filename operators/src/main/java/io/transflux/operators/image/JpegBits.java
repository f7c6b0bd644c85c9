package io.transflux.operators.image;

/**
 * The entropy-coded bit stream of one JPEG scan: big-endian bits with {@code FF 00} byte stuffing. It stops at a
 * marker and feeds zero bits past it, as libjpeg does, and counts them: a scan that needed more than a few such bits
 * was truncated or corrupt ({@link #checkConsumed()}).
 */
final class JpegBits {

    /** Zero bits past a marker a valid scan may read (padding of its last byte plus look-ahead of one code). */
    private static final int MAX_FAKE_BITS = 32;

    private final byte[] d;
    private final int len;
    private int pos;
    private long buf;
    private int count;
    private int fakeBytes;

    JpegBits(byte[] data, int length) {
        this.d = data;
        this.len = length;
    }

    void reset(int position) {
        pos = position;
        buf = 0;
        count = 0;
        fakeBytes = 0;
    }

    /** The next byte not yet loaded: the marker that ended the scan, once reached. */
    int position() {
        return pos;
    }

    private void fill() {
        byte[] data = d;
        int p = pos;
        long b = buf;
        int c = count;
        while (c <= 56) {
            if (fakeBytes == 0 && p < len) {
                int v = data[p] & 0xff;
                if (v != 0xff) {
                    p++;
                    b = b << 8 | v;
                    c += 8;
                    continue;
                }
                if (p + 1 < len && data[p + 1] == 0) {
                    p += 2;
                    b = b << 8 | 0xff;
                    c += 8;
                    continue;
                }
            }
            // A marker or the end: feed zeros and count them.
            b <<= 8;
            c += 8;
            fakeBytes++;
        }
        pos = p;
        buf = b;
        count = c;
    }

    int bits(int n) {
        if (n == 0) {
            return 0;
        }
        if (count < n) {
            fill();
        }
        count -= n;
        return (int) (buf >>> count) & ((1 << n) - 1);
    }

    int decode(JpegHuffman t) {
        if (count < 16) {
            fill();
        }
        int peek = (int) (buf >>> (count - JpegHuffman.LOOKUP_BITS)) & ((1 << JpegHuffman.LOOKUP_BITS) - 1);
        int e = t.lookup[peek];
        if (e != 0) {
            count -= e >> 8;
            return e & 0xff;
        }
        int code = (int) (buf >>> (count - 16)) & 0xffff;
        for (int l = JpegHuffman.LOOKUP_BITS + 1; l <= 16; l++) {
            int c = code >>> (16 - l);
            if (c <= t.maxcode[l]) {
                count -= l;
                int i = t.valptr[l] + c - t.mincode[l];
                if (i >= t.symbols.length) {
                    break;
                }
                return t.symbols[i];
            }
        }
        if (fakeBytes * 8 - count > MAX_FAKE_BITS) {
            throw JpegDecoder.corrupt("scan data ends early");
        }
        throw JpegDecoder.corrupt("bad Huffman code");
    }

    /** Fails when the scan read well past its data (a truncated file decodes as grey in libjpeg). */
    void checkConsumed() {
        if (fakeBytes * 8 - count > MAX_FAKE_BITS) {
            throw JpegDecoder.corrupt("scan data ends early (" + (fakeBytes * 8 - count) + " bits past the end)");
        }
    }

    static int extend(int v, int s) {
        return v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
    }
}
