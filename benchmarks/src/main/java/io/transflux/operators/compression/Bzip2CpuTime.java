package io.transflux.operators.compression;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * CPU seconds per decode of one {@code .bz2} file, for a machine too loaded for wall-clock JMH scores: the
 * own decoder (1 and 2 blocks in flight) and commons-compress by this process's CPU time, the tools by
 * {@code bash}'s {@code times} (user + system of the child). Each variant runs {@code warmup} times, then
 * {@code runs} times; prints the median of the measured runs.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.transflux.operators.compression.Bzip2CpuTime file.bz2 [runs]</pre>
 */
public final class Bzip2CpuTime {

    private Bzip2CpuTime() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        byte[] compressed = Files.readAllBytes(file);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        report("own, 1 in flight", runs, () -> jvm(os, () -> own(compressed, 1)));
        report("own, 2 in flight", runs, () -> jvm(os, () -> own(compressed, 2)));
        report("commons-compress", runs, () -> jvm(os, () -> commons(compressed)));
        report("bzip2 -dc", runs, () -> tool("bzip2 -dc", file));
        report("lbzip2 -n1 -dc", runs, () -> tool("lbzip2 -n1 -dc", file));
        report("lbzip2 -n2 -dc", runs, () -> tool("lbzip2 -n2 -dc", file));
    }

    private interface Run {
        double[] cpuAndWall() throws Exception;
    }

    private interface Body {
        long run() throws Exception;
    }

    private static void report(String name, int runs, Run r) throws Exception {
        r.cpuAndWall();
        r.cpuAndWall();
        double[] cpu = new double[runs];
        double[] wall = new double[runs];
        for (int i = 0; i < runs; i++) {
            double[] m = r.cpuAndWall();
            cpu[i] = m[0];
            wall[i] = m[1];
        }
        java.util.Arrays.sort(cpu);
        java.util.Arrays.sort(wall);
        System.out.printf("%-20s cpu %.3f s (min %.3f)  wall %.3f s (min %.3f)%n", name, cpu[runs / 2], cpu[0],
                wall[runs / 2], wall[0]);
    }

    private static double[] jvm(com.sun.management.OperatingSystemMXBean os, Body b) throws Exception {
        long c0 = os.getProcessCpuTime();
        long w0 = System.nanoTime();
        b.run();
        return new double[] {(os.getProcessCpuTime() - c0) / 1e9, (System.nanoTime() - w0) / 1e9};
    }

    /**
     * Runs {@code command < file > /dev/null} under {@code bash} and answers {CPU seconds, wall seconds}: the CPU is
     * user + system of the shell's children, from {@code times} (getrusage), so no JVM is measured.
     */
    public static double[] tool(String command, Path file) throws Exception {
        long w0 = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c", command + " < '" + file + "' > /dev/null; times").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed");
        }
        double wall = (System.nanoTime() - w0) / 1e9;
        // times: line 1 the shell, line 2 its children: "0m1.234s 0m0.010s"
        String[] children = out.strip().split("\n")[1].trim().split("\\s+");
        return new double[] {seconds(children[0]) + seconds(children[1]), wall};
    }

    private static double seconds(String t) {
        int m = t.indexOf('m');
        return Integer.parseInt(t.substring(0, m)) * 60 + Double.parseDouble(t.substring(m + 1, t.length() - 1));
    }

    static long own(byte[] compressed, int parallelism) {
        Bzip2Decoder d = new Bzip2Decoder(64 << 10, false, parallelism);
        long total = 0;
        try {
            for (int off = 0; ; off += 64 << 10) {
                boolean eof = off >= compressed.length;
                ByteBuffer in = eof ? ByteBuffer.allocate(0)
                        : ByteBuffer.wrap(compressed, off, Math.min(64 << 10, compressed.length - off));
                for (ByteBuffer b = d.decode(in, eof); b != null; b = d.decode(in, eof)) {
                    total += b.remaining();
                }
                if (eof) {
                    return total;
                }
            }
        } finally {
            d.close();
        }
    }

    static long commons(byte[] compressed) throws IOException {
        long total = 0;
        byte[] buf = new byte[64 << 10];
        try (InputStream in = new BZip2CompressorInputStream(new ByteArrayInputStream(compressed), true)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
            }
        }
        return total;
    }
}
