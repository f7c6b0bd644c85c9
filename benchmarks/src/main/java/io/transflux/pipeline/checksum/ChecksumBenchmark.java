package io.transflux.pipeline.checksum;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

import com.aliyun.oss.common.utils.CRC64;
import io.transflux.pipeline.ByteStreams;
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
import reactor.core.publisher.Flux;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;

/**
 * Single-thread checksum throughput over one buffer of {@code size} bytes, heap or direct. Scores are operations
 * (whole buffers) per second: multiply by {@code size} for bytes per second ({@code docs/benchmarks.md} does).
 *
 * <p>Baselines in the same run: {@link #baselineThreeLaneCrc64nvme} and {@link #baselineThreeLaneCrc64ecma} (the
 * kernel {@code Crc64} had before issue #17, {@link Crc64ThreeLaneBaseline}), {@link #baselineByteTableCrc64} (the
 * textbook byte-at-a-time table CRC-64/NVME),
 * {@link #baselineAwsCrc64Nvme} (AWS SDK {@code awssdk:checksums} over the CRT) and {@link #baselineAliyunCrc64}
 * (aliyun-sdk-oss {@code CRC64}, the OSS CRC-64/XZ). {@link #tapCrc64NvmeOver64KiBChunks} measures the public
 * {@link ChecksumTap} on the same bytes in 64 KiB chunks, i.e. the cost of the Reactor plumbing.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ChecksumBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChecksumBenchmark {

    @Param({"65536", "1048576"})
    public int size;

    @Param({"false", "true"})
    public boolean direct;

    private ByteBuffer buffer;
    private ByteBuffer[] chunks;
    private final Crc64 nvme = Crc64.nvme();
    private final Crc64 ecma = Crc64.xz();
    private final Crc64ThreeLaneBaseline threeLaneNvme = Crc64ThreeLaneBaseline.nvme();
    private final Crc64ThreeLaneBaseline threeLaneEcma = Crc64ThreeLaneBaseline.xz();
    private final CRC32 crc32 = new CRC32();
    private final CRC32C crc32c = new CRC32C();
    private MessageDigest md5;
    private MessageDigest sha1;
    private MessageDigest sha256;
    private MessageDigest sha512;
    private final CRC64 aliyun = new CRC64();

    @Setup
    public void setUp() throws NoSuchAlgorithmException {
        byte[] data = new byte[size];
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < size; i++) {
            data[i] = (byte) r.nextInt();
        }
        buffer = direct ? ByteBuffer.allocateDirect(size).put(data).flip() : ByteBuffer.wrap(data);
        chunks = ByteStreams.rechunk(Flux.just(buffer), 64 * 1024).collectList().block().toArray(ByteBuffer[]::new);
        md5 = MessageDigest.getInstance("MD5");
        sha1 = MessageDigest.getInstance("SHA-1");
        sha256 = MessageDigest.getInstance("SHA-256");
        sha512 = MessageDigest.getInstance("SHA-512");
        byte[] check = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (byteTableCrc64(-1L, ByteBuffer.wrap(check)) != ~0xAE8B14860A799888L) {
            throw new IllegalStateException("baseline byte-table CRC-64/NVME is wrong");
        }
        if (crc64nvme() != baselineThreeLaneCrc64nvme() || crc64ecma() != baselineThreeLaneCrc64ecma()) {
            throw new IllegalStateException("three-lane baseline and Crc64 disagree");
        }
    }

    @Benchmark
    public long crc64nvme() {
        nvme.reset();
        nvme.update(buffer);
        return nvme.getValue();
    }

    @Benchmark
    public long crc64ecma() {
        ecma.reset();
        ecma.update(buffer);
        return ecma.getValue();
    }

    @Benchmark
    public long crc32() {
        crc32.reset();
        crc32.update(buffer.duplicate());
        return crc32.getValue();
    }

    @Benchmark
    public long crc32c() {
        crc32c.reset();
        crc32c.update(buffer.duplicate());
        return crc32c.getValue();
    }

    @Benchmark
    public byte[] md5() {
        md5.update(buffer.duplicate());
        return md5.digest();
    }

    @Benchmark
    public byte[] sha1() {
        sha1.update(buffer.duplicate());
        return sha1.digest();
    }

    @Benchmark
    public byte[] sha256() {
        sha256.update(buffer.duplicate());
        return sha256.digest();
    }

    @Benchmark
    public byte[] sha512() {
        sha512.update(buffer.duplicate());
        return sha512.digest();
    }

    @Benchmark
    public Object tapCrc64NvmeOver64KiBChunks() {
        ChecksumTap tap = ChecksumTap.of(ChecksumAlgorithm.CRC64NVME);
        Flux.fromArray(chunks).transform(tap).blockLast();
        return tap.results().block();
    }

    @Benchmark
    public long baselineThreeLaneCrc64nvme() {
        threeLaneNvme.reset();
        threeLaneNvme.update(buffer);
        return threeLaneNvme.getValue();
    }

    @Benchmark
    public long baselineThreeLaneCrc64ecma() {
        threeLaneEcma.reset();
        threeLaneEcma.update(buffer);
        return threeLaneEcma.getValue();
    }

    @Benchmark
    public long baselineByteTableCrc64() {
        return ~byteTableCrc64(-1L, buffer);
    }

    @Benchmark
    public long baselineAwsCrc64Nvme() {
        SdkChecksum crc = SdkChecksum.forAlgorithm(DefaultChecksumAlgorithm.CRC64NVME);
        crc.update(buffer.duplicate());
        return crc.getValue();
    }

    @Benchmark
    public long baselineAliyunCrc64() {
        aliyun.reset();
        aliyun.update(buffer.duplicate()); // Checksum's default: arrays directly, direct buffers via a copy
        return aliyun.getValue();
    }

    /** CRC-64/NVME byte table, one lookup per byte: the classic implementation. */
    private static final long[] BYTE_TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ Crc64.NVME_POLY : c >>> 1;
            }
            BYTE_TABLE[i] = c;
        }
    }

    private static long byteTableCrc64(long crc, ByteBuffer buf) {
        int end = buf.limit();
        if (buf.hasArray()) {
            byte[] a = buf.array();
            int off = buf.arrayOffset();
            for (int i = buf.position(); i < end; i++) {
                crc = (crc >>> 8) ^ BYTE_TABLE[((int) crc ^ a[off + i]) & 0xff];
            }
        } else {
            for (int i = buf.position(); i < end; i++) {
                crc = (crc >>> 8) ^ BYTE_TABLE[((int) crc ^ buf.get(i)) & 0xff];
            }
        }
        return crc;
    }
}
