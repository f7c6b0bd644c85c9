package io.transflux.connectors;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

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
 * Time to first byte against object size: one single-shot operation starts a GetObject of a generated gzip
 * object ({@link GeneratedGzip}, {@code mib} MiB decompressed) in {@code style} and ends when the WGOR endpoint
 * receives the first body byte. The rest of the invocation finishes in an untimed per-invocation teardown,
 * which also checks that every byte arrived.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:MaxDirectMemorySize=256m"})
public class TimeToFirstByteBenchmark {

    @Param({"transflux", "buffered", "sdk-streams"})
    public String style;

    @Param({"16", "256", "1024"})
    public int mib;

    private final AtomicLong tokens = new AtomicLong();
    private ExecutorService caller;
    private LoopbackRig rig;
    private JobStyles styles;
    private long size;
    private String url;
    private String token = "";
    private Future<?> running = CompletableFuture.completedFuture(null);

    @Setup
    public void setUp() {
        size = (long) mib << 20;
        rig = new LoopbackRig(false);
        rig.gzip().trailer(size);
        url = rig.gzipUrl(size);
        styles = new JobStyles(rig.wgorEndpoint());
        caller = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ttfb-caller");
            t.setDaemon(true);
            return t;
        });
    }

    @TearDown
    public void tearDown() {
        caller.shutdownNow();
        styles.close();
        rig.close();
    }

    @Benchmark
    public long firstByte() throws Exception {
        token = "ttfb" + tokens.incrementAndGet();
        String t = token;
        JobStyles.Style s = JobStyles.Style.of(style);
        CompletableFuture<Long> first = rig.firstByte(t);
        running = caller.submit(() -> styles.run(s, BenchCodec.GZIP, url, t));
        for (;;) {
            try {
                return first.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (running.isDone()) {
                    running.get();
                    return first.get(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    @TearDown(Level.Invocation)
    public void finish() throws Exception {
        running.get(10, TimeUnit.MINUTES);
        LoopbackRig.Delivery d = rig.delivery(token).get(60, TimeUnit.SECONDS);
        rig.forget(token);
        if (d.bytes() != size) {
            throw new IllegalStateException("bytes: actual " + d.bytes() + ", expected " + size);
        }
    }
}
