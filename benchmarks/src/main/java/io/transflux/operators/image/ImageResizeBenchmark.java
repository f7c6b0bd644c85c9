package io.transflux.operators.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.StageSpec;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Resizes a generated 6000×4000 (24 MP) JPEG to fit 1024×1024 and re-encodes it as JPEG Q80, single thread,
 * through the public {@code Images} operator (worker = the calling thread, to time the work, not a hop).
 * {@code megapixels} reports source megapixels per second; run with {@code -prof gc} for allocation. The same
 * file is written to {@code transflux.image.benchFile} (default {@code target/image-bench/photo-6000x4000.jpg})
 * so that {@code benchmarks/scripts/vipsthumbnail-baseline.sh} times {@code vipsthumbnail} on identical bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx64m", "-XX:+UseSerialGC", "-Djava.awt.headless=true"})
public class ImageResizeBenchmark {

    static final int WIDTH = 6000;
    static final int HEIGHT = 4000;
    static final double MEGAPIXELS = WIDTH * (double) HEIGHT / 1e6;

    private byte[] jpeg;
    private Operator resize;
    private final Limits limits = Limits.defaults();

    /** Source megapixels per second, as an auxiliary counter next to ops/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public double megapixels;

        @Setup(Level.Iteration)
        public void reset() {
            megapixels = 0;
        }
    }

    @Setup
    public void setUp() throws IOException {
        Path file = Path.of(System.getProperty("transflux.image.benchFile", "target/image-bench/photo-6000x4000.jpg"));
        jpeg = Files.exists(file) ? Files.readAllBytes(file) : generate(file);
        resize = Images.operator(StageSpec.parse("image/resize,m_lfit,w_1024,h_1024/quality,Q_80"),
                ImageLimits.defaults(), Schedulers.immediate());
    }

    @Benchmark
    public byte[] resizeTo1024(Counters counters) {
        ObjectStream in = ObjectStream.of(Flux.just(ByteBuffer.wrap(jpeg)),
                ObjectMetadata.builder().contentLength(jpeg.length).build());
        byte[] out = ByteStreams.toBytes(resize.apply(in, limits).content()).block(Duration.ofSeconds(30));
        counters.megapixels += MEGAPIXELS;
        return out;
    }

    /**
     * {@code main FILE} writes the benchmark input (noisy plasma-like content, JPEG quality 85);
     * {@code main FILE OUT} resizes an existing FILE exactly as the benchmark does and writes OUT, for comparing
     * the result with vipsthumbnail's.
     */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "target/image-bench/photo-6000x4000.jpg");
        if (args.length > 2 && args[1].equals("--cpu")) {
            cpuTime(file, Integer.parseInt(args[2]));
            return;
        }
        if (args.length > 1) {
            ImageResizeBenchmark b = new ImageResizeBenchmark();
            System.setProperty("transflux.image.benchFile", file.toString());
            b.setUp();
            byte[] out = b.resizeTo1024(new Counters());
            Files.write(Path.of(args[1]), out);
            System.out.println(args[1] + " " + out.length + " bytes");
            return;
        }
        byte[] bytes = generate(file);
        System.out.println(file + " " + bytes.length + " bytes");
    }

    /**
     * Process CPU time per image after 5 warm-up runs: robust against other processes sharing the machine,
     * comparable with the user + sys time of a vipsthumbnail process.
     */
    private static void cpuTime(Path file, int runs) throws IOException {
        System.setProperty("transflux.image.benchFile", file.toString());
        ImageResizeBenchmark b = new ImageResizeBenchmark();
        b.setUp();
        Counters c = new Counters();
        for (int i = 0; i < 5; i++) {
            b.resizeTo1024(c);
        }
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            b.resizeTo1024(c);
        }
        double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / runs;
        double wallMs = (System.nanoTime() - wall0) / 1e6 / runs;
        System.out.printf("transflux: %.1f ms CPU (%.1f ms wall) per image over %d runs = %.1f MP per CPU-second%n",
                cpuMs, wallMs, runs, MEGAPIXELS / (cpuMs / 1000));
    }

    static byte[] generate(Path file) throws IOException {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        byte[] row = new byte[WIDTH * 3];
        long seed = 7;
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                int n = (int) (seed >>> 59) - 16;
                double v = Math.sin(x / 97.0) * Math.cos(y / 131.0) + 0.5 * Math.sin((x + 2 * y) / 41.0);
                row[x * 3] = clamp(128 + 80 * v + n);
                row[x * 3 + 1] = clamp(128 + 90 * Math.sin((x - y) / 173.0) + n);
                row[x * 3 + 2] = clamp(128 + 90 * Math.cos(x / 59.0 - y / 83.0) + n);
            }
            img.getRaster().setDataElements(0, y, WIDTH, 1, row);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 << 20);
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter w = it.next();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.85f);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        byte[] bytes = out.toByteArray();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    private static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, (int) v));
    }
}
