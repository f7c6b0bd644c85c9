package io.transflux.benchmarks.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes the PNG charts of {@code docs/benchmarks.md} from the benchmark JSON and prints the matching Markdown
 * tables. Every input is optional; a chart is drawn only from the data given.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.transflux.benchmarks.report.BenchmarkCharts \
 *     --e2e e2e.json[,rerun.json] --ttfb ttfb.json --memory memory-4g.json,memory-256m.json --out docs/benchmarks
 * </pre>
 */
public final class BenchmarkCharts {

    static final int WIDTH = 720;
    static final int HEIGHT = 400;
    private static final List<String> STYLE_METHODS = List.of("codec", "transflux", "sdkStreams", "buffered");
    private static final List<String> STYLE_NAMES = List.of("codec in memory", "Transflux", "SDK + streams", "buffered");
    /** One colour per style in every chart (codec grey, Transflux blue, SDK + streams orange, buffered purple). */
    private static final List<Color> STYLE_COLORS = List.of(new Color(0x9e9e9e), new Color(0x1f77b4), new Color(0xff7f0e),
            new Color(0x9467bd));

    private BenchmarkCharts() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path e2e = null;
        Path ttfb = null;
        Path memory = null;
        Path out = Path.of("docs/benchmarks");
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--e2e" -> e2e = Path.of(args[i + 1]);
                case "--ttfb" -> ttfb = Path.of(args[i + 1]);
                case "--memory" -> memory = Path.of(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("option: actual " + args[i]
                        + ", expected --e2e, --ttfb, --memory or --out");
            }
        }
        Files.createDirectories(out);
        if (e2e != null) {
            List<JmhResult> rs = merged(e2e.toString().split(","));
            throughputChart(rs, out.resolve("end-to-end-throughput"));
            ratioChart(rs, out.resolve("end-to-end-ratio"));
            allocationChart(rs, out.resolve("allocation-per-byte"));
            System.out.println(EndToEndTable.throughput(rs));
            System.out.println(EndToEndTable.cpu(rs));
            System.out.println(EndToEndTable.allocation(rs));
        }
        if (ttfb != null) {
            List<JmhResult> rs = JmhResult.read(ttfb);
            ttfbChart(rs, out.resolve("time-to-first-byte"));
            System.out.println(EndToEndTable.timeToFirstByte(rs));
        }
        if (memory != null) {
            for (String m : memory.toString().split(",")) {
                JsonNode outcomes = new ObjectMapper().readTree(Path.of(m).toFile());
                memoryChart(outcomes, out.resolve("memory-under-size-" + (outcomes.get(0).get("sizeBytes").asLong() >> 20) + "mib"));
            }
        }
    }

    /**
     * The end-to-end results of several files; a later file replaces every row of each format it contains, so a
     * rerun of one format never mixes with another run's rows of that format.
     */
    static List<JmhResult> merged(String[] files) throws IOException {
        List<JmhResult> all = new ArrayList<>();
        for (String f : files) {
            List<JmhResult> next = JmhResult.read(Path.of(f));
            Set<String> formats = new LinkedHashSet<>();
            next.forEach(r -> formats.add(r.params().getOrDefault("format", "")));
            all.removeIf(r -> formats.contains(r.params().getOrDefault("format", "")));
            all.addAll(next);
        }
        return all;
    }

    static void throughputChart(List<JmhResult> rs, Path file) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("End to end on loopback vs in-memory codec (higher is better)")
                .xAxisTitle("format").yAxisTitle("MB/s of decompressed output").build();
        style(c);
        List<String> formats = EndToEndTable.formats(rs);
        for (int i = 0; i < STYLE_METHODS.size(); i++) {
            List<Double> ys = new ArrayList<>();
            for (String f : formats) {
                double v = EndToEndTable.mbPerSecond(rs, STYLE_METHODS.get(i), f);
                ys.add(Double.isNaN(v) ? 0 : v);
            }
            c.addSeries(STYLE_NAMES.get(i), formats, ys).setFillColor(STYLE_COLORS.get(i));
        }
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Each style's MB/s divided by the in-memory codec's, per format: the unit of the targets. */
    static void ratioChart(List<JmhResult> rs, Path file) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("End to end ÷ in-memory codec, same run (targets: zstd 0.8, gzip/bzip2 0.9)")
                .xAxisTitle("format").yAxisTitle("ratio of MB/s").build();
        style(c);
        List<String> formats = EndToEndTable.formats(rs);
        for (int i = 1; i < STYLE_METHODS.size(); i++) {
            List<Double> ys = new ArrayList<>();
            for (String f : formats) {
                double v = EndToEndTable.mbPerSecond(rs, STYLE_METHODS.get(i), f) / EndToEndTable.mbPerSecond(rs, "codec", f);
                ys.add(Double.isNaN(v) ? 0 : v);
            }
            c.addSeries(STYLE_NAMES.get(i), formats, ys).setFillColor(STYLE_COLORS.get(i));
        }
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    static void allocationChart(List<JmhResult> rs, Path file) throws IOException {
        if (Double.isNaN(EndToEndTable.allocationPerByte(rs, "transflux", EndToEndTable.formats(rs).get(0)))) {
            return;
        }
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Heap allocation per output byte (JMH -prof gc, lower is better)")
                .xAxisTitle("format").yAxisTitle("bytes allocated / byte").build();
        style(c);
        List<String> formats = EndToEndTable.formats(rs);
        for (int i = 1; i < STYLE_METHODS.size(); i++) {
            List<Double> ys = new ArrayList<>();
            for (String f : formats) {
                double v = EndToEndTable.allocationPerByte(rs, STYLE_METHODS.get(i), f);
                ys.add(Double.isNaN(v) ? 0 : v);
            }
            c.addSeries(STYLE_NAMES.get(i), formats, ys).setFillColor(STYLE_COLORS.get(i));
        }
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    static void ttfbChart(List<JmhResult> rs, Path file) throws IOException {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Time to first byte at the WGOR endpoint (gzip, lower is better)")
                .xAxisTitle("decompressed object size (MiB, log scale)").yAxisTitle("ms (log scale)").build();
        c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW)
                .setChartBackgroundColor(Color.WHITE).setMarkerSize(8);
        Set<String> styles = new LinkedHashSet<>();
        rs.stream().filter(r -> r.benchmarkClass().equals("TimeToFirstByteBenchmark")).forEach(r -> styles.add(r.param("style")));
        for (String s : styles) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            rs.stream().filter(r -> r.benchmarkClass().equals("TimeToFirstByteBenchmark") && r.param("style").equals(s))
                    .sorted((a, b) -> Integer.compare(Integer.parseInt(a.param("mib")), Integer.parseInt(b.param("mib"))))
                    .forEach(r -> {
                        xs.add(Double.parseDouble(r.param("mib")));
                        ys.add(Math.max(1, r.score()));
                    });
            int i = List.of("codec", "transflux", "sdk-streams", "buffered").indexOf(s);
            XYSeries series = c.addSeries(s, xs, ys);
            if (i >= 0) {
                series.setLineColor(STYLE_COLORS.get(i));
                series.setMarkerColor(STYLE_COLORS.get(i));
            }
        }
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Peak RSS and largest live heap (after GC) per style; the category label carries the outcome. */
    static void memoryChart(JsonNode outcomes, Path file) throws IOException {
        List<String> labels = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        String title = "";
        for (JsonNode o : outcomes) {
            String outcome = o.get("outcome").asText();
            labels.add(o.get("style").asText() + (outcome.equals("ok") ? " (ok)" : outcome.startsWith("OutOfMemoryError")
                    ? " (OOM)" : " (failed)"));
            rss.add(o.get("vmHwmKb").asDouble() / 1024);
            heap.add(Math.max(0, o.get("peakHeapAfterGcBytes").asDouble()) / (1 << 20));
            long mib = o.get("sizeBytes").asLong() >> 20;
            title = "Streaming " + (mib >= 1024 ? (mib >> 10) + " GiB" : mib + " MiB") + " (gzip) under -Xmx"
                    + o.get("xmx").asText() + ", one JVM per style";
        }
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("style (outcome)").yAxisTitle("MiB").build();
        style(c);
        c.addSeries("peak RSS (VmHWM)", labels, rss).setFillColor(new Color(0x1f77b4));
        c.addSeries("largest heap after GC (0 = died first)", labels, heap).setFillColor(new Color(0xff7f0e));
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void style(CategoryChart c) {
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal)
                .setChartBackgroundColor(Color.WHITE);
    }
}
