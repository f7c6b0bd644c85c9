package io.transflux.operators.redact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
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

/**
 * {@code redact/pii} with all detectors on, over a realistic log corpus, against a baseline of one
 * {@code java.util.regex} pattern per entity type, in the same run. One op is one pass over the corpus;
 * MB/s = corpus MB / (s/op), and the {@code bytes} counter gives the corpus size.
 *
 * <p>Corpus: {@code python3 gen_corpus.py --size-mb 20 --seed 42}, generated at setup into a temp
 * directory (script path from {@code -Dtransflux.genCorpus}, default
 * {@code /work/shared/reference/gen_corpus.py}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedactionBenchmark {

    /** One pattern per entity type, as a regex-based redactor would write them. */
    static final List<Pattern> BASELINE = List.of(
            Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"),
            Pattern.compile("(?:\\+\\d{1,3}[ -]?)?(?:\\(\\d{3}\\)|\\b\\d{3})[ .-]\\d{3}[ .-]\\d{4}\\b|\\+\\d{1,3}(?:[ -]?\\d{2,5}){2,5}"),
            Pattern.compile("\\b(?:\\d[ -]?){12,18}\\d\\b"),
            Pattern.compile("\\b\\d{3}-\\d{2}-\\d{4}\\b"),
            Pattern.compile("\\b(?:\\d{1,3}\\.){3}\\d{1,3}\\b|(?:[0-9A-Fa-f]{1,4}:){1,7}(?::|[0-9A-Fa-f]{1,4})"),
            Pattern.compile("\\b(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\\b"),
            Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b"),
            Pattern.compile("\\b(?:AKIA|ASIA)[A-Z2-7]{16}\\b"),
            Pattern.compile("(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"),
            Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s/@\"]+@[^\\s/\"]+"),
            Pattern.compile("(?i)(?:password|passwd|pwd|pass)[\"']?\\s*[:=]\\s*[\"']?[^\\s,;&\"']+"));

    private byte[] corpus;
    private String corpusText;
    private DetectorSet detectors;
    private Replacer replacer;
    private Operator operator;

    @Setup(Level.Trial)
    public void setup() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("transflux-redact-bench");
        Path file = dir.resolve("corpus.jsonl");
        String script = System.getProperty("transflux.genCorpus", "/work/shared/reference/gen_corpus.py");
        Process p = new ProcessBuilder("python3", script, "--size-mb", "20", "--seed", "42", "--out", file.toString())
                .inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("gen_corpus.py failed: exit " + p.exitValue());
        }
        corpus = Files.readAllBytes(file);
        Files.delete(file);
        Files.delete(dir);
        corpusText = new String(corpus, StandardCharsets.UTF_8);
        detectors = new DetectorSet(DetectorSet.builtIns(Set.of()));
        replacer = new Replacer(RedactionSpec.defaults());
        operator = Redaction.pii(RedactionSpec.builder().format(RedactionSpec.Format.TEXT).build());
    }

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * Sums per iteration: corpus bytes processed and the thread's CPU nanoseconds spent, so that
     * MB/s per core = 1000 * bytes / cpuNanos even when other processes share the machine.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Bytes {
        public long bytes;
        public long cpuNanos;
        private long start;

        void begin() {
            start = CPU.getCurrentThreadCpuTime();
        }

        void end(long n) {
            cpuNanos += CPU.getCurrentThreadCpuTime() - start;
            bytes += n;
        }
    }

    /** The single-pass scanner with all detectors, masking, fed in 64 KiB chunks. */
    @Benchmark
    public long scanner(Bytes counter) {
        counter.begin();
        RedactionScanner s = new RedactionScanner(detectors, replacer, Limits.DEFAULT_MAX_CHUNK_BYTES, false,
                JsonFilter.TEXT);
        long out = 0;
        for (int off = 0; off < corpus.length; off += 65536) {
            for (ByteBuffer b : s.feed(ByteBuffer.wrap(corpus, off, Math.min(65536, corpus.length - off)))) {
                out += b.remaining();
            }
        }
        for (ByteBuffer b : s.finish()) {
            out += b.remaining();
        }
        counter.end(corpus.length);
        return out + s.matches();
    }

    /** The same through the public operator: Flux of 64 KiB chunks in, redacted chunks out. */
    @Benchmark
    public long operator(Bytes counter) {
        counter.begin();
        Long n = ByteStreams.toBytes(operator.apply(ObjectStream.of(ByteStreams.fromBytes(corpus, 65536)))
                .content()).map(b -> (long) b.length).block();
        counter.end(corpus.length);
        return n == null ? 0 : n;
    }

    /** Baseline: one java.util.regex pattern per entity type over the decoded text (detection only). */
    @Benchmark
    public long regexPerType(Bytes counter) {
        counter.begin();
        long found = 0;
        for (Pattern pattern : BASELINE) {
            Matcher m = pattern.matcher(corpusText);
            while (m.find()) {
                found++;
            }
        }
        counter.end(corpus.length);
        return found;
    }

}
