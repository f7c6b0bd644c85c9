package io.transflux.operators.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

import io.transflux.operators.image.ImageGeometry.Placement;
import io.transflux.operators.image.ImageGeometry.Rect;
import io.transflux.operators.image.ImageGeometry.Size;

/**
 * An image as packed 8-bit ARGB (or opaque RGB) ints, with the pixel operations the stage needs: row reading
 * from a decoded {@link BufferedImage}, a separable Lanczos-3/bicubic resample, crop, the eight EXIF
 * orientations, rotation by any angle, placement on a canvas, and wrapping back into a {@code BufferedImage}
 * without a copy. Not thread-safe; used by one worker at a time.
 */
final class Pixels {

    private static final int[] RGB_MASKS = {0xff0000, 0xff00, 0xff};
    private static final int[] ARGB_MASKS = {0xff0000, 0xff00, 0xff, 0xff000000};

    final int width;
    final int height;
    final boolean alpha;
    final int[] argb;

    Pixels(int width, int height, boolean alpha, int[] argb) {
        this.width = width;
        this.height = height;
        this.alpha = alpha;
        this.argb = argb;
    }

    Size size() {
        return new Size(width, height);
    }

    /** Reads rows as ARGB: sRGB byte rasters directly, everything else through the colour model. */
    static final class RowReader {
        private final BufferedImage img;
        private final WritableRaster raster;
        private final int bands;
        private final boolean fast;
        private byte[] bytes = new byte[0];

        RowReader(BufferedImage img) {
            this.img = img;
            this.raster = img.getRaster();
            ColorModel cm = img.getColorModel();
            this.bands = raster.getNumDataElements();
            this.fast = cm instanceof ComponentColorModel && cm.getColorSpace().isCS_sRGB()
                    && raster.getTransferType() == DataBuffer.TYPE_BYTE && !cm.isAlphaPremultiplied()
                    && (bands == 3 && !cm.hasAlpha() || bands == 4 && cm.hasAlpha());
        }

        void read(int y, int[] row) {
            int w = row.length;
            if (!fast) {
                img.getRGB(0, y, w, 1, row, 0, w);
                return;
            }
            bytes = (byte[]) raster.getDataElements(0, y, w, 1, bytes.length == w * bands ? bytes : null);
            if (bands == 3) {
                for (int x = 0, i = 0; x < w; x++, i += 3) {
                    row[x] = 0xff000000 | (bytes[i] & 0xff) << 16 | (bytes[i + 1] & 0xff) << 8 | bytes[i + 2] & 0xff;
                }
            } else {
                for (int x = 0, i = 0; x < w; x++, i += 4) {
                    row[x] = (bytes[i + 3] & 0xff) << 24 | (bytes[i] & 0xff) << 16 | (bytes[i + 1] & 0xff) << 8
                            | bytes[i + 2] & 0xff;
                }
            }
        }
    }

    /**
     * Separable resample to {@code tw} × {@code th}: Lanczos-3 when shrinking an axis (the kernel widened by the
     * scale, so it averages every source pixel under it, as libvips's reduce does), Catmull-Rom when enlarging.
     * Images with alpha are filtered premultiplied. Sample centres are aligned ({@code (i + 0.5) * scale}).
     */
    Pixels resample(int tw, int th) {
        if (tw == width && th == height) {
            return this;
        }
        Pixels horizontal = tw == width ? this : pass(this, tw, true);
        return th == height ? horizontal : pass(horizontal, th, false);
    }

    private static Pixels pass(Pixels in, int outLen, boolean horizontal) {
        int inLen = horizontal ? in.width : in.height;
        int ow = horizontal ? outLen : in.width;
        int oh = horizontal ? in.height : outLen;
        double scale = (double) inLen / outLen;
        boolean shrinking = scale > 1;
        double filterScale = Math.max(1.0, scale);
        double support = (shrinking ? 3.0 : 2.0) * filterScale;
        int taps = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outLen];
        int[] count = new int[outLen];
        float[] weights = new float[outLen * taps];
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
        int[] src = in.argb;
        int[] out = new int[Math.multiplyExact(ow, oh)];
        int inStride = in.width;
        int step = horizontal ? 1 : inStride;
        boolean alpha = in.alpha;
        for (int line = 0; line < (horizontal ? oh : ow); line++) {
            int lineBase = horizontal ? line * inStride : line;
            for (int i = 0; i < outLen; i++) {
                float a = 0;
                float r = 0;
                float g = 0;
                float b = 0;
                int base = i * taps;
                int at = lineBase + first[i] * step;
                for (int k = 0, n = count[i]; k < n; k++, at += step) {
                    int p = src[at];
                    float wgt = weights[base + k];
                    if (alpha) {
                        float pa = (p >>> 24) * wgt;
                        a += pa;
                        r += ((p >> 16) & 0xff) * pa;
                        g += ((p >> 8) & 0xff) * pa;
                        b += (p & 0xff) * pa;
                    } else {
                        r += ((p >> 16) & 0xff) * wgt;
                        g += ((p >> 8) & 0xff) * wgt;
                        b += (p & 0xff) * wgt;
                    }
                }
                int v;
                if (!alpha) {
                    v = 0xff000000 | clamp(r) << 16 | clamp(g) << 8 | clamp(b);
                } else if (a <= 0.5f / 255) {
                    v = 0;
                } else {
                    v = clamp(a) << 24 | clamp(r / a) << 16 | clamp(g / a) << 8 | clamp(b / a);
                }
                if (horizontal) {
                    out[line * ow + i] = v;
                } else {
                    out[i * ow + line] = v;
                }
            }
        }
        return new Pixels(ow, oh, in.alpha, out);
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
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(255, i);
    }

    Pixels crop(Rect r) {
        if (r.x() == 0 && r.y() == 0 && r.width() == width && r.height() == height) {
            return this;
        }
        int[] out = new int[Math.multiplyExact(r.width(), r.height())];
        for (int y = 0; y < r.height(); y++) {
            System.arraycopy(argb, (r.y() + y) * width + r.x(), out, y * r.width(), r.width());
        }
        return new Pixels(r.width(), r.height(), alpha, out);
    }

    /** Applies EXIF orientation 1–8 (Exif 2.32 §4.6.4 table "Orientation"). */
    Pixels orient(int orientation) {
        if (orientation < 2 || orientation > 8) {
            return this;
        }
        boolean swap = orientation >= 5;
        int ow = swap ? height : width;
        int oh = swap ? width : height;
        int[] out = new int[argb.length];
        int w = width;
        int h = height;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; }
                }
                out[y * ow + x] = argb[sy * w + sx];
            }
        }
        return new Pixels(ow, oh, alpha, out);
    }

    /** Rotates clockwise onto the bounding box {@code box}, filling the corners with {@code background}. */
    Pixels rotate(int degrees, Size box, int background) {
        int d = degrees % 360;
        if (d == 0) {
            return this;
        }
        if (d == 90) {
            return orient(6);
        }
        if (d == 180) {
            return orient(3);
        }
        if (d == 270) {
            return orient(8);
        }
        BufferedImage src = toImage();
        int[] out = new int[Math.multiplyExact(box.width(), box.height())];
        Pixels dst = new Pixels(box.width(), box.height(), alpha, out);
        java.util.Arrays.fill(out, alpha ? 0 : 0xff000000 | background);
        BufferedImage target = dst.toImage();
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.translate(box.width() / 2.0, box.height() / 2.0);
            g.rotate(Math.toRadians(d));
            g.drawImage(src, -width / 2, -height / 2, null);
        } finally {
            g.dispose();
        }
        if (!alpha) {
            for (int i = 0; i < out.length; i++) {
                out[i] |= 0xff000000;
            }
        }
        return dst;
    }

    /** Resamples to the placement's scaled size, then puts it on the canvas (fill crops, pad pads). */
    Pixels place(Placement p, int background) {
        Pixels scaled = resample(p.scaled().width(), p.scaled().height());
        if (p.canvas().equals(p.scaled())) {
            return scaled;
        }
        int cw = p.canvas().width();
        int ch = p.canvas().height();
        int[] out = new int[Math.multiplyExact(cw, ch)];
        java.util.Arrays.fill(out, 0xff000000 | background);
        for (int y = 0; y < ch; y++) {
            int sy = y - p.y();
            if (sy < 0 || sy >= scaled.height) {
                continue;
            }
            int x0 = Math.max(0, p.x());
            int x1 = Math.min(cw, p.x() + scaled.width);
            if (x1 > x0) {
                System.arraycopy(scaled.argb, sy * scaled.width + (x0 - p.x()), out, y * cw + x0, x1 - x0);
            }
        }
        return new Pixels(cw, ch, alpha, out);
    }

    /** The image composited over an opaque {@code background}, for encoders without alpha. */
    Pixels flatten(int background) {
        if (!alpha) {
            return this;
        }
        int br = (background >> 16) & 0xff;
        int bg = (background >> 8) & 0xff;
        int bb = background & 0xff;
        int[] out = new int[argb.length];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int a = p >>> 24;
            int r = (((p >> 16) & 0xff) * a + br * (255 - a) + 127) / 255;
            int g = (((p >> 8) & 0xff) * a + bg * (255 - a) + 127) / 255;
            int b = ((p & 0xff) * a + bb * (255 - a) + 127) / 255;
            out[i] = 0xff000000 | r << 16 | g << 8 | b;
        }
        return new Pixels(width, height, false, out);
    }

    /** A {@code TYPE_INT_RGB}/{@code TYPE_INT_ARGB}-compatible view sharing this array. */
    BufferedImage toImage() {
        DataBufferInt buffer = new DataBufferInt(argb, argb.length);
        WritableRaster raster = Raster.createPackedRaster(buffer, width, height, width,
                alpha ? ARGB_MASKS : RGB_MASKS, null);
        ColorModel cm = alpha ? ColorModel.getRGBdefault()
                : new DirectColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), 24, RGB_MASKS[0], RGB_MASKS[1],
                        RGB_MASKS[2], 0, false, DataBuffer.TYPE_INT);
        return new BufferedImage(cm, raster, false, null);
    }
}
