package io.transflux.operators.image;

/**
 * Inverse DCTs for {@link JpegDecoder}, writing 8-bit samples. At full size the integer "slow" algorithm of the IJG
 * libjpeg family (Loeffler–Ligtenberg–Moschytz, 13-bit constants, two passes), so pixels agree with {@code djpeg};
 * scaled to N × N (N = 4, 2, 1) the IJG "reduced" transforms, the same arithmetic as libjpeg-turbo's and so as
 * libvips's shrink-on-load: DCT-domain downscaling, no full-size transform is ever computed.
 */
final class JpegIdct {

    private static final int CONST_BITS = 13;
    private static final int PASS1_BITS = 2;
    private static final int FIX_0_298631336 = 2446;
    private static final int FIX_0_390180644 = 3196;
    private static final int FIX_0_541196100 = 4433;
    private static final int FIX_0_765366865 = 6270;
    private static final int FIX_0_899976223 = 7373;
    private static final int FIX_1_175875602 = 9633;
    private static final int FIX_1_501321110 = 12299;
    private static final int FIX_1_847759065 = 15137;
    private static final int FIX_1_961570560 = 16069;
    private static final int FIX_2_053119869 = 16819;
    private static final int FIX_2_562915447 = 20995;
    private static final int FIX_3_072711026 = 25172;

    private final int[] workspace = new int[64];

    /**
     * Transforms one block. {@code coef} holds 64 quantised coefficients in natural (row-major) order at
     * {@code coefOff}; {@code q} the quantisation table in natural order. Writes {@code n × n} samples to
     * {@code out[outOff + y * stride + x]}.
     */
    void block(short[] coef, int coefOff, int[] q, int n, byte[] out, int outOff, int stride) {
        switch (n) {
            case 8 -> islow(coef, coefOff, q, out, outOff, stride);
            case 1 -> out[outOff] = (byte) clamp(descale(coef[coefOff] * q[0], 3) + 128);
            case 4 -> idct4(coef, coefOff, q, out, outOff, stride);
            default -> idct2(coef, coefOff, q, out, outOff, stride);
        }
    }

    private static final int FIX_0_211164243 = 1730;
    private static final int FIX_0_509795579 = 4176;
    private static final int FIX_0_601344887 = 4926;
    private static final int FIX_0_720959822 = 5906;
    private static final int FIX_0_850430095 = 6967;
    private static final int FIX_1_061594337 = 8697;
    private static final int FIX_1_272758580 = 10426;
    private static final int FIX_1_451774981 = 11893;
    private static final int FIX_2_172734803 = 17799;
    private static final int FIX_3_624509785 = 29692;

    /**
     * 4 × 4 output from the coefficients of rows and columns 0–3 and 5–7 (the "reduced" transform of IJG libjpeg,
     * which libjpeg-turbo and so libvips's shrink-on-load use at 1/2): its outputs are the 8-point IDCT sampled at
     * the centres of pixel pairs, so they keep more detail than a truncated 4-point transform.
     */
    private void idct4(short[] coef, int off, int[] q, byte[] out, int outOff, int stride) {
        int[] ws = workspace;
        for (int c = 0; c < 8; c++) {
            if (c == 4) {
                continue;
            }
            int i = off + c;
            if (coef[i + 8] == 0 && coef[i + 16] == 0 && coef[i + 24] == 0 && coef[i + 40] == 0
                    && coef[i + 48] == 0 && coef[i + 56] == 0) {
                int dc = coef[i] * q[c] << PASS1_BITS;
                ws[c] = dc;
                ws[8 + c] = dc;
                ws[16 + c] = dc;
                ws[24 + c] = dc;
                continue;
            }
            int tmp0 = (coef[i] * q[c]) << (CONST_BITS + 1);
            int tmp2 = coef[i + 16] * q[c + 16] * FIX_1_847759065 + coef[i + 48] * q[c + 48] * -FIX_0_765366865;
            int tmp10 = tmp0 + tmp2;
            int tmp12 = tmp0 - tmp2;
            int z1 = coef[i + 56] * q[c + 56];
            int z2 = coef[i + 40] * q[c + 40];
            int z3 = coef[i + 24] * q[c + 24];
            int z4 = coef[i + 8] * q[c + 8];
            tmp0 = z1 * -FIX_0_211164243 + z2 * FIX_1_451774981 + z3 * -FIX_2_172734803 + z4 * FIX_1_061594337;
            tmp2 = z1 * -FIX_0_509795579 + z2 * -FIX_0_601344887 + z3 * FIX_0_899976223 + z4 * FIX_2_562915447;
            int shift = CONST_BITS - PASS1_BITS + 1;
            ws[c] = descale(tmp10 + tmp2, shift);
            ws[24 + c] = descale(tmp10 - tmp2, shift);
            ws[8 + c] = descale(tmp12 + tmp0, shift);
            ws[16 + c] = descale(tmp12 - tmp0, shift);
        }
        int shift = CONST_BITS + PASS1_BITS + 3 + 1;
        for (int r = 0; r < 4; r++) {
            int w = r * 8;
            int o = outOff + r * stride;
            int tmp0 = ws[w] << (CONST_BITS + 1);
            int tmp2 = ws[w + 2] * FIX_1_847759065 + ws[w + 6] * -FIX_0_765366865;
            int tmp10 = tmp0 + tmp2;
            int tmp12 = tmp0 - tmp2;
            int z1 = ws[w + 7];
            int z2 = ws[w + 5];
            int z3 = ws[w + 3];
            int z4 = ws[w + 1];
            tmp0 = z1 * -FIX_0_211164243 + z2 * FIX_1_451774981 + z3 * -FIX_2_172734803 + z4 * FIX_1_061594337;
            tmp2 = z1 * -FIX_0_509795579 + z2 * -FIX_0_601344887 + z3 * FIX_0_899976223 + z4 * FIX_2_562915447;
            out[o] = (byte) clamp(descale(tmp10 + tmp2, shift) + 128);
            out[o + 3] = (byte) clamp(descale(tmp10 - tmp2, shift) + 128);
            out[o + 1] = (byte) clamp(descale(tmp12 + tmp0, shift) + 128);
            out[o + 2] = (byte) clamp(descale(tmp12 - tmp0, shift) + 128);
        }
    }

    /** 2 × 2 output from the coefficients of rows and columns 0, 1, 3, 5, 7 (IJG's reduced transform, 1/4). */
    private void idct2(short[] coef, int off, int[] q, byte[] out, int outOff, int stride) {
        int[] ws = workspace;
        for (int c = 0; c < 8; c++) {
            if (c == 2 || c == 4 || c == 6) {
                continue;
            }
            int i = off + c;
            if (coef[i + 8] == 0 && coef[i + 24] == 0 && coef[i + 40] == 0 && coef[i + 56] == 0) {
                int dc = coef[i] * q[c] << PASS1_BITS;
                ws[c] = dc;
                ws[8 + c] = dc;
                continue;
            }
            int tmp10 = (coef[i] * q[c]) << (CONST_BITS + 2);
            int tmp0 = coef[i + 56] * q[c + 56] * -FIX_0_720959822 + coef[i + 40] * q[c + 40] * FIX_0_850430095
                    + coef[i + 24] * q[c + 24] * -FIX_1_272758580 + coef[i + 8] * q[c + 8] * FIX_3_624509785;
            int shift = CONST_BITS - PASS1_BITS + 2;
            ws[c] = descale(tmp10 + tmp0, shift);
            ws[8 + c] = descale(tmp10 - tmp0, shift);
        }
        int shift = CONST_BITS + PASS1_BITS + 3 + 2;
        for (int r = 0; r < 2; r++) {
            int w = r * 8;
            int o = outOff + r * stride;
            int tmp10 = ws[w] << (CONST_BITS + 2);
            int tmp0 = ws[w + 7] * -FIX_0_720959822 + ws[w + 5] * FIX_0_850430095 + ws[w + 3] * -FIX_1_272758580
                    + ws[w + 1] * FIX_3_624509785;
            out[o] = (byte) clamp(descale(tmp10 + tmp0, shift) + 128);
            out[o + 1] = (byte) clamp(descale(tmp10 - tmp0, shift) + 128);
        }
    }

    private void islow(short[] coef, int off, int[] q, byte[] out, int outOff, int stride) {
        int[] ws = workspace;
        // Pass 1: columns, results scaled up by 2^PASS1_BITS.
        for (int c = 0; c < 8; c++) {
            int i = off + c;
            if (coef[i + 8] == 0 && coef[i + 16] == 0 && coef[i + 24] == 0 && coef[i + 32] == 0
                    && coef[i + 40] == 0 && coef[i + 48] == 0 && coef[i + 56] == 0) {
                int dc = coef[i] * q[c] << PASS1_BITS;
                for (int r = 0; r < 8; r++) {
                    ws[r * 8 + c] = dc;
                }
                continue;
            }
            int z2 = coef[i + 16] * q[c + 16];
            int z3 = coef[i + 48] * q[c + 48];
            int z1 = (z2 + z3) * FIX_0_541196100;
            int tmp2 = z1 + z3 * -FIX_1_847759065;
            int tmp3 = z1 + z2 * FIX_0_765366865;
            z2 = coef[i] * q[c];
            z3 = coef[i + 32] * q[c + 32];
            int tmp0 = (z2 + z3) << CONST_BITS;
            int tmp1 = (z2 - z3) << CONST_BITS;
            int tmp10 = tmp0 + tmp3;
            int tmp13 = tmp0 - tmp3;
            int tmp11 = tmp1 + tmp2;
            int tmp12 = tmp1 - tmp2;
            tmp0 = coef[i + 56] * q[c + 56];
            tmp1 = coef[i + 40] * q[c + 40];
            tmp2 = coef[i + 24] * q[c + 24];
            tmp3 = coef[i + 8] * q[c + 8];
            int[] odd = odd(tmp0, tmp1, tmp2, tmp3);
            int shift = CONST_BITS - PASS1_BITS;
            ws[c] = descale(tmp10 + odd[3], shift);
            ws[56 + c] = descale(tmp10 - odd[3], shift);
            ws[8 + c] = descale(tmp11 + odd[2], shift);
            ws[48 + c] = descale(tmp11 - odd[2], shift);
            ws[16 + c] = descale(tmp12 + odd[1], shift);
            ws[40 + c] = descale(tmp12 - odd[1], shift);
            ws[24 + c] = descale(tmp13 + odd[0], shift);
            ws[32 + c] = descale(tmp13 - odd[0], shift);
        }
        // Pass 2: rows, removing PASS1_BITS and the factor 8 of the 2-D transform.
        int shift = CONST_BITS + PASS1_BITS + 3;
        for (int r = 0; r < 8; r++) {
            int w = r * 8;
            int o = outOff + r * stride;
            int z2 = ws[w + 2];
            int z3 = ws[w + 6];
            int z1 = (z2 + z3) * FIX_0_541196100;
            int tmp2 = z1 + z3 * -FIX_1_847759065;
            int tmp3 = z1 + z2 * FIX_0_765366865;
            int tmp0 = (ws[w] + ws[w + 4]) << CONST_BITS;
            int tmp1 = (ws[w] - ws[w + 4]) << CONST_BITS;
            int tmp10 = tmp0 + tmp3;
            int tmp13 = tmp0 - tmp3;
            int tmp11 = tmp1 + tmp2;
            int tmp12 = tmp1 - tmp2;
            int[] odd = odd(ws[w + 7], ws[w + 5], ws[w + 3], ws[w + 1]);
            out[o] = (byte) clamp(descale(tmp10 + odd[3], shift) + 128);
            out[o + 7] = (byte) clamp(descale(tmp10 - odd[3], shift) + 128);
            out[o + 1] = (byte) clamp(descale(tmp11 + odd[2], shift) + 128);
            out[o + 6] = (byte) clamp(descale(tmp11 - odd[2], shift) + 128);
            out[o + 2] = (byte) clamp(descale(tmp12 + odd[1], shift) + 128);
            out[o + 5] = (byte) clamp(descale(tmp12 - odd[1], shift) + 128);
            out[o + 3] = (byte) clamp(descale(tmp13 + odd[0], shift) + 128);
            out[o + 4] = (byte) clamp(descale(tmp13 - odd[0], shift) + 128);
        }
    }

    private final int[] oddTerms = new int[4];

    /** The odd part from inputs 7, 5, 3, 1; returns {tmp0, tmp1, tmp2, tmp3} (reused array). */
    private int[] odd(int tmp0, int tmp1, int tmp2, int tmp3) {
        int z1 = tmp0 + tmp3;
        int z2 = tmp1 + tmp2;
        int z3 = tmp0 + tmp2;
        int z4 = tmp1 + tmp3;
        int z5 = (z3 + z4) * FIX_1_175875602;
        tmp0 *= FIX_0_298631336;
        tmp1 *= FIX_2_053119869;
        tmp2 *= FIX_3_072711026;
        tmp3 *= FIX_1_501321110;
        z1 *= -FIX_0_899976223;
        z2 *= -FIX_2_562915447;
        z3 *= -FIX_1_961570560;
        z4 *= -FIX_0_390180644;
        z3 += z5;
        z4 += z5;
        int[] o = oddTerms;
        o[0] = tmp0 + z1 + z3;
        o[1] = tmp1 + z2 + z4;
        o[2] = tmp2 + z2 + z3;
        o[3] = tmp3 + z1 + z4;
        return o;
    }

    private static int descale(int x, int n) {
        return (x + (1 << (n - 1))) >> n;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }
}
