package io.transflux.pipeline.checksum;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CRC-64 kernel against its predecessor ({@link Crc64ThreeLaneBaseline}) in the same run, scored by the thread's
 * CPU time as well as wall time: on the shared 2-vCPU machine wall-clock throughput swings with other builds, CPU
 * time far less. Each op runs {@code passes} passes over a {@code size}-byte heap array, so the two
 * {@code getCurrentThreadCpuTime} calls per op cost well under 1 %. GB/s per core = {@code bytes / cpuNanos}.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Crc64KernelBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Crc64KernelBenchmark {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @Param({"65536", "1048576"})
    public int size;

    private byte[] data;
    private int passes;
    private final Crc64 nvme = Crc64.nvme();
    private final Crc64 ecma = Crc64.xz();
    private final Crc64ThreeLaneBaseline threeLaneNvme = Crc64ThreeLaneBaseline.nvme();
    private final Crc64ThreeLaneBaseline threeLaneEcma = Crc64ThreeLaneBaseline.xz();

    /** Bytes checksummed and thread CPU nanoseconds spent, summed per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        public long bytes;
        public long cpuNanos;
    }

    @Setup
    public void setUp() {
        data = new byte[size];
        new SplittableRandom(42).nextBytes(data);
        passes = Math.max(1, (4 << 20) / size);
        if (crc64nvme(new Cpu()) != baselineThreeLaneCrc64nvme(new Cpu())
                || crc64ecma(new Cpu()) != baselineThreeLaneCrc64ecma(new Cpu())) {
            throw new IllegalStateException("three-lane baseline and Crc64 disagree");
        }
    }

    @Benchmark
    public long crc64nvme(Cpu cpu) {
        long start = CPU.getCurrentThreadCpuTime();
        long x = 0;
        for (int i = 0; i < passes; i++) {
            nvme.reset();
            nvme.update(data, 0, data.length);
            x ^= nvme.getValue();
        }
        cpu.cpuNanos += CPU.getCurrentThreadCpuTime() - start;
        cpu.bytes += (long) passes * data.length;
        return x;
    }

    @Benchmark
    public long crc64ecma(Cpu cpu) {
        long start = CPU.getCurrentThreadCpuTime();
        long x = 0;
        for (int i = 0; i < passes; i++) {
            ecma.reset();
            ecma.update(data, 0, data.length);
            x ^= ecma.getValue();
        }
        cpu.cpuNanos += CPU.getCurrentThreadCpuTime() - start;
        cpu.bytes += (long) passes * data.length;
        return x;
    }

    @Benchmark
    public long baselineThreeLaneCrc64nvme(Cpu cpu) {
        long start = CPU.getCurrentThreadCpuTime();
        long x = 0;
        for (int i = 0; i < passes; i++) {
            threeLaneNvme.reset();
            threeLaneNvme.update(data, 0, data.length);
            x ^= threeLaneNvme.getValue();
        }
        cpu.cpuNanos += CPU.getCurrentThreadCpuTime() - start;
        cpu.bytes += (long) passes * data.length;
        return x;
    }

    @Benchmark
    public long baselineThreeLaneCrc64ecma(Cpu cpu) {
        long start = CPU.getCurrentThreadCpuTime();
        long x = 0;
        for (int i = 0; i < passes; i++) {
            threeLaneEcma.reset();
            threeLaneEcma.update(data, 0, data.length);
            x ^= threeLaneEcma.getValue();
        }
        cpu.cpuNanos += CPU.getCurrentThreadCpuTime() - start;
        cpu.bytes += (long) passes * data.length;
        return x;
    }
}
