package io.transflux.operators.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resizing a 24-megapixel JPEG to 1024 px fits in a 64 MB heap: the JPEG is generated here (6000×4000, noisy
 * photo-like content, nothing large is committed) and resized in a child JVM started with {@code -Xmx64m}.
 */
class ImageMemoryTest {

    @TempDir
    static Path dir;
    static Path photo;

    @BeforeAll
    static void generate() throws IOException {
        photo = dir.resolve("photo-6000x4000.jpg");
        Files.write(photo, ImageFixtures.jpeg(ImageFixtures.synthetic(6000, 4000)));
    }

    @Test
    void resizes24MegapixelJpegTo1024WithinSixtyFourMegabytesOfHeap() throws IOException, InterruptedException {
        String out = runChild("image/resize,m_lfit,w_1024,h_1024/quality,Q_80", 0);
        assertThat(out).contains("size=1024x683");
        long maxHeap = Long.parseLong(out.replaceAll("(?s).*maxHeapBytes=(\\d+).*", "$1"));
        long peakHeap = Long.parseLong(out.replaceAll("(?s).*peakHeapBytes=(\\d+).*", "$1"));
        System.out.println("24 MP -> 1024 px in -Xmx64m: " + out.strip());
        assertThat(maxHeap).as("the child really ran with -Xmx64m").isLessThanOrEqualTo(64L * 1024 * 1024);
        assertThat(peakHeap).as("peak heap-pool use").isLessThanOrEqualTo(64L * 1024 * 1024);
    }

    /** A 1.5x shrink needs the full 96 MB ARGB image before the final kernel: it cannot fit: a typed error, not a hung subscriber. */
    @Test
    void heapExhaustionIsATypedErrorNotAHang() throws IOException, InterruptedException {
        String out = runChild("image/resize,w_4000", 2);
        assertThat(out).contains("LimitExceededException: heap: reached");
    }

    private static String runChild(String spec, int expectedExit) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx64m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ResizeInSmallHeap.class.getName());
        cmd.add(photo.toString());
        cmd.add(spec);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        boolean exited = p.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("child finished in time").isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(expectedExit);
        return out;
    }
}
