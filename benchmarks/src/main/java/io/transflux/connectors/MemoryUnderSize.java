package io.transflux.connectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Memory under size: for each style a separate child JVM (given {@code -Xmx}) streams one generated gzip object
 * ({@link GeneratedGzip}) from this JVM's {@link LoopbackRig} to its WGOR endpoint. Records the outcome (ok, or
 * the error that ended the child), the bytes the endpoint received, the child's peak RSS ({@code VmHWM}, polled
 * from {@code /proc/<pid>/status} while it runs and reported by the child at exit), the largest heap in use just
 * after a GC (the live set) and time to first byte.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.transflux.connectors.MemoryUnderSize \
 *     --size-mib 4096 --xmx 64m --styles transflux,buffered,sdk-streams --out target/memory-4g.json
 * </pre>
 */
public final class MemoryUnderSize {

    record Outcome(String style, long sizeBytes, String xmx, String outcome, long bytesReceived, long vmHwmKb,
                   long peakHeapAfterGcBytes, long ttfbMs, long wallMs) {

        String json() {
            return String.format(Locale.ROOT, "{\"style\":\"%s\",\"sizeBytes\":%d,\"xmx\":\"%s\",\"outcome\":\"%s\","
                            + "\"bytesReceived\":%d,\"vmHwmKb\":%d,\"peakHeapAfterGcBytes\":%d,\"ttfbMs\":%d,\"wallMs\":%d}",
                    style, sizeBytes, xmx, outcome.replace("\"", "'"), bytesReceived, vmHwmKb, peakHeapAfterGcBytes, ttfbMs,
                    wallMs);
        }
    }

    private MemoryUnderSize() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1], args[2], args[3], args[4]);
            return;
        }
        long sizeMib = 4096;
        String xmx = "64m";
        List<String> styles = List.of("transflux", "buffered", "sdk-streams");
        Path out = null;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--size-mib" -> sizeMib = Long.parseLong(args[i + 1]);
                case "--xmx" -> xmx = args[i + 1];
                case "--styles" -> styles = List.of(args[i + 1].split(","));
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("option: actual " + args[i]
                        + ", expected --size-mib, --xmx, --styles or --out");
            }
        }
        List<Outcome> results = run(sizeMib << 20, xmx, styles);
        StringBuilder json = new StringBuilder("[\n");
        for (Outcome o : results) {
            json.append("  ").append(o.json()).append(o == results.get(results.size() - 1) ? "\n" : ",\n");
        }
        json.append("]\n");
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, json);
        }
        System.out.println(table(results));
    }

    static List<Outcome> run(long size, String xmx, List<String> styles) throws Exception {
        List<Outcome> results = new ArrayList<>();
        try (LoopbackRig rig = new LoopbackRig(false)) {
            rig.gzip().trailer(size);
            for (String style : styles) {
                results.add(runChild(rig, JobStyles.Style.of(style), size, xmx));
            }
        }
        return results;
    }

    private static Outcome runChild(LoopbackRig rig, JobStyles.Style style, long size, String xmx) throws Exception {
        String token = "mem-" + style.id() + "-" + System.nanoTime();
        // -Dmemory.exitOnOom=false lets the child print where the OutOfMemoryError struck (it may then hang).
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + xmx,
                Boolean.parseBoolean(System.getProperty("memory.exitOnOom", "true")) ? "-XX:+ExitOnOutOfMemoryError"
                        : "-XX:-ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), MemoryUnderSize.class.getName(),
                "child", style.id(), rig.gzipUrl(size), rig.wgorEndpoint(), token);
        Path log = Files.createTempFile("memory-under-size-", ".log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long hwm = 0;
        while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
            hwm = Math.max(hwm, vmHwmKb(Path.of("/proc", Long.toString(p.pid()), "status")));
            if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(15)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                break;
            }
        }
        long wallMs = (System.nanoTime() - t0) / 1_000_000;
        String output = Files.readString(log, StandardCharsets.UTF_8);
        long peakHeap = -1;
        long start = -1;
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                for (String kv : line.substring(7).trim().split(" ")) {
                    String[] f = kv.split("=");
                    switch (f[0]) {
                        case "peakHeapAfterGc" -> peakHeap = Long.parseLong(f[1]);
                        case "vmHwmKb" -> hwm = Math.max(hwm, Long.parseLong(f[1]));
                        case "startNanos" -> start = Long.parseLong(f[1]);
                        default -> { }
                    }
                }
            }
        }
        LoopbackRig.Delivery d = null;
        try {
            d = rig.delivery(token).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // the child died before the endpoint saw the end of a body
        }
        long first = rig.firstByte(token).getNow(-1L);
        String outcome;
        if (p.isAlive()) {
            outcome = "timed out";
        } else if (output.contains("OutOfMemoryError")) {
            int i = output.indexOf("OutOfMemoryError");
            outcome = "OutOfMemoryError" + output.substring(i + 16, output.indexOf('\n', i) < 0 ? output.length() : output.indexOf('\n', i));
        } else if (p.exitValue() == 0 && d != null && d.bytes() == size) {
            outcome = "ok";
        } else {
            String[] lines = output.strip().split("\n");
            outcome = "failed (exit " + p.exitValue() + "): " + lines[lines.length - 1];
        }
        if (outcome.equals("ok")) {
            Files.deleteIfExists(log);
            System.err.println(style.id() + ": ok");
        } else {
            System.err.println(style.id() + ": " + outcome + " (child output kept in " + log + ")\n" + tail(output));
        }
        return new Outcome(style.id(), size, xmx, outcome.strip(), d == null ? 0 : d.bytes(), hwm, peakHeap,
                first > 0 && start > 0 ? (first - start) / 1_000_000 : -1, wallMs);
    }

    private static String tail(String s) {
        String[] lines = s.strip().split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 8), lines.length));
    }

    static long vmHwmKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the process has exited
        }
        return 0;
    }

    private static void child(String style, String url, String wgorEndpoint, String token) {
        AtomicLong peakAfterGc = new AtomicLong();
        ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
            if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum()
                        - nonHeapUsed(info);
                peakAfterGc.accumulateAndGet(used, Math::max);
            }
        }, null, null));
        JobStyles styles = new JobStyles(wgorEndpoint);
        long start = System.nanoTime();
        try {
            styles.run(JobStyles.Style.of(style), BenchCodec.GZIP, url, token);
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        styles.close();
        System.out.println("RESULT startNanos=" + start + " peakHeapAfterGc=" + peakAfterGc.get() + " vmHwmKb="
                + vmHwmKb(Path.of("/proc/self/status")));
        System.exit(0);
    }

    private static long nonHeapUsed(GarbageCollectionNotificationInfo info) {
        long nonHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
            if (pool.getType() == MemoryType.NON_HEAP && u != null) {
                nonHeap += u.getUsed();
            }
        }
        return nonHeap;
    }

    static String table(List<Outcome> results) {
        StringBuilder sb = new StringBuilder("| Style | Object | -Xmx | Outcome | Bytes at WGOR | Peak RSS | Peak heap after GC | TTFB | Wall |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (Outcome o : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %d MiB | %s | %s | %d | %d MiB | %s | %s | %.1f s |%n", o.style(),
                    o.sizeBytes() >> 20, o.xmx(), o.outcome(), o.bytesReceived(), o.vmHwmKb() >> 10,
                    o.peakHeapAfterGcBytes() < 0 ? "-" : (o.peakHeapAfterGcBytes() >> 20) + " MiB",
                    o.ttfbMs() < 0 ? "-" : o.ttfbMs() + " ms", o.wallMs() / 1000.0));
        }
        return sb.toString();
    }
}
