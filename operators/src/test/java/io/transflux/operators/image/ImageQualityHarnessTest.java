package io.transflux.operators.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import io.transflux.operators.image.ImageAction.Resize;
import io.transflux.operators.image.ImageAction.ResizeMode;
import io.transflux.operators.image.ImageGeometry.Placement;
import io.transflux.operators.image.ImageGeometry.Size;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Quality against libvips on a seeded set made by ImageMagick ({@code quality/make-quality-set.sh}: photo-like
 * plasma, colour noise, {@code hs_vertical}, {@code hs_horizontal}, {@code hs_diagcross}, checkerboard, text; each
 * as PNG and as 4:2:0 JPEG). Every picture is resized by 1/1.5 to 1/8 in {@code m_lfit}, {@code m_fill} and
 * {@code m_pad} to lossless PNG, and the scaled pixels are compared with {@code vipsthumbnail} at exactly the same
 * scaled size ({@code -s WxH!}). Target: PSNR ≥ 35 dB; where ImageMagick's own {@code -resize} scores under 36 dB
 * against vips (the references disagree among themselves), no more than 1 dB below ImageMagick.
 *
 * <p>The tools run here, at test time: Debian packages {@code imagemagick}, {@code libvips-tools} and
 * {@code fonts-dejavu-core} are required, and their absence fails the test (CI installs them in {@code .ci/run}).
 */
class ImageQualityHarnessTest {

    static final double MIN_PSNR_DB = 35.0;
    static final double IM_DISAGREES_DB = 36.0;
    static final double BELOW_IM_DB = 1.0;
    static final Size SOURCE = new Size(600, 400);
    static final String IM = "/usr/bin/convert";
    static final List<String> PICTURES = List.of("photo", "noise", "hs_vertical", "hs_horizontal", "hs_diagcross",
            "checkerboard", "text");
    static final double[] FACTORS = {1.5, 2, 2.9, 4, 5.3, 8};

    static Path dir;
    static final Map<String, BufferedImage> REFERENCES = new ConcurrentHashMap<>();
    static final List<String> REPORT = new ArrayList<>();

    @BeforeAll
    static void makeTheSet() throws IOException, InterruptedException {
        io.transflux.testing.ExternalTools.require("imagemagick", "convert");
        io.transflux.testing.ExternalTools.require("libvips-tools", "vipsthumbnail");
        dir = Files.createTempDirectory("transflux-quality");
        Path script = dir.resolve("make-quality-set.sh");
        try (InputStream in = ImageQualityHarnessTest.class.getResourceAsStream("/quality/make-quality-set.sh")) {
            Files.write(script, in.readAllBytes());
        }
        exec(List.of("bash", script.toString(), dir.toString()));
    }

    @AfterAll
    static void report() throws IOException {
        REPORT.sort(null);
        System.out.println("PSNR vs vipsthumbnail (case: ours / ImageMagick -resize)");
        REPORT.forEach(System.out::println);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String picture : PICTURES) {
            for (String ext : List.of("png", "jpg")) {
                for (double f : FACTORS) {
                    for (ResizeMode mode : List.of(ResizeMode.LFIT, ResizeMode.FILL, ResizeMode.PAD)) {
                        all.add(Arguments.of(picture + "." + ext, f, mode));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} 1/{1} {2}")
    @MethodSource("cases")
    void resizeIsWithinThePsnrTargetOfVipsthumbnail(String input, double factor, ResizeMode mode)
            throws IOException, InterruptedException {
        // Boxes chosen so the scale is 1/factor in each mode: lfit and pad by the width, fill by the height.
        int side = (int) Math.round((mode == ResizeMode.FILL ? SOURCE.height() : SOURCE.width()) / factor);
        Placement p = ImageGeometry.resize(SOURCE, new Resize(mode, side, side, 0, 0, 0, true, 0xFFFFFF));
        String spec = "image/resize,m_" + mode.name().toLowerCase(Locale.ROOT) + ",w_" + side + ",h_" + side
                + "/format,png";
        BufferedImage out = ImageFixtures.run(spec, Files.readAllBytes(dir.resolve(input))).image();
        assertThat(out.getWidth()).isEqualTo(p.canvas().width());
        assertThat(out.getHeight()).isEqualTo(p.canvas().height());
        Size scaled = p.scaled();
        BufferedImage vips = reference(input, scaled, "vips");
        double ours = psnr(out, vips, p);
        String label = String.format(Locale.ROOT, "%-18s 1/%-3s %-4s %dx%d", input, factor, mode, scaled.width(),
                scaled.height());
        if (ours >= MIN_PSNR_DB) {
            synchronized (REPORT) {
                REPORT.add(String.format(Locale.ROOT, "%s: %6.2f dB", label, ours));
            }
            return;
        }
        double im = psnr(reference(input, scaled, "im"), vips, new Placement(scaled, scaled, 0, 0, false));
        synchronized (REPORT) {
            REPORT.add(String.format(Locale.ROOT, "%s: %6.2f dB / %6.2f dB", label, ours, im));
        }
        assertThat(im).as("%s: ours %.2f dB < %s dB, so ImageMagick must disagree with vips too", label, ours,
                MIN_PSNR_DB).isLessThan(IM_DISAGREES_DB);
        assertThat(ours).as("%s: within %s dB of ImageMagick's %.2f dB", label, BELOW_IM_DB, im)
                .isGreaterThanOrEqualTo(im - BELOW_IM_DB);
    }

    /** vipsthumbnail or ImageMagick {@code -resize} of {@code input} to exactly {@code size}, as lossless PNG. */
    private static BufferedImage reference(String input, Size size, String tool) {
        String key = tool + "-" + input + "-" + size;
        return REFERENCES.computeIfAbsent(key, k -> {
            Path out = dir.resolve(k.replace('.', '_') + ".png");
            String geometry = size.width() + "x" + size.height() + "!";
            List<String> cmd = tool.equals("vips")
                    ? List.of("vipsthumbnail", dir.resolve(input).toString(), "-s", geometry, "-o", out.toString())
                    : List.of(IM, dir.resolve(input).toString(), "-resize", geometry, out.toString());
            try {
                exec(cmd);
                BufferedImage img = ImageIO.read(out.toFile());
                assertThat(img.getWidth()).as(String.join(" ", cmd)).isEqualTo(size.width());
                assertThat(img.getHeight()).as(String.join(" ", cmd)).isEqualTo(size.height());
                return img;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * PSNR over RGB of the scaled picture: {@code out} is the canvas of placement {@code p} (the scaled image drawn
     * at p.x, p.y, cropped by fill, padded by pad), {@code ref} the whole scaled image.
     */
    static double psnr(BufferedImage out, BufferedImage ref, Placement p) {
        int x0 = Math.max(0, p.x());
        int y0 = Math.max(0, p.y());
        int x1 = Math.min(p.canvas().width(), p.x() + p.scaled().width());
        int y1 = Math.min(p.canvas().height(), p.y() + p.scaled().height());
        double se = 0;
        long n = 0;
        // Grey PNGs are sRGB-encoded grey; BufferedImage.getRGB would read them as linear (CS_GRAY) and brighten them.
        Pixels.RowReader outRows = new Pixels.RowReader(out);
        Pixels.RowReader refRows = new Pixels.RowReader(ref);
        int[] outRow = new int[out.getWidth()];
        int[] refRow = new int[ref.getWidth()];
        for (int y = y0; y < y1; y++) {
            outRows.read(y, outRow);
            refRows.read(y - p.y(), refRow);
            for (int x = x0; x < x1; x++) {
                int a = outRow[x];
                int b = refRow[x - p.x()];
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = ((a >> shift) & 0xff) - ((b >> shift) & 0xff);
                    se += d * d;
                    n++;
                }
            }
        }
        double mse = se / n;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }


    private static void exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done && p.exitValue() == 0).as("%s failed: %s", String.join(" ", cmd), out).isTrue();
    }
}
