package io.transflux.operators.compression;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.Pipeline;

/**
 * The own bzip2 decoder (one block in flight, two in flight, and the {@code decompress/bzip2} stage with its
 * default) against commons-compress, {@code bzip2 -dc} and {@code lbzip2 -n1/-n2 -dc} in the same run, on the
 * same file: 32 MiB of the log-like corpus compressed by {@code bzip2 -9}. The tools are timed from process
 * start to exit with output discarded; start-up is about a millisecond of a run of several hundred.
 * Needs bzip2 and lbzip2 on the PATH.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class Bzip2DecoderBenchmark {

    static final int CORPUS_BYTES = 32 << 20;
    private static final int CHUNK = 64 * 1024;

    private byte[] compressed;
    private Path file;
    private Operator stage;
    private Limits limits;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        Path plain = Files.createTempFile("bzip2-bench", ".txt");
        Files.write(plain, DecompressionBenchmark.corpus(CORPUS_BYTES));
        file = Path.of(plain + ".bz2");
        Process p = new ProcessBuilder("bzip2", "-9", "-f", "-k", plain.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("bzip2 -9 failed");
        }
        Files.delete(plain);
        compressed = Files.readAllBytes(file);
        stage = Pipeline.parse("decompress/bzip2").operators().get(0);
        limits = Limits.builder().noDeadline().maxOutputBytes(1L << 40).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public long ownOneInFlight(Blackhole bh) {
        return own(1, bh);
    }

    @Benchmark
    public long ownTwoInFlight(Blackhole bh) {
        return own(2, bh);
    }

    @Benchmark
    public long stage(Blackhole bh) {
        long[] total = {0};
        stage.apply(ObjectStream.of(ByteStreams.fromBytes(compressed, CHUNK)), limits).content()
                .doOnNext(b -> {
                    total[0] += b.remaining();
                    bh.consume(b);
                })
                .blockLast(Duration.ofSeconds(120));
        return total[0];
    }

    @Benchmark
    public long commonsCompress(Blackhole bh) throws IOException {
        long total = 0;
        try (InputStream in = new BZip2CompressorInputStream(new ByteArrayInputStream(compressed), true)) {
            for (;;) {
                byte[] buf = new byte[CHUNK];
                int n = in.readNBytes(buf, 0, CHUNK);
                if (n <= 0) {
                    break;
                }
                total += n;
                bh.consume(buf);
            }
        }
        return total;
    }

    @Benchmark
    public int bzip2Dc() throws Exception {
        return tool("bzip2", "-dc");
    }

    @Benchmark
    public int lbzip2N1() throws Exception {
        return tool("lbzip2", "-n1", "-dc");
    }

    @Benchmark
    public int lbzip2N2() throws Exception {
        return tool("lbzip2", "-n2", "-dc");
    }

    private long own(int parallelism, Blackhole bh) {
        Bzip2Decoder d = new Bzip2Decoder(CHUNK, false, parallelism);
        long total = 0;
        try {
            for (int off = 0; ; off += CHUNK) {
                boolean eof = off >= compressed.length;
                ByteBuffer in = eof ? ByteBuffer.allocate(0)
                        : ByteBuffer.wrap(compressed, off, Math.min(CHUNK, compressed.length - off));
                for (ByteBuffer b = d.decode(in, eof); b != null; b = d.decode(in, eof)) {
                    total += b.remaining();
                    bh.consume(b);
                }
                if (eof) {
                    break;
                }
            }
        } finally {
            d.close();
        }
        if (total != CORPUS_BYTES) {
            throw new IllegalStateException("decoded " + total);
        }
        return total;
    }

    private int tool(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectInput(file.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + rc);
        }
        return rc;
    }
}
