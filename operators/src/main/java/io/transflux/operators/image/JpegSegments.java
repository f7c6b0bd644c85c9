package io.transflux.operators.image;

/**
 * What the stage needs from a JPEG's marker segments, read before the pixels and without ImageIO metadata:
 * the EXIF orientation (APP1 {@code Exif}, IFD0 tag 0x0112) and an estimate of the encoder quality from the
 * first quantisation table (DQT), used by the relative {@code quality,q_}. Malformed segments are ignored:
 * orientation then defaults to 1 and the quality is unknown (0).
 *
 * <pre>
 * +------+------+--------------+----------------------+
 * | FFD8 | FFxx | length (BE16)| payload (length - 2) | ... until FFDA (start of scan)
 * +------+------+--------------+----------------------+
 * </pre>
 * ITU T.81 B.1.1; Exif 2.32 §4.5.4 (APP1), §4.6.4 (Orientation); IJG {@code jcparam.c} for the quality scaling.
 */
final class JpegSegments {

    /** ITU T.81 Annex K table K.1, luminance quantisation; only its sum is used, so order does not matter. */
    private static final int[] STD_LUMINANCE = {
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    };
    private static final long STD_LUMINANCE_SUM;

    static {
        long s = 0;
        for (int v : STD_LUMINANCE) {
            s += v;
        }
        STD_LUMINANCE_SUM = s;
    }

    /** EXIF orientation 1–8, 1 when absent. */
    final int orientation;
    /** Whether an EXIF orientation tag was present. */
    final boolean hasOrientation;
    /** Estimated IJG quality 1–100, or 0 when unknown. */
    final int quality;
    /**
     * Three-component Huffman JPEG (SOF0/1/2) without an ICC profile or an Adobe colour transform other than
     * YCbCr: the JDK's libjpeg-backed reader decodes it exactly and faster than the TwelveMonkeys wrapper.
     */
    final boolean plainYCbCr;

    /** Whether an ICC profile (APP2) is present: such JPEGs go to TwelveMonkeys, which applies it. */
    final boolean icc;

    private JpegSegments(int orientation, boolean hasOrientation, int quality, boolean plainYCbCr, boolean icc) {
        this.icc = icc;
        this.orientation = orientation;
        this.hasOrientation = hasOrientation;
        this.quality = quality;
        this.plainYCbCr = plainYCbCr;
    }

    static JpegSegments scan(byte[] b, int len) {
        int orientation = 1;
        boolean hasOrientation = false;
        int quality = 0;
        boolean icc = false;
        int adobeTransform = -1;
        int sof = -1;
        int components = 0;
        int pos = 2;
        while (pos + 4 <= len) {
            if ((b[pos] & 0xff) != 0xff) {
                break;
            }
            int marker = b[pos + 1] & 0xff;
            if (marker == 0xff) {
                pos++;
                continue;
            }
            if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                pos += 2;
                continue;
            }
            if (marker == 0xda || marker == 0xd9) {
                break;
            }
            int segLen = u16(b, pos + 2, true);
            int start = pos + 4;
            int end = pos + 2 + segLen;
            if (segLen < 2 || end > len) {
                break;
            }
            if (marker == 0xe1 && !hasOrientation && end - start >= 14 && b[start] == 'E' && b[start + 1] == 'x'
                    && b[start + 2] == 'i' && b[start + 3] == 'f' && b[start + 4] == 0 && b[start + 5] == 0) {
                int o = exifOrientation(b, start + 6, end);
                if (o >= 1 && o <= 8) {
                    orientation = o;
                    hasOrientation = true;
                }
            } else if (marker == 0xdb && quality == 0) {
                quality = dqtQuality(b, start, end);
            } else if (marker == 0xe2 && end - start >= 12 && b[start] == 'I' && b[start + 1] == 'C'
                    && b[start + 2] == 'C') {
                icc = true;
            } else if (marker == 0xee && end - start >= 12 && b[start] == 'A' && b[start + 1] == 'd'
                    && b[start + 2] == 'o' && b[start + 3] == 'b' && b[start + 4] == 'e') {
                adobeTransform = b[start + 11] & 0xff;
            } else if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc
                    && sof < 0 && end - start >= 6) {
                sof = marker;
                components = b[start + 5] & 0xff;
            }
            pos = end;
        }
        boolean plain = (sof == 0xc0 || sof == 0xc1 || sof == 0xc2) && components == 3 && !icc
                && (adobeTransform == -1 || adobeTransform == 1);
        return new JpegSegments(orientation, hasOrientation, quality, plain, icc);
    }

    /** IFD0 tag 0x0112 of the TIFF structure at {@code [tiff, end)}; 0 when absent or malformed. */
    private static int exifOrientation(byte[] b, int tiff, int end) {
        boolean be;
        if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
            be = true;
        } else if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
            be = false;
        } else {
            return 0;
        }
        if (u16(b, tiff + 2, be) != 42) {
            return 0;
        }
        long ifd = u32(b, tiff + 4, be);
        long entriesAt = tiff + ifd;
        if (ifd < 8 || entriesAt + 2 > end) {
            return 0;
        }
        int count = u16(b, (int) entriesAt, be);
        for (int i = 0; i < count; i++) {
            long e = entriesAt + 2 + 12L * i;
            if (e + 12 > end) {
                return 0;
            }
            int at = (int) e;
            if (u16(b, at, be) == 0x0112) {
                int type = u16(b, at + 2, be);
                return type == 3 ? u16(b, at + 8, be) : 0;
            }
        }
        return 0;
    }

    /** IJG-style quality estimate from table 0 of a DQT segment; 0 when table 0 is not in it. */
    private static int dqtQuality(byte[] b, int start, int end) {
        int pos = start;
        while (pos < end) {
            int pq = (b[pos] & 0xff) >> 4;
            int tq = b[pos] & 0x0f;
            int size = pq == 0 ? 64 : 128;
            if (pos + 1 + size > end) {
                return 0;
            }
            if (tq == 0) {
                long sum = 0;
                for (int i = 0; i < 64; i++) {
                    sum += pq == 0 ? b[pos + 1 + i] & 0xff : u16(b, pos + 1 + 2 * i, true);
                }
                double scale = 100.0 * sum / STD_LUMINANCE_SUM;
                double q = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
                return (int) Math.max(1, Math.min(100, Math.round(q)));
            }
            pos += 1 + size;
        }
        return 0;
    }

    private static int u16(byte[] b, int at, boolean be) {
        int a = b[at] & 0xff;
        int c = b[at + 1] & 0xff;
        return be ? a << 8 | c : c << 8 | a;
    }

    private static long u32(byte[] b, int at, boolean be) {
        long hi = u16(b, be ? at : at + 2, be);
        long lo = u16(b, be ? at + 2 : at, be);
        return hi << 16 | lo;
    }
}
