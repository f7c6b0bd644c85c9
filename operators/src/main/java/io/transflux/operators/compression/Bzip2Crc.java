package io.transflux.operators.compression;

/**
 * The bzip2 CRC: CRC-32 with polynomial 0x04c11db7, most significant bit first (not reflected), initial
 * value and final xor {@code 0xffffffff}. Eight bytes per step through eight 256-entry tables (slicing-by-8),
 * since a per-byte table walk was most of the time of the library decoder it replaces.
 */
final class Bzip2Crc {

    private static final int POLY = 0x04c11db7;
    /** T[k][b]: the CRC contribution of byte b followed by k zero bytes. */
    private static final int[] T = new int[8 * 256];

    static {
        for (int b = 0; b < 256; b++) {
            int c = b << 24;
            for (int i = 0; i < 8; i++) {
                c = (c << 1) ^ ((c >> 31) & POLY);
            }
            T[b] = c;
        }
        for (int k = 1; k < 8; k++) {
            for (int b = 0; b < 256; b++) {
                int prev = T[(k - 1) * 256 + b];
                T[k * 256 + b] = (prev << 8) ^ T[prev >>> 24];
            }
        }
    }

    private Bzip2Crc() {
    }

    /** Continues {@code crc} (the running, not yet inverted value) over {@code b[off, off+len)}. */
    static int update(int crc, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        int[] t = T;
        while (end - i >= 8) {
            int hi = crc ^ ((b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff));
            crc = t[7 * 256 + (hi >>> 24)] ^ t[6 * 256 + ((hi >>> 16) & 0xff)]
                    ^ t[5 * 256 + ((hi >>> 8) & 0xff)] ^ t[4 * 256 + (hi & 0xff)]
                    ^ t[3 * 256 + (b[i + 4] & 0xff)] ^ t[2 * 256 + (b[i + 5] & 0xff)]
                    ^ t[256 + (b[i + 6] & 0xff)] ^ t[b[i + 7] & 0xff];
            i += 8;
        }
        while (i < end) {
            crc = (crc << 8) ^ t[((crc >>> 24) ^ b[i]) & 0xff];
            i++;
        }
        return crc;
    }

    /** Continues {@code crc} over {@code count} copies of byte {@code v}. */
    static int updateRun(int crc, int v, int count) {
        int[] t = T;
        for (int i = 0; i < count; i++) {
            crc = (crc << 8) ^ t[((crc >>> 24) ^ v) & 0xff];
        }
        return crc;
    }
}
