package io.transflux.connectors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.transflux.benchmarks.report.EndToEndTable;

/**
 * What {@code transflux bench} runs, through JMH's Runner API: {@link EndToEndBenchmark} and
 * {@link TimeToFirstByteBenchmark}, JSON results in {@code --dir} (default {@code target/bench}), then a table.
 * {@code --quick}: gzip and zstd on 16 MiB objects, Transflux and buffered time to first byte at 16 and 256 MiB,
 * two 1 s warm-ups and two 2 s measurements (about two minutes on two cores). Without it: every format with the
 * {@code gc} profiler and all three styles at 16 MiB, 256 MiB and 1 GiB (about fifteen minutes).
 */
public final class BenchSuite {

    private BenchSuite() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int d = List.of(args).indexOf("--dir");
        Path dir = Path.of(d >= 0 ? args[d + 1] : "target/bench");
        Files.createDirectories(dir);
        Path e2e = dir.resolve(quick ? "e2e-quick.json" : "e2e.json");
        Path ttfb = dir.resolve(quick ? "ttfb-quick.json" : "ttfb.json");
        Files.deleteIfExists(e2e);
        Files.deleteIfExists(ttfb);

        ChainedOptionsBuilder end = new OptionsBuilder().include(EndToEndBenchmark.class.getName() + "\\.").forks(1)
                .resultFormat(ResultFormatType.JSON).result(e2e.toString());
        ChainedOptionsBuilder first = new OptionsBuilder().include(TimeToFirstByteBenchmark.class.getName() + "\\.").forks(1)
                .resultFormat(ResultFormatType.JSON).result(ttfb.toString());
        if (quick) {
            end.param("format", "gzip", "zstd").param("mib", "16").warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(2).measurementTime(TimeValue.seconds(2));
            first.param("style", "transflux", "buffered").param("mib", "16", "256").warmupIterations(1).measurementIterations(2);
        } else {
            end.addProfiler("gc").warmupIterations(2).warmupTime(TimeValue.seconds(2)).measurementIterations(3)
                    .measurementTime(TimeValue.seconds(2));
            first.warmupIterations(2).measurementIterations(3);
        }
        new Runner(end.build()).run();
        new Runner(first.build()).run();
        System.out.println();
        System.out.println(EndToEndTable.report(e2e, ttfb));
        System.out.println("JMH JSON: " + e2e.toAbsolutePath() + ", " + ttfb.toAbsolutePath());
    }
}
