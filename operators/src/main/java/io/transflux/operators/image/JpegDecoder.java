package io.transflux.operators.image;

import java.util.Arrays;

import io.transflux.operators.image.ImageGeometry.Rect;

import org.jspecify.annotations.Nullable;

/**
 * A JPEG decoder that scales in the DCT domain by 1/1, 1/2, 1/4 or 1/8 and hands over finished rows as it goes, so a
 * 24-megapixel photo made into a thumbnail is never transformed, upsampled or held at full size.
 *
 * <p>Covers ITU T.81 baseline and extended sequential (SOF0/SOF1) and progressive (SOF2) Huffman coding, 8-bit
 * samples, one (grey) or three components (YCbCr, or RGB by Adobe APP14 transform 0 or component ids R, G, B), any
 * sampling whose chroma ratios are 1 or 2 per axis (4:4:4, 4:2:2, 4:2:0, 4:4:0), restart intervals. Colour and
 * upsampling follow libjpeg ({@code djpeg}'s defaults: "fancy" triangle upsampling, the same YCbCr tables and
 * integer IDCT), so full-scale pixels match {@code djpeg}. When scaling, chroma is transformed at twice the luma
 * block size where that replaces upsampling, as libjpeg does.
 *
 * <p>Everything else (arithmetic coding, 12-bit, lossless, hierarchical, CMYK/YCCK, other samplings, DNL, a
 * progressive image whose coefficients would not fit in a third of the heap) throws {@link Unsupported} before
 * any row is emitted, and the caller decodes with ImageIO instead. Corrupt or truncated data throws
 * {@link ImageDecodeException}.
 *
 * <p>A plain state machine over the buffered source: headers, then scans; sequential single-scan images are
 * entropy-decoded, transformed and emitted one MCU row at a time (plus one row of look-ahead for vertical
 * upsampling); multi-scan images keep quantised coefficients and are emitted after the last scan. Not thread-safe.
 */
final class JpegDecoder {

    /** The image uses a JPEG form this decoder leaves to ImageIO. */
    static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    /** Receives the decoded rows, top to bottom: packed opaque ARGB in {@code argb[off, off + region width)}. */
    interface RowSink {
        void row(int[] argb, int off);
    }

    /** Natural (row-major) index of the k-th coefficient in zig-zag order (T.81 figure A.6). */
    static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14,
        21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53,
        60, 61, 54, 47, 55, 62, 63,
    };

    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        // libjpeg jdcolor.c tables: 16-bit fixed point, rounding folded into the red, blue and one green term.
        int half = 1 << 15;
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + half) >> 16;
            CB_B[i] = (fix(1.77200) * x + half) >> 16;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + half;
        }
    }

    private static int fix(double v) {
        return (int) (v * 65536 + 0.5);
    }

    enum ColorSpace { GREY, YCBCR, RGB }

    /** Header facts, known after {@link #readHeader()}. */
    int width;
    int height;
    boolean progressive;
    ColorSpace colorSpace = ColorSpace.YCBCR;

    private final byte[] d;
    private final int len;
    private int pos;
    private final int[][] quant = new int[4][];
    private final JpegHuffman[] dcTables = new JpegHuffman[4];
    private final JpegHuffman[] acTables = new JpegHuffman[4];
    private Component[] comps = new Component[0];
    private int hmax;
    private int vmax;
    private int mcusX;
    private int mcusY;
    private int restartInterval;
    private int adobeTransform = -1;
    private boolean jfif;
    private boolean buffered;
    private final JpegBits bits;
    private final JpegIdct idct = new JpegIdct();
    private final short[] block = new short[64];
    private int eobrun;
    private Runnable checkpoint = () -> { };

    static final class Component {
        int id;
        int h;
        int v;
        int tq;
        /** Blocks per line / column covering the component (not padded to whole MCUs). */
        int bw;
        int bh;
        /** Blocks per line / column padded to whole MCUs. */
        int bwPad;
        int bhPad;
        int dcPred;
        @Nullable JpegHuffman dc;
        @Nullable JpegHuffman ac;
        short @Nullable [] coefs;
        // Output geometry.
        int n;
        int uh;
        int uv;
        int realW;
        int realH;
        byte[][] planes = new byte[2][];
        byte[] above = new byte[0];
        int stride;
    }

    JpegDecoder(byte[] data, int length) {
        this.d = data;
        this.len = length;
        this.bits = new JpegBits(data, length);
    }

    /** Reads markers up to the frame header; throws {@link Unsupported} for forms left to ImageIO. */
    void readHeader() {
        if (len < 4 || (d[0] & 0xff) != 0xff || (d[1] & 0xff) != 0xd8) {
            throw corrupt("no SOI marker");
        }
        pos = 2;
        while (true) {
            int marker = nextMarker();
            if (marker == 0xc0 || marker == 0xc1 || marker == 0xc2) {
                readFrame(marker == 0xc2);
                return;
            }
            if (marker >= 0xc3 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc) {
                throw new Unsupported("JPEG process SOF" + (marker - 0xc0) + " (lossless, hierarchical or arithmetic)");
            }
            if (marker == 0xda || marker == 0xd9) {
                throw corrupt("scan before the frame header");
            }
            readSegment(marker);
        }
    }

    /**
     * Decodes at 1/{@code scale} ({@code scale} = 1, 2, 4 or 8; the scaled size is {@link #scaled}) the rows and
     * columns of {@code region} (in scaled pixels), handing each row to {@code sink}.
     */
    void decode(int scale, Rect region, RowSink sink) {
        decode(scale, region, sink, () -> { });
    }

    /** As {@link #decode(int, Rect, RowSink)}, running {@code checkpoint} (which may throw) once per MCU row. */
    void decode(int scale, Rect region, RowSink sink, Runnable checkpoint) {
        this.checkpoint = checkpoint;
        int nMin = 8 / scale;
        prepareOutput(nMin);
        Output out = new Output(nMin, region, sink);
        boolean first = true;
        while (true) {
            int marker = nextMarker();
            if (marker == 0xd9) {
                break;
            }
            if (marker != 0xda) {
                if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xcc) {
                    throw corrupt("a second frame header");
                }
                readSegment(marker);
                continue;
            }
            Component[] scan = readScanHeader();
            if (first && !progressive && scan.length == comps.length) {
                sequential(scan, out);
                return;
            }
            if (first) {
                startBuffered();
            }
            first = false;
            bufferedScan(scan);
        }
        if (first) {
            throw corrupt("no scan before EOI");
        }
        for (int m = 0; m < mcusY && !out.done(); m++) {
            out.mcuRow(m);
        }
        out.finish();
    }

    /** Scaled size of one side: {@code ceil(side * 8 / scale / 8)}. */
    static int scaled(int side, int scale) {
        return (side + scale - 1) / scale;
    }

    // ---- headers ----

    private int nextMarker() {
        // Skip anything up to a marker (fill bytes and garbage that libjpeg would warn about).
        while (pos + 1 < len) {
            if ((d[pos] & 0xff) == 0xff) {
                int m = d[pos + 1] & 0xff;
                if (m != 0 && m != 0xff) {
                    pos += 2;
                    return m;
                }
            }
            pos++;
        }
        throw corrupt("data ends before EOI");
    }

    private int u16(int at) {
        if (at + 1 >= len) {
            throw corrupt("data ends inside a marker segment");
        }
        return (d[at] & 0xff) << 8 | d[at + 1] & 0xff;
    }

    private int u8(int at, int end) {
        if (at >= end) {
            throw corrupt("marker segment is shorter than its content");
        }
        return d[at] & 0xff;
    }

    private void readSegment(int marker) {
        if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd7) {
            return;
        }
        int segLen = u16(pos);
        int start = pos + 2;
        int end = pos + segLen;
        if (segLen < 2 || end > len) {
            throw corrupt("marker 0x" + Integer.toHexString(marker) + " length " + segLen + " runs past the data");
        }
        switch (marker) {
            case 0xdb -> readQuant(start, end);
            case 0xc4 -> readHuffman(start, end);
            case 0xdd -> restartInterval = u16(start);
            case 0xdc -> throw new Unsupported("DNL marker");
            case 0xe0 -> jfif |= end - start >= 5 && d[start] == 'J' && d[start + 1] == 'F' && d[start + 2] == 'I'
                    && d[start + 3] == 'F' && d[start + 4] == 0;
            case 0xee -> {
                if (end - start >= 12 && d[start] == 'A' && d[start + 1] == 'd' && d[start + 2] == 'o'
                        && d[start + 3] == 'b' && d[start + 4] == 'e') {
                    adobeTransform = d[start + 11] & 0xff;
                }
            }
            default -> {
                // APPn, COM and others carry nothing the pixels need.
            }
        }
        pos = end;
    }

    private void readQuant(int p, int end) {
        while (p < end) {
            int pq = u8(p, end) >> 4;
            int tq = u8(p, end) & 15;
            if (pq != 0) {
                throw new Unsupported("16-bit quantisation tables (12-bit JPEG)");
            }
            if (tq > 3 || p + 65 > end) {
                throw corrupt("DQT table " + tq + " is malformed");
            }
            int[] q = new int[64];
            for (int k = 0; k < 64; k++) {
                q[ZIGZAG[k]] = d[p + 1 + k] & 0xff;
            }
            quant[tq] = q;
            p += 65;
        }
    }

    private void readHuffman(int p, int end) {
        while (p < end) {
            int tc = u8(p, end) >> 4;
            int th = u8(p, end) & 15;
            if (tc > 1 || th > 3 || p + 17 > end) {
                throw corrupt("DHT table class " + tc + " id " + th + " is malformed");
            }
            int[] counts = new int[17];
            int total = 0;
            for (int l = 1; l <= 16; l++) {
                counts[l] = d[p + l] & 0xff;
                total += counts[l];
            }
            if (total > 256 || p + 17 + total > end) {
                throw corrupt("DHT table declares " + total + " symbols, more than its segment holds");
            }
            int[] symbols = new int[total];
            for (int i = 0; i < total; i++) {
                symbols[i] = d[p + 17 + i] & 0xff;
            }
            JpegHuffman t = JpegHuffman.of(counts, symbols);
            if (tc == 0) {
                dcTables[th] = t;
            } else {
                acTables[th] = t;
            }
            p += 17 + total;
        }
    }

    private void readFrame(boolean isProgressive) {
        progressive = isProgressive;
        int segLen = u16(pos);
        int p = pos + 2;
        int end = pos + segLen;
        if (end > len || segLen < 8) {
            throw corrupt("frame header is truncated");
        }
        int precision = u8(p, end);
        if (precision != 8) {
            throw new Unsupported(precision + "-bit samples");
        }
        height = u16(p + 1);
        width = u16(p + 3);
        int nc = u8(p + 5, end);
        if (height == 0) {
            throw new Unsupported("height defined by a DNL marker");
        }
        if (width == 0) {
            throw corrupt("frame width is 0");
        }
        if (nc != 1 && nc != 3) {
            throw new Unsupported(nc + " components (CMYK, YCCK or other)");
        }
        if (segLen != 8 + 3 * nc) {
            throw corrupt("frame header length " + segLen + ", expected " + (8 + 3 * nc));
        }
        comps = new Component[nc];
        for (int i = 0; i < nc; i++) {
            Component c = new Component();
            int at = p + 6 + 3 * i;
            c.id = d[at] & 0xff;
            c.h = (d[at + 1] & 0xff) >> 4;
            c.v = d[at + 1] & 15;
            c.tq = d[at + 2] & 0xff;
            if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3) {
                throw corrupt("component " + c.id + " sampling " + c.h + "x" + c.v + " table " + c.tq);
            }
            comps[i] = c;
        }
        if (nc == 1) {
            // A single component is never interleaved: its MCU is one block whatever the header says.
            comps[0].h = 1;
            comps[0].v = 1;
            colorSpace = ColorSpace.GREY;
        } else if (adobeTransform == 0 || !jfif && adobeTransform < 0 && comps[0].id == 'R' && comps[1].id == 'G'
                && comps[2].id == 'B') {
            colorSpace = ColorSpace.RGB;
        }
        hmax = 1;
        vmax = 1;
        for (Component c : comps) {
            hmax = Math.max(hmax, c.h);
            vmax = Math.max(vmax, c.v);
        }
        for (Component c : comps) {
            if (hmax % c.h != 0 || vmax % c.v != 0 || hmax / c.h > 2 || vmax / c.v > 2) {
                throw new Unsupported("sampling " + c.h + "x" + c.v + " against " + hmax + "x" + vmax);
            }
        }
        mcusX = ceilDiv(width, 8 * hmax);
        mcusY = ceilDiv(height, 8 * vmax);
        for (Component c : comps) {
            c.bw = ceilDiv(ceilDiv(width * c.h, hmax), 8);
            c.bh = ceilDiv(ceilDiv(height * c.v, vmax), 8);
            c.bwPad = mcusX * c.h;
            c.bhPad = mcusY * c.v;
        }
        pos = end;
    }

    private Component[] readScanHeader() {
        int segLen = u16(pos);
        int p = pos + 2;
        int end = pos + segLen;
        if (end > len) {
            throw corrupt("scan header is truncated");
        }
        int ns = u8(p, end);
        if (ns < 1 || ns > comps.length || segLen != 6 + 2 * ns) {
            throw corrupt("scan header with " + ns + " components, length " + segLen);
        }
        Component[] scan = new Component[ns];
        for (int i = 0; i < ns; i++) {
            int id = d[p + 1 + 2 * i] & 0xff;
            int tables = d[p + 2 + 2 * i] & 0xff;
            Component c = null;
            for (Component k : comps) {
                if (k.id == id) {
                    c = k;
                }
            }
            if (c == null) {
                throw corrupt("scan names component " + id + ", not in the frame");
            }
            c.dc = dcTables[(tables >> 4) & 3];
            c.ac = acTables[tables & 3];
            scan[i] = c;
        }
        int at = p + 1 + 2 * ns;
        ss = d[at] & 0xff;
        se = d[at + 1] & 0xff;
        ah = (d[at + 2] & 0xff) >> 4;
        al = d[at + 2] & 15;
        if (progressive) {
            boolean dcScan = ss == 0;
            if (dcScan && se != 0 || !dcScan && (se < ss || se > 63 || ns != 1) || al > 13) {
                throw corrupt("progressive scan Ss=" + ss + " Se=" + se + " Ah=" + ah + " Al=" + al);
            }
        } else if (ss != 0 || se != 63 || ah != 0 || al != 0) {
            throw corrupt("sequential scan Ss=" + ss + " Se=" + se);
        }
        boolean needDc = !progressive || ss == 0 && ah == 0;
        boolean needAc = !progressive || ss > 0;
        for (Component c : scan) {
            if (needDc && c.dc == null || needAc && c.ac == null) {
                throw corrupt("scan of component " + c.id + " uses an undefined Huffman table");
            }
            if (quant[c.tq] == null) {
                throw corrupt("component " + c.id + " uses undefined quantisation table " + c.tq);
            }
        }
        pos = end;
        bits.reset(pos);
        for (Component c : comps) {
            c.dcPred = 0;
        }
        eobrun = 0;
        return scan;
    }

    private int ss;
    private int se;
    private int ah;
    private int al;

    // ---- entropy decoding ----

    private void sequential(Component[] scan, Output out) {
        boolean single = scan.length == 1;
        int rows = single ? scan[0].bh : mcusY;
        int cols = single ? scan[0].bw : mcusX;
        int restartsLeft = restartInterval;
        for (int m = 0; m < rows; m++) {
            checkpoint.run();
            int slot = m & 1;
            for (int x = 0; x < cols; x++) {
                if (restartInterval > 0) {
                    if (restartsLeft == 0) {
                        restart();
                        restartsLeft = restartInterval;
                    }
                    restartsLeft--;
                }
                for (Component c : scan) {
                    int hs = single ? 1 : c.h;
                    int vs = single ? 1 : c.v;
                    for (int by = 0; by < vs; by++) {
                        for (int bx = 0; bx < hs; bx++) {
                            decodeBaselineBlock(c);
                            idct.block(block, 0, quant[c.tq], c.n, c.planes[slot],
                                    by * c.n * c.stride + (x * hs + bx) * c.n, c.stride);
                        }
                    }
                }
            }
            if (m > 0) {
                out.emit(m - 1);
                if (out.done()) {
                    return;
                }
            }
        }
        bits.checkConsumed();
        out.emit(rows - 1);
        out.finish();
    }

    private void restart() {
        pos = bits.position();
        // The bit reader stops at markers; skip what libjpeg would call extraneous bytes up to the RSTn.
        while (pos + 1 < len && !((d[pos] & 0xff) == 0xff && (d[pos + 1] & 0xff) != 0 && (d[pos + 1] & 0xff) != 0xff)) {
            pos++;
        }
        if (pos + 1 < len && (d[pos + 1] & 0xf8) == 0xd0) {
            pos += 2;
        } else {
            throw corrupt("expected a restart marker at byte " + pos);
        }
        bits.reset(pos);
        for (Component c : comps) {
            c.dcPred = 0;
        }
        eobrun = 0;
    }

    private void decodeBaselineBlock(Component c) {
        short[] b = block;
        Arrays.fill(b, (short) 0);
        JpegBits in = bits;
        int t = in.decode(c.dc);
        int diff = t == 0 ? 0 : JpegBits.extend(in.bits(t), t);
        c.dcPred += diff;
        b[0] = (short) c.dcPred;
        JpegHuffman ac = c.ac;
        for (int k = 1; k < 64; ) {
            int rs = in.decode(ac);
            int r = rs >> 4;
            int s = rs & 15;
            if (s == 0) {
                if (r != 15) {
                    break;
                }
                k += 16;
                continue;
            }
            k += r;
            if (k > 63) {
                throw corrupt("AC coefficient index " + k + " past 63");
            }
            b[ZIGZAG[k]] = (short) JpegBits.extend(in.bits(s), s);
            k++;
        }
    }

    private void startBuffered() {
        buffered = true;
        long total = 0;
        for (Component c : comps) {
            total += (long) c.bwPad * c.bhPad * 64 * 2;
        }
        long budget = Runtime.getRuntime().maxMemory() / 3;
        if (total > budget) {
            throw new Unsupported("multi-scan JPEG needs " + total + " bytes of coefficients, over " + budget);
        }
        for (Component c : comps) {
            c.coefs = new short[c.bwPad * c.bhPad * 64];
        }
    }

    private void bufferedScan(Component[] scan) {
        int restartsLeft = restartInterval;
        if (scan.length == 1) {
            Component c = scan[0];
            for (int by = 0; by < c.bh; by++) {
                checkpoint.run();
                for (int bx = 0; bx < c.bw; bx++) {
                    if (restartInterval > 0) {
                        if (restartsLeft == 0) {
                            restart();
                            restartsLeft = restartInterval;
                        }
                        restartsLeft--;
                    }
                    progressiveBlock(c, (by * c.bwPad + bx) * 64);
                }
            }
        } else {
            for (int my = 0; my < mcusY; my++) {
                checkpoint.run();
                for (int mx = 0; mx < mcusX; mx++) {
                    if (restartInterval > 0) {
                        if (restartsLeft == 0) {
                            restart();
                            restartsLeft = restartInterval;
                        }
                        restartsLeft--;
                    }
                    for (Component c : scan) {
                        for (int v = 0; v < c.v; v++) {
                            for (int h = 0; h < c.h; h++) {
                                progressiveBlock(c, ((my * c.v + v) * c.bwPad + mx * c.h + h) * 64);
                            }
                        }
                    }
                }
            }
        }
        bits.checkConsumed();
        pos = bits.position();
    }

    private void progressiveBlock(Component c, int off) {
        short[] coefs = c.coefs;
        JpegBits in = bits;
        if (!progressive) {
            decodeBaselineBlock(c);
            System.arraycopy(block, 0, coefs, off, 64);
            return;
        }
        if (ss == 0) {
            if (ah == 0) {
                int t = in.decode(c.dc);
                int diff = t == 0 ? 0 : JpegBits.extend(in.bits(t), t);
                c.dcPred += diff;
                coefs[off] = (short) (c.dcPred * (1 << al));
            } else if (in.bits(1) != 0) {
                coefs[off] |= (short) (1 << al);
            }
            return;
        }
        JpegHuffman ac = c.ac;
        if (ah == 0) {
            if (eobrun > 0) {
                eobrun--;
                return;
            }
            for (int k = ss; k <= se; ) {
                int rs = in.decode(ac);
                int r = rs >> 4;
                int s = rs & 15;
                if (s == 0) {
                    if (r < 15) {
                        eobrun = (1 << r) - 1;
                        if (r > 0) {
                            eobrun += in.bits(r);
                        }
                        break;
                    }
                    k += 16;
                    continue;
                }
                k += r;
                if (k > 63) {
                    throw corrupt("AC coefficient index " + k + " past 63");
                }
                coefs[off + ZIGZAG[k]] = (short) (JpegBits.extend(in.bits(s), s) * (1 << al));
                k++;
            }
            return;
        }
        int p1 = 1 << al;
        int m1 = -1 << al;
        int k = ss;
        if (eobrun == 0) {
            for (; k <= se; k++) {
                int rs = in.decode(ac);
                int r = rs >> 4;
                int s = rs & 15;
                int val = 0;
                if (s != 0) {
                    if (s != 1) {
                        throw corrupt("refinement coefficient of size " + s + ", expected 1");
                    }
                    val = in.bits(1) != 0 ? p1 : m1;
                } else if (r != 15) {
                    eobrun = 1 << r;
                    if (r > 0) {
                        eobrun += in.bits(r);
                    }
                    break;
                }
                while (k <= se) {
                    int z = off + ZIGZAG[k];
                    if (coefs[z] != 0) {
                        refine(coefs, z, p1, m1);
                    } else {
                        if (r == 0) {
                            if (val != 0) {
                                coefs[z] = (short) val;
                            }
                            break;
                        }
                        r--;
                    }
                    k++;
                }
            }
        }
        if (eobrun > 0) {
            for (; k <= se; k++) {
                int z = off + ZIGZAG[k];
                if (coefs[z] != 0) {
                    refine(coefs, z, p1, m1);
                }
            }
            eobrun--;
        }
    }

    private void refine(short[] coefs, int z, int p1, int m1) {
        if (bits.bits(1) != 0 && (coefs[z] & p1) == 0) {
            coefs[z] += (short) (coefs[z] >= 0 ? p1 : m1);
        }
    }

    // ---- output: IDCT sizes, upsampling, colour ----

    private void prepareOutput(int nMin) {
        for (Component c : comps) {
            int n = nMin;
            while (n < 8 && (hmax * nMin) % (c.h * n * 2) == 0 && (vmax * nMin) % (c.v * n * 2) == 0) {
                n *= 2;
            }
            c.n = n;
            c.uh = hmax * nMin / (c.h * n);
            c.uv = vmax * nMin / (c.v * n);
            c.realW = ceilDiv(width * c.h * n, hmax * 8);
            c.realH = ceilDiv(height * c.v * n, vmax * 8);
            c.stride = c.bwPad * n;
            c.planes[0] = new byte[c.stride * c.v * n];
            c.planes[1] = new byte[c.stride * c.v * n];
            c.above = new byte[c.stride];
        }
    }

    /** Turns MCU rows of component planes into output rows. */
    private final class Output {
        private final int nMin;
        private final Rect region;
        private final RowSink sink;
        private final int outW;
        private final int rowsPerMcu;
        private final int[] argb;
        private final int[][] samples;
        private final int[] colsum;
        private int y;

        Output(int nMin, Rect region, RowSink sink) {
            this.nMin = nMin;
            this.region = region;
            this.sink = sink;
            this.outW = ceilDiv(width * nMin, 8);
            this.rowsPerMcu = (comps.length == 1 ? 1 : vmax) * nMin;
            this.argb = new int[outW];
            this.samples = new int[comps.length][outW + 2];
            this.colsum = new int[outW + 2];
        }

        boolean done() {
            return y >= region.y() + region.height();
        }

        /** Buffered mode: transform MCU row {@code m + 1} (look-ahead), then emit row {@code m}. */
        void mcuRow(int m) {
            if (m == 0) {
                transform(0);
            }
            if (m + 1 < mcusY) {
                transform(m + 1);
            }
            emit(m);
        }

        private void transform(int m) {
            int slot = m & 1;
            for (Component c : comps) {
                int vs = comps.length == 1 ? 1 : c.v;
                int hs = comps.length == 1 ? 1 : c.h;
                int blockRows = comps.length == 1 ? 1 : vs;
                for (int by = 0; by < blockRows; by++) {
                    int row = m * vs + by;
                    for (int bx = 0; bx < (comps.length == 1 ? c.bw : mcusX * hs); bx++) {
                        idct.block(c.coefs, (row * c.bwPad + bx) * 64, quant[c.tq], c.n, c.planes[slot],
                                by * c.n * c.stride + bx * c.n, c.stride);
                    }
                }
            }
        }

        /** Emits the output rows of MCU row {@code m}; MCU row {@code m + 1} (if any) is in the other slot. */
        void emit(int m) {
            int slot = m & 1;
            int last = region.y() + region.height();
            for (int i = 0; i < rowsPerMcu; i++) {
                int oy = m * rowsPerMcu + i;
                if (oy >= last || oy >= ceilDiv(height * nMin, 8)) {
                    break;
                }
                if (oy < region.y()) {
                    continue;
                }
                for (int ci = 0; ci < comps.length; ci++) {
                    componentRow(comps[ci], slot, m, i, samples[ci]);
                }
                convert();
                sink.row(argb, region.x());
                y = oy + 1;
            }
            // Keep the last plane row of this MCU row as the context above the next one.
            for (Component c : comps) {
                int rowsInPlane = (comps.length == 1 ? 1 : c.v) * c.n;
                System.arraycopy(c.planes[slot], (rowsInPlane - 1) * c.stride, c.above, 0, c.stride);
            }
        }

        void finish() {
            if (y < region.y() + region.height()) {
                throw corrupt("image ended at row " + y + " of " + (region.y() + region.height()));
            }
        }

        /** Output row {@code i} of MCU row {@code m} for component {@code c}, upsampled to {@code outW}. */
        private void componentRow(Component c, int slot, int m, int i, int[] dst) {
            byte[] plane = c.planes[slot];
            int rowsInPlane = (comps.length == 1 ? 1 : c.v) * c.n;
            int w = c.realW;
            if (c.uv == 1) {
                int at = i * c.stride;
                if (c.uh == 1) {
                    for (int x = 0; x < outW; x++) {
                        dst[x] = plane[at + x] & 0xff;
                    }
                } else {
                    h2v1(plane, at, w, dst);
                }
                return;
            }
            int r = i >> 1;
            int globalRow = m * rowsInPlane + r;
            int at = r * c.stride;
            byte[] farPlane;
            int farAt;
            if ((i & 1) == 0) {
                if (globalRow == 0) {
                    farPlane = plane;
                    farAt = at;
                } else if (r == 0) {
                    farPlane = c.above;
                    farAt = 0;
                } else {
                    farPlane = plane;
                    farAt = at - c.stride;
                }
            } else if (globalRow + 1 >= c.realH) {
                farPlane = plane;
                farAt = at;
            } else if (r + 1 == rowsInPlane) {
                farPlane = c.planes[slot ^ 1];
                farAt = 0;
            } else {
                farPlane = plane;
                farAt = at + c.stride;
            }
            int[] cs = colsum;
            for (int x = 0; x < w; x++) {
                cs[x] = (plane[at + x] & 0xff) * 3 + (farPlane[farAt + x] & 0xff);
            }
            if (c.uh == 1) {
                int bias = (i & 1) == 0 ? 1 : 2;
                for (int x = 0; x < outW; x++) {
                    dst[x] = (cs[x] + bias) >> 2;
                }
                return;
            }
            // h2v2 "fancy": 3/4 nearer, 1/4 further column of the vertically filtered sums.
            if (w == 1) {
                dst[0] = (cs[0] * 4 + 8) >> 4;
                if (outW > 1) {
                    dst[1] = (cs[0] * 4 + 7) >> 4;
                }
                return;
            }
            int o = 0;
            for (int x = 0; x < w && o < outW; x++) {
                int left = x == 0 ? cs[0] : cs[x - 1];
                int right = x == w - 1 ? cs[x] : cs[x + 1];
                dst[o++] = x == 0 ? (cs[0] * 4 + 8) >> 4 : (cs[x] * 3 + left + 8) >> 4;
                if (o < outW) {
                    dst[o++] = x == w - 1 ? (cs[x] * 4 + 7) >> 4 : (cs[x] * 3 + right + 7) >> 4;
                }
            }
        }

        private void h2v1(byte[] plane, int at, int w, int[] dst) {
            if (w == 1) {
                dst[0] = plane[at] & 0xff;
                if (outW > 1) {
                    dst[1] = dst[0];
                }
                return;
            }
            int o = 0;
            for (int x = 0; x < w && o < outW; x++) {
                int here = (plane[at + x] & 0xff) * 3;
                dst[o++] = x == 0 ? plane[at] & 0xff : (here + (plane[at + x - 1] & 0xff) + 1) >> 2;
                if (o < outW) {
                    dst[o++] = x == w - 1 ? plane[at + x] & 0xff : (here + (plane[at + x + 1] & 0xff) + 2) >> 2;
                }
            }
        }

        private void convert() {
            int x0 = region.x();
            int x1 = x0 + region.width();
            int[] out = argb;
            if (colorSpace == ColorSpace.GREY) {
                int[] g = samples[0];
                for (int x = x0; x < x1; x++) {
                    int v = g[x];
                    out[x] = 0xff000000 | v << 16 | v << 8 | v;
                }
                return;
            }
            int[] s0 = samples[0];
            int[] s1 = samples[1];
            int[] s2 = samples[2];
            if (colorSpace == ColorSpace.RGB) {
                for (int x = x0; x < x1; x++) {
                    out[x] = 0xff000000 | s0[x] << 16 | s1[x] << 8 | s2[x];
                }
                return;
            }
            for (int x = x0; x < x1; x++) {
                int yy = s0[x];
                int cb = s1[x];
                int cr = s2[x];
                int r = clamp(yy + CR_R[cr]);
                int g = clamp(yy + ((CB_G[cb] + CR_G[cr]) >> 16));
                int b = clamp(yy + CB_B[cb]);
                out[x] = 0xff000000 | r << 16 | g << 8 | b;
            }
        }
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static ImageDecodeException corrupt(String what) {
        return new ImageDecodeException("image: JPEG data is truncated or corrupt: " + what, null);
    }
}
