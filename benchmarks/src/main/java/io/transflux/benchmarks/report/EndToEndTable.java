package io.transflux.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The end-to-end results as Markdown: per format, MB/s of the in-memory codec and of each style (score × object
 * MiB × 1.048576), the Transflux ÷ codec and Transflux ÷ SDK + streams ratios, and allocation per output byte
 * when the run had {@code -prof gc}. Also the time-to-first-byte table.
 */
public final class EndToEndTable {

    static final double MB_PER_MIB = 1.048576;

    private EndToEndTable() {
    }

    static Optional<JmhResult> find(List<JmhResult> rs, String cls, String method, String param, String value) {
        return rs.stream().filter(r -> r.benchmarkClass().equals(cls) && r.method().equals(method)
                && value.equals(r.params().get(param))).findFirst();
    }

    static List<String> formats(List<JmhResult> rs) {
        Set<String> f = new LinkedHashSet<>();
        rs.stream().filter(r -> r.benchmarkClass().equals("EndToEndBenchmark")).forEach(r -> f.add(r.param("format")));
        return new ArrayList<>(f);
    }

    /** MB/s of {@code method} for {@code format}, or NaN. */
    static double mbPerSecond(List<JmhResult> rs, String method, String format) {
        return find(rs, "EndToEndBenchmark", method, "format", format)
                .map(r -> r.score() * Integer.parseInt(r.param("mib")) * MB_PER_MIB).orElse(Double.NaN);
    }

    static double errorMbPerSecond(List<JmhResult> rs, String method, String format) {
        return find(rs, "EndToEndBenchmark", method, "format", format)
                .map(r -> r.error() * Integer.parseInt(r.param("mib")) * MB_PER_MIB).orElse(Double.NaN);
    }

    /** MB of output per second of process CPU time (all threads), or NaN without the CPU counters. */
    static double mbPerCpuSecond(List<JmhResult> rs, String method, String format) {
        return find(rs, "EndToEndBenchmark", method, "format", format).map(r -> {
            Double cpu = r.secondary().get("cpuNanos");
            Double ops = r.secondary().get("ops");
            return cpu == null || ops == null || ops == 0 ? Double.NaN
                    : Integer.parseInt(r.param("mib")) * MB_PER_MIB / (cpu / ops / 1e9);
        }).orElse(Double.NaN);
    }

    public static String cpu(List<JmhResult> rs) {
        StringBuilder sb = new StringBuilder("| Format | codec in memory | Transflux | SDK + streams | buffered | Transflux ÷ codec "
                + "| Transflux ÷ SDK + streams |\n|---|---|---|---|---|---|---|\n");
        for (String f : formats(rs)) {
            sb.append("| ").append(f);
            for (String m : List.of("codec", "transflux", "sdkStreams", "buffered")) {
                double v = mbPerCpuSecond(rs, m, f);
                sb.append(Double.isNaN(v) ? " | -" : String.format(Locale.ROOT, " | %.1f", v));
            }
            double tf = mbPerCpuSecond(rs, "transflux", f);
            sb.append(String.format(Locale.ROOT, " | **%.2f** | **%.2f** |%n", tf / mbPerCpuSecond(rs, "codec", f),
                    tf / mbPerCpuSecond(rs, "sdkStreams", f)));
        }
        return sb.toString();
    }

    /** Bytes allocated per decompressed output byte, or NaN without {@code -prof gc}. */
    static double allocationPerByte(List<JmhResult> rs, String method, String format) {
        return find(rs, "EndToEndBenchmark", method, "format", format)
                .map(r -> r.secondary().getOrDefault("gc.alloc.rate.norm", Double.NaN)
                        / ((double) Integer.parseInt(r.param("mib")) * (1 << 20))).orElse(Double.NaN);
    }

    /** The throughput, allocation (if measured) and time-to-first-byte tables of whichever files exist. */
    public static String report(Path e2eJson, Path ttfbJson) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (Files.exists(e2eJson)) {
            List<JmhResult> rs = JmhResult.read(e2eJson);
            sb.append("End to end (decompress + CRC32C + WGOR on loopback), wall clock:\n").append(throughput(rs)).append('\n');
            if (!Double.isNaN(mbPerCpuSecond(rs, "transflux", formats(rs).get(0)))) {
                sb.append("Per CPU second (MB of output per second of process CPU time, all threads):\n").append(cpu(rs))
                        .append('\n');
            }
            if (!Double.isNaN(allocationPerByte(rs, "transflux", formats(rs).get(0)))) {
                sb.append("Heap allocation per output byte:\n").append(allocation(rs)).append('\n');
            }
        }
        if (Files.exists(ttfbJson)) {
            sb.append("Time to first byte at the WGOR endpoint (gzip):\n").append(timeToFirstByte(JmhResult.read(ttfbJson)));
        }
        return sb.toString();
    }

    public static String throughput(List<JmhResult> rs) {
        StringBuilder sb = new StringBuilder("| Format | codec in memory (MB/s) | Transflux (MB/s) | SDK + streams (MB/s) | buffered (MB/s) "
                + "| Transflux ÷ codec | Transflux ÷ SDK + streams |\n|---|---|---|---|---|---|---|\n");
        for (String f : formats(rs)) {
            double codec = mbPerSecond(rs, "codec", f);
            double tf = mbPerSecond(rs, "transflux", f);
            double sdk = mbPerSecond(rs, "sdkStreams", f);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | **%.2f** | **%.2f** |%n", f, cell(rs, "codec", f),
                    cell(rs, "transflux", f), cell(rs, "sdkStreams", f), cell(rs, "buffered", f), tf / codec, tf / sdk));
        }
        return sb.toString();
    }

    private static String cell(List<JmhResult> rs, String method, String format) {
        double v = mbPerSecond(rs, method, format);
        double e = errorMbPerSecond(rs, method, format);
        return Double.isNaN(v) ? "-" : Double.isNaN(e) ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.1f ± %.1f", v, e);
    }

    public static String allocation(List<JmhResult> rs) {
        StringBuilder sb = new StringBuilder("| Format | codec in memory | Transflux | SDK + streams | buffered |\n|---|---|---|---|---|\n");
        for (String f : formats(rs)) {
            sb.append("| ").append(f);
            for (String m : List.of("codec", "transflux", "sdkStreams", "buffered")) {
                double a = allocationPerByte(rs, m, f);
                sb.append(Double.isNaN(a) ? " | -" : String.format(Locale.ROOT, " | %.3f B/B", a));
            }
            sb.append(" |\n");
        }
        return sb.toString();
    }

    public static String timeToFirstByte(List<JmhResult> rs) {
        List<JmhResult> t = rs.stream().filter(r -> r.benchmarkClass().equals("TimeToFirstByteBenchmark")).toList();
        Set<String> sizes = new LinkedHashSet<>();
        t.forEach(r -> sizes.add(r.param("mib")));
        StringBuilder sb = new StringBuilder("| Style |");
        sizes.forEach(s -> sb.append(' ').append(Integer.parseInt(s) >= 1024 ? Integer.parseInt(s) / 1024 + " GiB" : s + " MiB").append(" |"));
        sb.append('\n').append("|---|").append("---|".repeat(sizes.size())).append('\n');
        for (String style : List.of("transflux", "sdk-streams", "buffered")) {
            if (t.stream().noneMatch(r -> r.param("style").equals(style))) {
                continue;
            }
            sb.append("| ").append(style).append(" |");
            for (String s : sizes) {
                Optional<JmhResult> r = t.stream().filter(x -> x.param("style").equals(style) && x.param("mib").equals(s)).findFirst();
                sb.append(r.map(x -> Double.isNaN(x.error()) ? String.format(Locale.ROOT, " %.0f ms |", x.score())
                        : String.format(Locale.ROOT, " %.0f ± %.0f ms |", x.score(), x.error())).orElse(" - |"));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
