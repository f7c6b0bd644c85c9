package io.transflux.operators.image;

import static io.transflux.operators.image.ImageFixtures.golden;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fine detail is averaged, never decimated: {@code hs-vertical-1000x600.*} (ImageMagick {@code pattern:hs_vertical},
 * a 1-px black line every 8 px, see golden/image/recreate.sh) must shrink to an even grey of about 255 · 7/8 = 223
 * (vipsthumbnail gives 223.0) in every resize mode, after a crop and after a right-angle rotation. Decimation
 * keeps every n-th column and turns it white (255) or into stripes.
 */
class ImageAliasingTest {

    static final double EXPECTED_GREY = 255.0 * 7 / 8;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
        "png; image/resize,m_lfit,w_200,h_200/format,png",
        "jpg; image/resize,m_lfit,w_200,h_200/format,png",
        "png; image/resize,m_mfit,w_200,h_100/format,png",
        "jpg; image/resize,m_fill,w_160,h_160/format,png",
        "png; image/resize,m_pad,w_180,h_180,color_CCCCCC/format,png",
        "jpg; image/resize,m_fixed,w_130,h_170/format,png",
        "png; image/resize,p_21/format,png",
        "jpg; image/resize,l_125/format,png",
        "png; image/crop,x_101,y_37,w_700,h_500/resize,w_150/format,png",
        "jpg; image/crop,g_center,w_640,h_480/resize,m_fill,w_96,h_64/format,png",
        "png; image/rotate,90/resize,h_111/format,png",
        "jpg; image/auto-orient,1/rotate,270/crop,w_500,h_900/resize,m_lfit,w_70,h_70/format,png",
    })
    void onePixelLinesShrinkToEvenGreyNotWhite(String input, String spec) {
        BufferedImage out = ImageFixtures.run(spec, golden("hs-vertical-1000x600." + input)).image();
        // Skip the pad border and a 2-px edge; everything else is the line pattern.
        int[] box = content(out, spec);
        int x0 = box[0] + 2;
        int x1 = box[2] - 2;
        double[] column = new double[x1 - x0];
        int rows = 0;
        for (int y = box[1] + 2; y < box[3] - 2; y++, rows++) {
            for (int x = x0; x < x1; x++) {
                column[x - x0] += (out.getRGB(x, y) >> 8) & 0xff;
            }
        }
        assertThat(rows * column.length).isGreaterThan(100);
        double sum = 0;
        for (int i = 0; i < column.length; i++) {
            column[i] /= rows;
            sum += column[i];
        }
        double mean = sum / column.length;
        assertThat(mean).as("mean grey of %s", spec).isBetween(EXPECTED_GREY - 5, EXPECTED_GREY + 5);
        // Near the kernel's cut-off the lines beat into a fine ripple (vipsthumbnail and ImageMagick ripple the
        // same way); averaged over any 8 output columns it is grey. Decimation leaves white or dark bands.
        for (int i = 0; i + 8 <= column.length; i++) {
            double window = 0;
            for (int k = i; k < i + 8; k++) {
                window += column[k];
            }
            assertThat(window / 8).as("columns %d..%d of %s", i + x0, i + x0 + 7, spec)
                    .isBetween(EXPECTED_GREY - 10, EXPECTED_GREY + 10);
        }
    }

    /** The area covered by the scaled picture: the whole image, or the centred part of a pad canvas. */
    private static int[] content(BufferedImage out, String spec) {
        int w = out.getWidth();
        int h = out.getHeight();
        if (!spec.contains("m_pad")) {
            return new int[] {0, 0, w, h};
        }
        // 1000x600 into 180x180: 180x108 centred vertically.
        int sh = 108;
        int y0 = (h - sh) / 2;
        return new int[] {0, y0, w, y0 + sh};
    }
}
