package io.transflux.connectors;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end GetObject on loopback, one whole object per operation: a compressed object of {@code mib} MiB of
 * log lines (decompressed) is fetched from the {@link LoopbackRig} source, decompressed, CRC32C'd and streamed to
 * the counting WGOR endpoint, in each {@link JobStyles.Style}. {@link #codec} decodes the same compressed bytes
 * from memory with the format's {@code InputStream} (no network, no checksum): end-to-end MB/s ÷ codec MB/s is
 * the ratio the targets are stated in. Every operation checks the byte count the endpoint received.
 *
 * <p>The machine these run on is shared, so wall-clock scores swing with other load. Each operation also adds
 * the process CPU time it used (all threads: client, both servers, GC) to the {@link Cpu} counters; their
 * ratio, CPU nanoseconds per operation, does not depend on how much CPU other processes took.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:MaxDirectMemorySize=256m"})
public class EndToEndBenchmark {

    /** Also {@code none} (not run by default): the uncompressed object passed through, the transport's own cost. */
    @Param({"gzip", "zstd", "bzip2", "snappy"})
    public String format;

    /** Decompressed object size in MiB. */
    @Param({"32"})
    public int mib;

    private final AtomicLong tokens = new AtomicLong();
    private BenchCodec codec;
    private byte[] compressed;
    private long size;
    private LoopbackRig rig;
    private JobStyles styles;
    private String url;
    private final byte[] buffer = new byte[BenchCodec.CHUNK];

    @Setup
    public void setUp() {
        codec = BenchCodec.of(format);
        byte[] corpus = BenchCodec.logCorpus(mib << 20);
        size = corpus.length;
        compressed = codec.compress(corpus);
        rig = new LoopbackRig(false);
        rig.put("object", compressed);
        url = rig.objectUrl("object");
        styles = new JobStyles(rig.wgorEndpoint());
    }

    @TearDown
    public void tearDown() {
        styles.close();
        rig.close();
    }

    /** Process CPU time and operations per iteration; {@code cpuNanos / ops} is CPU time per object. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        public long cpuNanos;
        public long ops;
        private long start;

        @Setup(Level.Iteration)
        public void reset() {
            cpuNanos = 0;
            ops = 0;
        }

        void begin() {
            start = OS.getProcessCpuTime();
        }

        void end() {
            cpuNanos += OS.getProcessCpuTime() - start;
            ops++;
        }
    }

    @Benchmark
    public long codec(Cpu cpu) throws IOException {
        cpu.begin();
        long total = 0;
        try (InputStream in = codec.open(new ByteArrayInputStream(compressed))) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
        }
        cpu.end();
        return expect(total);
    }

    @Benchmark
    public long transflux(Cpu cpu) throws Exception {
        return run(JobStyles.Style.TRANSFLUX, cpu);
    }

    @Benchmark
    public long buffered(Cpu cpu) throws Exception {
        return run(JobStyles.Style.BUFFERED, cpu);
    }

    @Benchmark
    public long sdkStreams(Cpu cpu) throws Exception {
        return run(JobStyles.Style.SDK_STREAMS, cpu);
    }

    private long run(JobStyles.Style style, Cpu cpu) throws InterruptedException, ExecutionException, TimeoutException {
        String token = "t" + tokens.incrementAndGet();
        cpu.begin();
        styles.run(style, codec, url, token);
        LoopbackRig.Delivery d = rig.delivery(token).get(60, TimeUnit.SECONDS);
        cpu.end();
        rig.forget(token);
        return expect(d.bytes());
    }

    private long expect(long bytes) {
        if (bytes != size) {
            throw new IllegalStateException("bytes: actual " + bytes + ", expected " + size);
        }
        return bytes;
    }
}
