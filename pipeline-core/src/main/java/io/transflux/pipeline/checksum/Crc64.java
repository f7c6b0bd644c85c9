package io.transflux.pipeline.checksum;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.zip.Checksum;

import org.jspecify.annotations.Nullable;

/**
 * Reflected 64-bit CRC with init and xorout all-ones, for the two polynomials S3 and OSS use:
 * <a href="https://reveng.sourceforge.io/crc-catalogue/17plus.htm#crc.cat.crc-64-nvme">CRC-64/NVME</a>
 * ({@code x-amz-checksum-crc64nvme}) and
 * <a href="https://reveng.sourceforge.io/crc-catalogue/17plus.htm#crc.cat.crc-64-xz">CRC-64/XZ</a>
 * (ECMA-182 polynomial, OSS's {@code x-oss-hash-crc64ecma}).
 *
 * <p>Speed comes from slicing-by-16: two little-endian {@code long}s per step, sixteen lookups in 256-entry
 * tables, XORed as a balanced tree: eight lookups read data bytes only, and per step the register's dependency
 * chain is one byte extraction, one table load and four XOR levels. On the machine measured, every 1-byte-table
 * variant tried met the same ceiling, which the load ports set (nine loads per eight bytes); see
 * {@code docs/benchmarks.md} (issue #17) for the variants and figures.
 * All tables are derived from the polynomial when the class loads. Direct and read-only buffers are copied through
 * a small heap scratch array because the {@code byte[]} kernel is the fastest path on JDK 17.
 *
 * <p><b>Differs from {@link Checksum#update(ByteBuffer)}:</b> {@link #update(ByteBuffer)} leaves the
 * buffer's position where it was (observers must not consume, see {@code ObjectStream}). Not thread-safe.
 */
final class Crc64 implements Checksum {

    /** Reflected CRC-64/NVME polynomial (normal form 0xAD93D23594C93659). */
    static final long NVME_POLY = 0x9A6C9329AC4BC9B5L;
    /** Reflected CRC-64/XZ polynomial (ECMA-182, normal form 0x42F0E1EBA9EA3693). */
    static final long XZ_POLY = 0xC96C5795D7870F42L;

    private static final int SCRATCH_BYTES = 8 * 1024;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Kernel kernel;
    /** The CRC register, i.e. the running value before the final inversion. */
    private long register = -1L;
    private byte @Nullable [] scratch;

    private Crc64(Kernel kernel) {
        this.kernel = kernel;
    }

    /** A new CRC-64/NVME; {@code check("123456789") = 0xae8b14860a799888}. */
    static Crc64 nvme() {
        return new Crc64(NvmeKernel.INSTANCE);
    }

    /** A new CRC-64/XZ as OSS computes it; {@code check("123456789") = 0x995dc9bbdf1939fa}. */
    static Crc64 xz() {
        return new Crc64(XzKernel.INSTANCE);
    }

    @Override
    public void update(int b) {
        register = (register >>> 8) ^ kernel.tables().slice[((int) register ^ b) & 0xff];
    }

    @Override
    public void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        register = kernel.update(register, b, off, len);
    }

    /**
     * Adds the buffer's remaining bytes. Unlike the {@link Checksum} default, the position is <em>not</em>
     * moved: the bytes are read at absolute offsets (heap) or through a duplicate (direct).
     */
    @Override
    public void update(ByteBuffer buffer) {
        int pos = buffer.position();
        int len = buffer.limit() - pos;
        if (len <= 0) {
            return;
        }
        if (buffer.hasArray()) {
            register = kernel.update(register, buffer.array(), buffer.arrayOffset() + pos, len);
            return;
        }
        byte[] tmp = scratch;
        if (tmp == null) {
            tmp = new byte[SCRATCH_BYTES];
            scratch = tmp;
        }
        long r = register;
        for (int done = 0; done < len; ) {
            int n = Math.min(tmp.length, len - done);
            buffer.get(pos + done, tmp, 0, n);
            r = kernel.update(r, tmp, 0, n);
            done += n;
        }
        register = r;
    }

    @Override
    public long getValue() {
        return ~register;
    }

    @Override
    public void reset() {
        register = -1L;
    }

    /**
     * The CRC of {@code A || B} from {@code crcA = crc(A)}, {@code crcB = crc(B)} and {@code lenB = |B|}, for this
     * instance's polynomial (zlib's {@code crc32_combine} method: multiply by x<sup>8·lenB</sup> mod P). The
     * instance's own state is not used.
     */
    long combine(long crcA, long crcB, long lenB) {
        if (lenB < 0) {
            throw new IllegalArgumentException("lenB: actual " + lenB + ", expected >= 0");
        }
        Tables tables = kernel.tables();
        return tables.multiplyModP(tables.xPow8n(lenB), crcA) ^ crcB;
    }

    /**
     * The update loop for one polynomial: slicing-by-16 while at least 16 bytes remain, then one slicing-by-8 step,
     * then bytewise. The subclasses repeat the same loop on purpose: C2 folds the table addresses and drops the
     * array bounds checks only when the tables are {@code static final} constants in the compiled method, which
     * measured about 1.6× faster than passing the tables in.
     */
    private abstract static class Kernel {

        abstract Tables tables();

        /** Advances the register {@code crc} over {@code b[off, off + len)}. */
        abstract long update(long crc, byte[] b, int off, int len);
    }

    private static final class NvmeKernel extends Kernel {

        static final Tables TABLES = new Tables(NVME_POLY);
        static final long[] SLICE = TABLES.slice;
        static final NvmeKernel INSTANCE = new NvmeKernel();

        @Override
        Tables tables() {
            return TABLES;
        }

        @Override
        long update(long crc, byte[] b, int off, int len) {
            final long[] t = SLICE;
            int p = off;
            int end = off + len;
            for (; end - p >= 16; p += 16) {
                crc = slice16(t, crc ^ (long) LONG_LE.get(b, p), (long) LONG_LE.get(b, p + 8));
            }
            if (end - p >= 8) {
                crc = slice8(t, crc ^ (long) LONG_LE.get(b, p));
                p += 8;
            }
            for (; p < end; p++) {
                crc = (crc >>> 8) ^ t[((int) crc ^ b[p]) & 0xff];
            }
            return crc;
        }
    }

    private static final class XzKernel extends Kernel {

        static final Tables TABLES = new Tables(XZ_POLY);
        static final long[] SLICE = TABLES.slice;
        static final XzKernel INSTANCE = new XzKernel();

        @Override
        Tables tables() {
            return TABLES;
        }

        @Override
        long update(long crc, byte[] b, int off, int len) {
            final long[] t = SLICE;
            int p = off;
            int end = off + len;
            for (; end - p >= 16; p += 16) {
                crc = slice16(t, crc ^ (long) LONG_LE.get(b, p), (long) LONG_LE.get(b, p + 8));
            }
            if (end - p >= 8) {
                crc = slice8(t, crc ^ (long) LONG_LE.get(b, p));
                p += 8;
            }
            for (; p < end; p++) {
                crc = (crc >>> 8) ^ t[((int) crc ^ b[p]) & 0xff];
            }
            return crc;
        }
    }

    /**
     * Sixteen bytes at once: {@code c} is the register XOR the first eight, {@code d} the next eight; table {@code k}
     * holds the effect of a byte followed by {@code k} zero bytes. The parentheses keep C2 from chaining the XORs.
     */
    private static long slice16(long[] t, long c, long d) {
        int lo = (int) c;
        int hi = (int) (c >>> 32);
        int dlo = (int) d;
        int dhi = (int) (d >>> 32);
        long fromRegister = ((t[15 * 256 + (lo & 0xff)] ^ t[14 * 256 + ((lo >>> 8) & 0xff)])
                ^ (t[13 * 256 + ((lo >>> 16) & 0xff)] ^ t[12 * 256 + (lo >>> 24)]))
                ^ ((t[11 * 256 + (hi & 0xff)] ^ t[10 * 256 + ((hi >>> 8) & 0xff)])
                ^ (t[9 * 256 + ((hi >>> 16) & 0xff)] ^ t[8 * 256 + (hi >>> 24)]));
        long fromData = ((t[7 * 256 + (dlo & 0xff)] ^ t[6 * 256 + ((dlo >>> 8) & 0xff)])
                ^ (t[5 * 256 + ((dlo >>> 16) & 0xff)] ^ t[4 * 256 + (dlo >>> 24)]))
                ^ ((t[3 * 256 + (dhi & 0xff)] ^ t[2 * 256 + ((dhi >>> 8) & 0xff)])
                ^ (t[256 + ((dhi >>> 16) & 0xff)] ^ t[dhi >>> 24]));
        return fromRegister ^ fromData;
    }

    /** Eight bytes at once, for the tail: tables 0–7 of the slicing-by-16 set. */
    private static long slice8(long[] t, long c) {
        int lo = (int) c;
        int hi = (int) (c >>> 32);
        return ((t[7 * 256 + (lo & 0xff)] ^ t[6 * 256 + ((lo >>> 8) & 0xff)])
                ^ (t[5 * 256 + ((lo >>> 16) & 0xff)] ^ t[4 * 256 + (lo >>> 24)]))
                ^ ((t[3 * 256 + (hi & 0xff)] ^ t[2 * 256 + ((hi >>> 8) & 0xff)])
                ^ (t[256 + ((hi >>> 16) & 0xff)] ^ t[hi >>> 24]));
    }

    /**
     * Tables for one reflected polynomial. In the reflected representation bit 63 is x<sup>0</sup> and bit 0
     * is x<sup>63</sup>.
     */
    private static final class Tables {

        private final long poly;
        /** Sixteen 256-entry slicing tables, table k at {@code [k * 256, k * 256 + 256)}; table 0 is the byte table. */
        final long[] slice = new long[16 * 256];
        /** x<sup>2<sup>k</sup></sup> mod P for k in [0, 67): enough for 8n with any non-negative long n. */
        private final long[] x2n = new long[67];

        Tables(long poly) {
            this.poly = poly;
            for (int i = 0; i < 256; i++) {
                long c = i;
                for (int k = 0; k < 8; k++) {
                    c = (c & 1) != 0 ? (c >>> 1) ^ poly : c >>> 1;
                }
                slice[i] = c;
            }
            for (int k = 1; k < 16; k++) {
                for (int i = 0; i < 256; i++) {
                    long c = slice[(k - 1) * 256 + i];
                    slice[k * 256 + i] = (c >>> 8) ^ slice[(int) c & 0xff];
                }
            }
            long p = 1L << 62; // x^1
            x2n[0] = p;
            for (int k = 1; k < x2n.length; k++) {
                p = multiplyModP(p, p);
                x2n[k] = p;
            }
        }

        /** a · b mod P in the reflected representation. */
        long multiplyModP(long a, long b) {
            long m = 1L << 63;
            long product = 0;
            for (int i = 0; i < 64; i++) {
                if ((a & m) != 0) {
                    product ^= b;
                }
                m >>>= 1;
                b = (b & 1) != 0 ? (b >>> 1) ^ poly : b >>> 1;
            }
            return product;
        }

        /** x<sup>8n</sup> mod P: the operator that advances a register over {@code n} zero bytes. */
        long xPow8n(long n) {
            long p = 1L << 63; // x^0
            int k = 3; // 8n = n · 2^3
            while (n != 0) {
                if ((n & 1) != 0) {
                    p = multiplyModP(x2n[k], p);
                }
                n >>>= 1;
                k++;
            }
            return p;
        }
    }
}
