package io.transflux.operators.image;

import io.transflux.operators.image.ImageAction.Crop;
import io.transflux.operators.image.ImageAction.Resize;
import io.transflux.operators.image.ImageAction.ResizeMode;
import io.transflux.pipeline.PipelineSpecException;

/**
 * OSS geometry as plain arithmetic on sizes: no pixels, no ImageIO. Sources:
 * https://www.alibabacloud.com/help/en/oss/user-guide/resize-images-4 (modes, rounding, limit, l/s),
 * https://www.alibabacloud.com/help/en/doc-detail/44693.htm (crop), https://www.alibabacloud.com/help/en/oss/rotate.
 */
final class ImageGeometry {

    private ImageGeometry() {
    }

    /** A width and height in pixels, both at least 1. */
    record Size(int width, int height) {
        Size {
            if (width < 1 || height < 1) {
                throw new IllegalArgumentException("size: actual " + width + "x" + height + ", expected >= 1x1");
            }
        }

        long pixels() {
            return Math.multiplyExact((long) width, (long) height);
        }

        @Override
        public String toString() {
            return width + "x" + height;
        }
    }

    /** A rectangle inside an image. */
    record Rect(int x, int y, int width, int height) {
        Size size() {
            return new Size(width, height);
        }
    }

    /**
     * Where a resize puts the scaled image: {@code scaled} is drawn at ({@code x}, {@code y}) on a {@code canvas};
     * negative offsets crop (fill), positive ones pad. {@code identity} when {@code limit_1} kept the source size.
     */
    record Placement(Size canvas, Size scaled, int x, int y, boolean identity) {
    }

    /**
     * The result of {@code resize} on a {@code src} image.
     *
     * <p>Box: {@code w}/{@code h} win over {@code l}/{@code s}, which win over {@code p}. With one of w or h, lfit,
     * mfit and fixed keep the ratio and fill and pad use a square box; likewise for one of l or s. The long side is
     * the source's larger dimension. Fractional sides round half up. With {@code limit_1}, a result larger than the
     * source in either dimension returns the source size unchanged.
     */
    static Placement resize(Size src, Resize r) {
        long sw = src.width();
        long sh = src.height();
        int bw;
        int bh;
        boolean squareModes = r.mode() == ResizeMode.FILL || r.mode() == ResizeMode.PAD;
        if (r.w() > 0 || r.h() > 0) {
            if (r.w() > 0 && r.h() > 0) {
                bw = r.w();
                bh = r.h();
            } else if (squareModes) {
                bw = bh = Math.max(r.w(), r.h());
            } else if (r.w() > 0) {
                bw = r.w();
                bh = ratio(sh, r.w(), sw);
            } else {
                bh = r.h();
                bw = ratio(sw, r.h(), sh);
            }
        } else if (r.l() > 0 || r.s() > 0) {
            boolean landscape = sw >= sh;
            if (r.l() > 0 && r.s() > 0) {
                bw = landscape ? r.l() : r.s();
                bh = landscape ? r.s() : r.l();
            } else if (squareModes) {
                bw = bh = Math.max(r.l(), r.s());
            } else {
                long longSide = Math.max(sw, sh);
                long shortSide = Math.min(sw, sh);
                int target = r.l() > 0 ? r.l() : r.s();
                long basis = r.l() > 0 ? longSide : shortSide;
                bw = ratio(sw, target, basis);
                bh = ratio(sh, target, basis);
            }
        } else {
            bw = ratio(sw, r.p(), 100);
            bh = ratio(sh, r.p(), 100);
            Size s = new Size(bw, bh);
            return limited(src, r, new Placement(s, s, 0, 0, false));
        }
        Placement p = switch (r.mode()) {
            case LFIT -> fit(src, bw, bh, false, false);
            case MFIT -> fit(src, bw, bh, true, false);
            case FILL -> fit(src, bw, bh, true, true);
            case PAD -> fit(src, bw, bh, false, true);
            case FIXED -> new Placement(new Size(bw, bh), new Size(bw, bh), 0, 0, false);
        };
        return limited(src, r, p);
    }

    private static Placement fit(Size src, int bw, int bh, boolean cover, boolean onBox) {
        long sw = src.width();
        long sh = src.height();
        // Compare bw/sw with bh/sh without division: the width constrains lfit when bw*sh <= bh*sw.
        boolean widthRules = (bw * sh <= bh * sw) != cover;
        Size scaled = widthRules ? new Size(bw, ratio(sh, bw, sw)) : new Size(ratio(sw, bh, sh), bh);
        if (!onBox) {
            return new Placement(scaled, scaled, 0, 0, false);
        }
        Size box = new Size(bw, bh);
        return new Placement(box, scaled, (bw - scaled.width()) / 2, (bh - scaled.height()) / 2, false);
    }

    private static Placement limited(Size src, Resize r, Placement p) {
        if (r.limit() && (p.scaled().width() > src.width() || p.scaled().height() > src.height())) {
            return new Placement(src, src, 0, 0, true);
        }
        return p;
    }

    /** {@code round(value * num / den)}, at least 1. */
    private static int ratio(long value, long num, long den) {
        long r = (value * num * 2 + den) / (den * 2);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, r));
    }

    /**
     * The region {@code crop} keeps. The origin comes from the gravity (for a w × h region), then moves right and
     * down by x and y; a size past the edge is clipped; a start outside the image is an error, as in OSS.
     */
    static Rect crop(Size src, Crop c) {
        int cw = c.w() == 0 ? src.width() : Math.min(c.w(), src.width());
        int ch = c.h() == 0 ? src.height() : Math.min(c.h(), src.height());
        int freeX = src.width() - cw;
        int freeY = src.height() - ch;
        int ox = switch (c.g()) {
            case NW, WEST, SW -> 0;
            case NORTH, CENTER, SOUTH -> freeX / 2;
            case NE, EAST, SE -> freeX;
        };
        int oy = switch (c.g()) {
            case NW, NORTH, NE -> 0;
            case WEST, CENTER, EAST -> freeY / 2;
            case SW, SOUTH, SE -> freeY;
        };
        long x = (long) ox + c.x();
        long y = (long) oy + c.y();
        if (x >= src.width() || y >= src.height()) {
            // OSS: 400 BadRequest "Advance cut's position is out of image." (Custom crop, usage notes).
            throw new io.transflux.pipeline.PipelineException(io.transflux.pipeline.ErrorCode.BAD_REQUEST,
                    "Advance cut's position is out of image: start (" + x + ", " + y + "), expected inside the " + src
                            + " image");
        }
        int w = (int) Math.min(cw, src.width() - x);
        int h = (int) Math.min(ch, src.height() - y);
        return new Rect((int) x, (int) y, w, h);
    }

    /** The bounding box of {@code src} rotated clockwise by {@code degrees}. */
    static Size rotate(Size src, int degrees) {
        int d = degrees % 360;
        if (d == 0 || d == 180) {
            return src;
        }
        if (d == 90 || d == 270) {
            return new Size(src.height(), src.width());
        }
        double rad = Math.toRadians(d);
        double cos = Math.abs(Math.cos(rad));
        double sin = Math.abs(Math.sin(rad));
        int w = (int) Math.ceil(src.width() * cos + src.height() * sin - 1e-6);
        int h = (int) Math.ceil(src.width() * sin + src.height() * cos - 1e-6);
        return new Size(Math.max(1, w), Math.max(1, h));
    }

    /** The size after applying EXIF {@code orientation} (1–8); 5–8 swap width and height. */
    static Size orient(Size src, int orientation) {
        return orientation >= 5 && orientation <= 8 ? new Size(src.height(), src.width()) : src;
    }

    /**
     * The source pixel shown at ({@code x}, {@code y}) of a {@code w} × {@code h} source displayed with EXIF
     * {@code orientation}, as {@code {sx, sy}} (Exif 2.32 §4.6.4 table "Orientation").
     */
    static int[] orientSource(int orientation, int w, int h, int x, int y) {
        return switch (orientation) {
            case 2 -> new int[] {w - 1 - x, y};
            case 3 -> new int[] {w - 1 - x, h - 1 - y};
            case 4 -> new int[] {x, h - 1 - y};
            case 5 -> new int[] {y, x};
            case 6 -> new int[] {y, h - 1 - x};
            case 7 -> new int[] {w - 1 - y, h - 1 - x};
            case 8 -> new int[] {w - 1 - y, x};
            default -> new int[] {x, y};
        };
    }

    /** The orientation equal to applying {@code first}, then {@code then}. */
    static int compose(int first, int then) {
        // Probe with a 2x3 source: the composition is the orientation that sends two corners to the same places.
        int w = 2;
        int h = 3;
        Size mid = orient(new Size(w, h), first);
        Size end = orient(mid, then);
        for (int c = 1; c <= 8; c++) {
            if (!orient(new Size(w, h), c).equals(end)) {
                continue;
            }
            boolean same = true;
            for (int[] p : new int[][] {{0, 0}, {end.width() - 1, 0}, {0, end.height() - 1}}) {
                int[] m = orientSource(then, mid.width(), mid.height(), p[0], p[1]);
                int[] s1 = orientSource(first, w, h, m[0], m[1]);
                int[] s2 = orientSource(c, w, h, p[0], p[1]);
                same &= s1[0] == s2[0] && s1[1] == s2[1];
            }
            if (same) {
                return c;
            }
        }
        throw new IllegalStateException("orientations " + first + " then " + then + " compose to nothing");
    }

    /**
     * The source rectangle of {@code crop}, a rectangle of the view {@code orient(crop(source, region), orientation)}:
     * cropping after orienting is orienting after cropping that rectangle.
     */
    static Rect cropSource(Rect region, int orientation, Rect crop) {
        int[] a = orientSource(orientation, region.width(), region.height(), crop.x(), crop.y());
        int[] b = orientSource(orientation, region.width(), region.height(), crop.x() + crop.width() - 1,
                crop.y() + crop.height() - 1);
        int x0 = Math.min(a[0], b[0]);
        int y0 = Math.min(a[1], b[1]);
        return new Rect(region.x() + x0, region.y() + y0, Math.abs(a[0] - b[0]) + 1, Math.abs(a[1] - b[1]) + 1);
    }
}
