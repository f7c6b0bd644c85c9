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
 * from a decoded {@link BufferedImage}, resampling (in {@link PixelsResampler}), crop, the eight EXIF
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
     * Reads rows as ARGB: sRGB byte rasters directly; grey rasters (1 band, or 2 with alpha; 8 or 16 bit) as
     * sRGB-encoded grey, as PNG and JPEG store them (the JDK's {@code CS_GRAY} is linear, and converting through
     * it would brighten every grey image); everything else through the colour model.
     */
    static final class RowReader {
        private final BufferedImage img;
        private final WritableRaster raster;
        private final int bands;
        private final boolean fast;
        private final boolean grey;
        private final boolean wide;
        private byte[] bytes = new byte[0];
        private short[] shorts = new short[0];

        RowReader(BufferedImage img) {
            this.img = img;
            this.raster = img.getRaster();
            ColorModel cm = img.getColorModel();
            this.bands = raster.getNumDataElements();
            boolean component = cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied();
            int type = raster.getTransferType();
            this.fast = component && cm.getColorSpace().isCS_sRGB() && type == DataBuffer.TYPE_BYTE
                    && (bands == 3 && !cm.hasAlpha() || bands == 4 && cm.hasAlpha());
            this.grey = component && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                    && (type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT)
                    && (bands == 1 && !cm.hasAlpha() || bands == 2 && cm.hasAlpha());
            this.wide = type == DataBuffer.TYPE_USHORT;
        }

        void read(int y, int[] row) {
            int w = row.length;
            if (grey) {
                readGrey(y, row);
                return;
            }
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

        private void readGrey(int y, int[] row) {
            int w = row.length;
            for (int x = 0, i = 0; x < w; x++, i += bands) {
                int v;
                int a;
                if (wide) {
                    if (x == 0) {
                        shorts = (short[]) raster.getDataElements(0, y, w, 1,
                                shorts.length == w * bands ? shorts : null);
                    }
                    v = ((shorts[i] & 0xffff) * 255 + 32767) / 65535;
                    a = bands == 2 ? ((shorts[i + 1] & 0xffff) * 255 + 32767) / 65535 : 255;
                } else {
                    if (x == 0) {
                        bytes = (byte[]) raster.getDataElements(0, y, w, 1, bytes.length == w * bands ? bytes : null);
                    }
                    v = bytes[i] & 0xff;
                    a = bands == 2 ? bytes[i + 1] & 0xff : 255;
                }
                row[x] = a << 24 | v << 16 | v << 8 | v;
            }
        }
    }

    /** Resamples to {@code tw} × {@code th} (see {@link PixelsResampler}). */
    Pixels resample(int tw, int th) {
        if (tw == width && th == height) {
            return this;
        }
        return PixelsResampler.resample(this, tw, th);
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
