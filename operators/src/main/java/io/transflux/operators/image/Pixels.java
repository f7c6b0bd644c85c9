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
 * An image as packed 8-bit ARGB (or opaque RGB) ints, with the pixel operations the stage needs: box shrink
 * while converting from a decoded {@link BufferedImage}, a separable bicubic resample, crop, the eight EXIF
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

    /**
     * Converts a decoded image, averaging {@code shrink} × {@code shrink} blocks (edge blocks by the pixels they
     * have): the "progressive halving" of a downscale done in one pass over the source rows.
     */
    static Pixels from(BufferedImage img, int shrink) {
        int w = img.getWidth();
        int h = img.getHeight();
        boolean alpha = img.getColorModel().hasAlpha();
        int ow = (w + shrink - 1) / shrink;
        int oh = (h + shrink - 1) / shrink;
        int[] out = new int[Math.multiplyExact(ow, oh)];
        RowReader rows = new RowReader(img);
        int[] row = new int[w];
        if (shrink == 1) {
            for (int y = 0; y < h; y++) {
                rows.read(y, row);
                System.arraycopy(row, 0, out, y * w, w);
            }
            return new Pixels(w, h, alpha, out);
        }
        long[] acc = new long[ow * 4];
        for (int oy = 0; oy < oh; oy++) {
            java.util.Arrays.fill(acc, 0);
            int y0 = oy * shrink;
            int y1 = Math.min(h, y0 + shrink);
            for (int y = y0; y < y1; y++) {
                rows.read(y, row);
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    int o = (x / shrink) * 4;
                    acc[o] += p >>> 24;
                    acc[o + 1] += (p >> 16) & 0xff;
                    acc[o + 2] += (p >> 8) & 0xff;
                    acc[o + 3] += p & 0xff;
                }
            }
            int rowsUsed = y1 - y0;
            int base = oy * ow;
            for (int ox = 0; ox < ow; ox++) {
                int cols = Math.min(w, (ox + 1) * shrink) - ox * shrink;
                long n = (long) cols * rowsUsed;
                long half = n / 2;
                int o = ox * 4;
                int a = (int) ((acc[o] + half) / n);
                int r = (int) ((acc[o + 1] + half) / n);
                int g = (int) ((acc[o + 2] + half) / n);
                int b = (int) ((acc[o + 3] + half) / n);
                out[base + ox] = a << 24 | r << 16 | g << 8 | b;
            }
        }
        return new Pixels(ow, oh, alpha, out);
    }

    /** Reads rows as ARGB: sRGB byte rasters directly, everything else through the colour model. */
    private static final class RowReader {
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

    /** Bicubic (Catmull-Rom, a = -0.5) resample, with the kernel widened by the scale when shrinking. */
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
        double filterScale = Math.max(1.0, scale);
        double support = 2.0 * filterScale;
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
                double wgt = cubic((j + 0.5 - center) / filterScale);
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
        for (int line = 0; line < (horizontal ? oh : ow); line++) {
            for (int i = 0; i < outLen; i++) {
                float a = 0;
                float r = 0;
                float g = 0;
                float b = 0;
                int base = i * taps;
                for (int k = 0; k < count[i]; k++) {
                    int j = first[i] + k;
                    int p = horizontal ? src[line * inStride + j] : src[j * inStride + line];
                    float wgt = weights[base + k];
                    a += (p >>> 24) * wgt;
                    r += ((p >> 16) & 0xff) * wgt;
                    g += ((p >> 8) & 0xff) * wgt;
                    b += (p & 0xff) * wgt;
                }
                int v = clamp(a) << 24 | clamp(r) << 16 | clamp(g) << 8 | clamp(b);
                if (horizontal) {
                    out[line * ow + i] = v;
                } else {
                    out[i * ow + line] = v;
                }
            }
        }
        return new Pixels(ow, oh, in.alpha, out);
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
