package io.transflux.operators.image;

import java.util.Arrays;

/**
 * Area-averaging (box) reduction by integer factors, fed one source row at a time, so a decoder can hand over
 * rows as it produces them and never hold the full-size image. Every source pixel contributes to exactly one
 * output pixel with equal weight: unlike point subsampling, a 1-px line survives as a proportional grey.
 *
 * <p>Averages are taken on the sRGB-encoded values (as libvips and ImageMagick do by default, so thumbnails match
 * theirs) and, for images with alpha, on premultiplied colour, so fully transparent pixels lend no colour to their
 * neighbours. Edge blocks that the image does not fill are averaged over the pixels they have.
 *
 * <p>Not thread-safe. Rows are read from the caller's array and not retained.
 */
final class AreaReducer {

    private final int width;
    private final int height;
    private final int kx;
    private final int ky;
    private final boolean alpha;
    private final int outWidth;
    private final int outHeight;
    private final int[] out;
    /** Per output column: alpha, red, green, blue sums (colour premultiplied when {@link #alpha}). */
    private final long[] acc;
    private int rows;

    AreaReducer(int width, int height, int kx, int ky, boolean alpha) {
        this.width = width;
        this.height = height;
        this.kx = kx;
        this.ky = ky;
        this.alpha = alpha;
        this.outWidth = reducedLength(width, kx);
        this.outHeight = reducedLength(height, ky);
        this.out = new int[Math.multiplyExact(outWidth, outHeight)];
        this.acc = kx == 1 && ky == 1 ? new long[0] : new long[outWidth * 4];
    }

    static int reducedLength(int length, int factor) {
        return (length + factor - 1) / factor;
    }

    /** Adds source row {@code rows} from {@code src[off, off + width)} (packed ARGB, not premultiplied). */
    void row(int[] src, int off) {
        if (rows >= height) {
            throw new IllegalStateException("area reducer: row " + rows + " past the height " + height);
        }
        if (kx == 1 && ky == 1) {
            System.arraycopy(src, off, out, rows * width, width);
            rows++;
            return;
        }
        long[] a = acc;
        if (alpha) {
            for (int x = 0, o = 0; x < width; o += 4) {
                int end = Math.min(width, x + kx);
                long sa = 0;
                long sr = 0;
                long sg = 0;
                long sb = 0;
                for (; x < end; x++) {
                    int p = src[off + x];
                    int pa = p >>> 24;
                    sa += pa;
                    sr += ((p >> 16) & 0xff) * pa;
                    sg += ((p >> 8) & 0xff) * pa;
                    sb += (p & 0xff) * pa;
                }
                a[o] += sa;
                a[o + 1] += sr;
                a[o + 2] += sg;
                a[o + 3] += sb;
            }
        } else {
            for (int x = 0, o = 0; x < width; o += 4) {
                int end = Math.min(width, x + kx);
                int sr = 0;
                int sg = 0;
                int sb = 0;
                for (; x < end; x++) {
                    int p = src[off + x];
                    sr += (p >> 16) & 0xff;
                    sg += (p >> 8) & 0xff;
                    sb += p & 0xff;
                }
                a[o + 1] += sr;
                a[o + 2] += sg;
                a[o + 3] += sb;
            }
        }
        rows++;
        if (rows % ky == 0 || rows == height) {
            flush((rows - 1) / ky, rows - (rows - 1) / ky * ky);
        }
    }

    private void flush(int oy, int rowsInBlock) {
        long[] a = acc;
        int base = oy * outWidth;
        for (int ox = 0, o = 0; ox < outWidth; ox++, o += 4) {
            int cols = Math.min(width, (ox + 1) * kx) - ox * kx;
            long n = (long) cols * rowsInBlock;
            int v;
            if (alpha) {
                long sa = a[o];
                if (sa == 0) {
                    v = 0;
                } else {
                    int pa = (int) ((sa + n / 2) / n);
                    long h = sa / 2;
                    v = pa << 24 | (int) ((a[o + 1] + h) / sa) << 16 | (int) ((a[o + 2] + h) / sa) << 8
                            | (int) ((a[o + 3] + h) / sa);
                }
            } else {
                long h = n / 2;
                v = 0xff000000 | (int) ((a[o + 1] + h) / n) << 16 | (int) ((a[o + 2] + h) / n) << 8
                        | (int) ((a[o + 3] + h) / n);
            }
            out[base + ox] = v;
        }
        Arrays.fill(a, 0);
    }

    /** The reduced image; all {@code height} rows must have been added. */
    Pixels result() {
        if (rows != height) {
            throw new IllegalStateException("area reducer: " + rows + " rows added, expected " + height);
        }
        return new Pixels(outWidth, outHeight, alpha, out);
    }
}
