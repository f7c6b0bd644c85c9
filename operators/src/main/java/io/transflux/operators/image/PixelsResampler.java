package io.transflux.operators.image;

/**
 * Separable resampling of {@link Pixels}: Lanczos-3 on an axis that shrinks (the kernel widened by the scale, so it
 * weighs every source pixel under it, as libvips's {@code reduce} and ImageMagick's {@code -resize} do), Catmull-Rom
 * on an axis that grows. Sample centres are aligned ({@code (i + 0.5) * scale}).
 *
 * <p>The vertical pass runs first and keeps its result in 1/64 fixed point, clamped to the 8-bit range as libvips
 * does between its passes (on 1-px line patterns that choice alone moves PSNR against vipsthumbnail by 15 dB).
 * Images with alpha are filtered premultiplied and divided back at the end. Memory: the intermediate is
 * {@code w × th × channels} shorts.
 */
final class PixelsResampler {

    /** Fixed-point scale of the intermediate; 64 keeps Lanczos overshoot (about -60..315) inside a short. */
    private static final float FIXED = 64f;

    private PixelsResampler() {
    }

    /** Per output sample: the first input index, the tap count, and {@code taps} normalised weights. */
    private record Taps(int[] first, int[] count, float[] weights, int taps) {
    }

    static Pixels resample(Pixels in, int tw, int th) {
        int w = in.width;
        int h = in.height;
        boolean alpha = in.alpha;
        int ch = alpha ? 4 : 3;
        // Vertical pass first, into w x th premultiplied channels (libvips also reduces vertically first).
        Taps vy = taps(h, th);
        short[] mid = new short[Math.multiplyExact(Math.multiplyExact(w, th), ch)];
        int[] src = in.argb;
        float[] acc = new float[w * ch];
        for (int j = 0; j < th; j++) {
            java.util.Arrays.fill(acc, 0f);
            int base = j * vy.taps;
            for (int k = 0, n = vy.count[j]; k < n; k++) {
                float wgt = vy.weights[base + k];
                int row = (vy.first[j] + k) * w;
                for (int x = 0, c = 0; x < w; x++, c += ch) {
                    int p = src[row + x];
                    float f = wgt;
                    if (alpha) {
                        float pa = (p >>> 24) * wgt;
                        acc[c + 3] += pa;
                        f = pa / 255f;
                    }
                    acc[c] += ((p >> 16) & 0xff) * f;
                    acc[c + 1] += ((p >> 8) & 0xff) * f;
                    acc[c + 2] += (p & 0xff) * f;
                }
            }
            int o = j * w * ch;
            for (int c = 0; c < w * ch; c++) {
                mid[o + c] = fixed(acc[c]);
            }
        }
        Taps hx = taps(w, tw);
        int[] out = new int[Math.multiplyExact(tw, th)];
        for (int j = 0; j < th; j++) {
            int line = j * w * ch;
            int o = j * tw;
            for (int i = 0; i < tw; i++) {
                int base = i * hx.taps;
                int at = line + hx.first[i] * ch;
                float r = 0;
                float g = 0;
                float b = 0;
                float a = 0;
                for (int k = 0, n = hx.count[i]; k < n; k++, at += ch) {
                    float wgt = hx.weights[base + k];
                    r += mid[at] * wgt;
                    g += mid[at + 1] * wgt;
                    b += mid[at + 2] * wgt;
                    if (alpha) {
                        a += mid[at + 3] * wgt;
                    }
                }
                r /= FIXED;
                g /= FIXED;
                b /= FIXED;
                if (!alpha) {
                    out[o + i] = 0xff000000 | clamp(r) << 16 | clamp(g) << 8 | clamp(b);
                    continue;
                }
                a /= FIXED;
                if (a < 0.5f) {
                    out[o + i] = 0;
                } else {
                    float un = 255f / a;
                    out[o + i] = clamp(a) << 24 | clamp(r * un) << 16 | clamp(g * un) << 8 | clamp(b * un);
                }
            }
        }
        return new Pixels(tw, th, alpha, out);
    }

    private static Taps taps(int inLen, int outLen) {
        double scale = (double) inLen / outLen;
        boolean shrinking = scale > 1;
        double filterScale = Math.max(1.0, scale);
        double support = (shrinking ? 3.0 : 2.0) * filterScale;
        int taps = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outLen];
        int[] count = new int[outLen];
        float[] weights = new float[outLen * taps];
        if (inLen == outLen) {
            for (int i = 0; i < outLen; i++) {
                first[i] = i;
                count[i] = 1;
                weights[i * taps] = 1f;
            }
            return new Taps(first, count, weights, taps);
        }
        for (int i = 0; i < outLen; i++) {
            double center = (i + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(center - support));
            int hi = Math.min(inLen, (int) Math.ceil(center + support));
            double sum = 0;
            int n = 0;
            for (int j = lo; j < hi && n < taps; j++, n++) {
                double x = (j + 0.5 - center) / filterScale;
                double wgt = shrinking ? lanczos3(x) : cubic(x);
                weights[i * taps + n] = (float) wgt;
                sum += wgt;
            }
            if (sum != 0) {
                for (int k = 0; k < n; k++) {
                    weights[i * taps + k] /= (float) sum;
                }
            }
            first[i] = lo;
            count[i] = n;
        }
        return new Taps(first, count, weights, taps);
    }

    /** The intermediate is clamped to [0, 255] as libvips's 8-bit intermediate is; only the precision is kept. */
    private static short fixed(float v) {
        // Negative sums truncate to <= 0 and are clamped; no Math.round (NaN handling costs in this hot loop).
        int i = (int) (v * FIXED + 0.5f);
        return (short) (i < 0 ? 0 : Math.min(255 * (int) FIXED, i));
    }

    private static double lanczos3(double x) {
        double t = Math.abs(x);
        if (t < 1e-9) {
            return 1;
        }
        if (t >= 3) {
            return 0;
        }
        double px = Math.PI * t;
        return 3 * Math.sin(px) * Math.sin(px / 3) / (px * px);
    }

    private static double cubic(double x) {
        double a = -0.5;
        double t = Math.abs(x);
        if (t < 1) {
            return ((a + 2) * t - (a + 3)) * t * t + 1;
        }
        if (t < 2) {
            return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
        }
        return 0;
    }

    private static int clamp(float v) {
        int i = (int) (v + 0.5f);
        return i < 0 ? 0 : Math.min(255, i);
    }
}
