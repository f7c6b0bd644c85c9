package io.transflux.operators.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.transflux.operators.image.ImageGeometry.Rect;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link JpegDecoder} against {@code djpeg} (libjpeg-turbo): at full scale every pixel within ±1 per channel, for
 * baseline and progressive, every sampling, restart markers, greyscale and RGB JPEGs made by {@code cjpeg} from one
 * seeded picture ({@code jpeg/make-jpeg-set.sh}, run here; Debian packages imagemagick and libjpeg-turbo-progs are
 * required and their absence fails the test). Scaled decodes stay near the box average of the full decode (PSNR > 28 dB on this 1-px line
 * content; DCT truncation is not a box filter, so high frequencies differ).
 */
class JpegDecoderTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeTheSet() throws IOException, InterruptedException {
        io.transflux.testing.ExternalTools.require("imagemagick libjpeg-turbo-progs", "convert", "cjpeg", "djpeg");
        Path script = dir.resolve("make-jpeg-set.sh");
        try (InputStream in = JpegDecoderTest.class.getResourceAsStream("/jpeg/make-jpeg-set.sh")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder("bash", script.toString(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("make-jpeg-set.sh (needs imagemagick, libjpeg-turbo-progs): %s", out)
                .isZero();
    }

    static Stream<String> decodable() {
        return Stream.of("base-1x1", "base-2x1", "base-2x2", "base-1x2", "prog-1x1", "prog-2x1", "prog-2x2",
                "prog-1x2", "restart-1x1", "restart-2x1", "restart-2x2", "restart-1x2", "prog-restart", "grey",
                "grey-prog", "rgb", "optimized");
    }

    @ParameterizedTest
    @MethodSource("decodable")
    void fullScaleMatchesDjpegWithinOne(String name) throws IOException {
        byte[] jpg = Files.readAllBytes(dir.resolve(name + ".jpg"));
        int[][] ref = pnm(Files.readAllBytes(dir.resolve(name + ".djpeg.pnm")));
        int w = ref[0][0];
        int h = ref[0][1];
        int[] ours = decode(jpg, 1);
        assertThat(ours.length).isEqualTo(w * h);
        int worst = 0;
        int off = 0;
        for (int i = 0; i < w * h; i++) {
            for (int shift = 16; shift >= 0; shift -= 8) {
                int a = (ours[i] >> shift) & 0xff;
                int b = ref[1][off + (ref[0][2] == 1 ? 0 : (16 - shift) / 8)];
                worst = Math.max(worst, Math.abs(a - b));
            }
            off += ref[0][2];
        }
        assertThat(worst).as("largest difference from djpeg in %s", name).isLessThanOrEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("decodable")
    void scaledDecodesKeepTheBlockMeans(String name) throws IOException {
        byte[] jpg = Files.readAllBytes(dir.resolve(name + ".jpg"));
        int[] full = decode(jpg, 1);
        for (int scale : new int[] {2, 4, 8}) {
            int[] small = decode(jpg, scale);
            int sw = JpegDecoder.scaled(203, scale);
            int sh = JpegDecoder.scaled(117, scale);
            assertThat(small.length).isEqualTo(sw * sh);
            // Compare block means of the inner area (whole scale x scale blocks) with the scaled pixels.
            double se = 0;
            int n = 0;
            for (int y = 0; y < 117 / scale; y++) {
                for (int x = 0; x < 203 / scale; x++) {
                    int sum = 0;
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            sum += (full[(y * scale + dy) * 203 + x * scale + dx] >> 8) & 0xff;
                        }
                    }
                    double d = sum / (double) (scale * scale) - ((small[y * sw + x] >> 8) & 0xff);
                    se += d * d;
                    n++;
                }
            }
            double psnr = 10 * Math.log10(255.0 * 255 / (se / n));
            assertThat(psnr).as("%s at 1/%d against box-averaged full decode", name, scale).isGreaterThan(28);
        }
    }

    @Test
    void cropsAreDecodedAsTheSameRowsAndColumns() throws IOException {
        byte[] jpg = Files.readAllBytes(dir.resolve("prog-2x2.jpg"));
        int[] full = decode(jpg, 1);
        JpegDecoder dec = new JpegDecoder(jpg, jpg.length);
        dec.readHeader();
        Rect r = new Rect(37, 21, 101, 55);
        AreaReducer reducer = new AreaReducer(r.width(), r.height(), 1, 1, false);
        dec.decode(1, r, reducer::row);
        int[] crop = reducer.result().argb;
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                assertThat(crop[y * r.width() + x]).isEqualTo(full[(y + r.y()) * 203 + x + r.x()]);
            }
        }
    }

    @Test
    void arithmeticCodingAndCmykAreLeftToImageIo() throws IOException {
        byte[] arithmetic = Files.readAllBytes(dir.resolve("arithmetic.jpg"));
        assertThatThrownBy(() -> new JpegDecoder(arithmetic, arithmetic.length).readHeader())
                .isInstanceOf(JpegDecoder.Unsupported.class).hasMessageContaining("arithmetic");
        byte[] cmyk = ImageFixtures.golden("cmyk-24x16.jpg");
        assertThatThrownBy(() -> new JpegDecoder(cmyk, cmyk.length).readHeader())
                .isInstanceOf(JpegDecoder.Unsupported.class).hasMessageContaining("4 components");
    }

    @Test
    void theImageStageTakesTheImageIoPathForRefusedFormsAndOursOtherwise() throws IOException {
        byte[] arithmetic = Files.readAllBytes(dir.resolve("arithmetic.jpg"));
        byte[] baseline = Files.readAllBytes(dir.resolve("base-2x2.jpg"));
        byte[] cmyk = ImageFixtures.golden("cmyk-24x16.jpg");
        String spec = "image/resize,w_101/format,png";
        int before = ImageJob.JPEG_DECODES.get();
        // The JDK's own libjpeg decodes arithmetic coding on Debian's JDK 17 but refuses it on Temurin 25 ("legal
        // restrictions on arithmetic coding"): either way the ImageIO path is taken, and a refusal is typed.
        java.awt.image.BufferedImage viaImageIo = null;
        try {
            viaImageIo = ImageFixtures.run(spec, arithmetic).image();
            assertThat(viaImageIo.getWidth()).isEqualTo(101);
        } catch (ImageDecodeException refused) {
            assertThat(refused).hasMessageContaining("arithmetic");
        }
        assertThat(ImageFixtures.run("image/format,png", cmyk).image().getWidth()).isEqualTo(24);
        assertThat(ImageJob.JPEG_DECODES.get()).as("fallbacks decoded by ImageIO").isEqualTo(before);
        java.awt.image.BufferedImage ours = ImageFixtures.run(spec, baseline).image();
        assertThat(ImageJob.JPEG_DECODES.get()).as("baseline decoded by JpegDecoder").isEqualTo(before + 1);
        if (viaImageIo != null) {
            // Both paths give the same picture (arithmetic coding is lossless over the same coefficients).
            assertThat(ImageQualityTest.psnr(ours, viaImageIo)).isGreaterThan(45);
        }
    }

    static int[] decode(byte[] jpg, int scale) {
        JpegDecoder dec = new JpegDecoder(jpg, jpg.length);
        dec.readHeader();
        int w = JpegDecoder.scaled(dec.width, scale);
        int h = JpegDecoder.scaled(dec.height, scale);
        AreaReducer reducer = new AreaReducer(w, h, 1, 1, false);
        dec.decode(scale, new Rect(0, 0, w, h), reducer::row);
        return reducer.result().argb;
    }

    /** Binary PGM/PPM: {{width, height, channels}, samples}. */
    static int[][] pnm(byte[] b) {
        int[] pos = {0};
        String magic = token(b, pos);
        int w = Integer.parseInt(token(b, pos));
        int h = Integer.parseInt(token(b, pos));
        token(b, pos);
        pos[0]++;
        int ch = magic.equals("P6") ? 3 : 1;
        int[] s = new int[w * h * ch];
        for (int i = 0; i < s.length; i++) {
            s[i] = b[pos[0] + i] & 0xff;
        }
        return new int[][] {{w, h, ch}, s};
    }

    private static String token(byte[] b, int[] pos) {
        while (Character.isWhitespace(b[pos[0]])) {
            pos[0]++;
        }
        int start = pos[0];
        while (!Character.isWhitespace(b[pos[0]])) {
            pos[0]++;
        }
        return new String(b, start, pos[0] - start, StandardCharsets.US_ASCII);
    }

    static List<String> unused() {
        return List.of();
    }
}
