package io.transflux.operators.compression;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
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
import org.openjdk.jmh.infra.Blackhole;
import org.xerial.snappy.SnappyFramedInputStream;
import org.xerial.snappy.SnappyFramedOutputStream;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.Pipeline;

/**
 * Each decompress stage through its {@link Operator} against the same codec used directly (an
 * {@code InputStream} read into 64 KiB buffers) on the same in-memory data in the same run. Output is
 * consumed, not retained. The corpus is log-like JSON generated here (deterministic, 8 MiB), in the
 * spirit of {@code gen_corpus.py}, so nothing large is committed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class DecompressionBenchmark {

    private static final int CHUNK = 64 * 1024;

    @Param({"gzip", "zlib", "bzip2", "zstd", "snappy", "zip"})
    public String format;

    private byte[] compressed;
    private Operator stage;
    private Limits limits;

    @Setup
    public void setUp() throws IOException {
        byte[] corpus = corpus(8 << 20);
        compressed = switch (format) {
            case "gzip" -> compress(corpus, GZIPOutputStream::new);
            case "zlib" -> compress(corpus, DeflaterOutputStream::new);
            case "bzip2" -> compress(corpus, BZip2CompressorOutputStream::new);
            case "zstd" -> Zstd.compress(corpus, 3);
            case "snappy" -> compress(corpus, SnappyFramedOutputStream::new);
            case "zip" -> zip(corpus);
            default -> throw new IllegalArgumentException(format);
        };
        stage = Pipeline.parse("decompress/" + format).operators().get(0);
        limits = Limits.builder().noDeadline().build();
    }

    @Benchmark
    public long stage(Blackhole bh) {
        long[] total = {0};
        stage.apply(ObjectStream.of(ByteStreams.fromBytes(compressed, CHUNK)), limits).content()
                .doOnNext(b -> {
                    total[0] += b.remaining();
                    bh.consume(b);
                })
                .blockLast(Duration.ofSeconds(60));
        return total[0];
    }

    @Benchmark
    public long raw(Blackhole bh) throws IOException {
        InputStream in = new ByteArrayInputStream(compressed);
        InputStream codec = switch (format) {
            case "gzip" -> new GZIPInputStream(in, CHUNK);
            case "zlib" -> new InflaterInputStream(in, new java.util.zip.Inflater(), CHUNK);
            case "bzip2" -> new BZip2CompressorInputStream(in, true);
            case "zstd" -> new ZstdInputStreamNoFinalizer(in);
            case "snappy" -> new SnappyFramedInputStream(in, true);
            case "zip" -> {
                ZipArchiveInputStream z = new ZipArchiveInputStream(in);
                z.getNextEntry();
                yield z;
            }
            default -> throw new IllegalArgumentException(format);
        };
        long total = 0;
        try (codec) {
            for (;;) {
                byte[] buf = new byte[CHUNK];
                int n = codec.readNBytes(buf, 0, CHUNK);
                if (n <= 0) {
                    break;
                }
                total += n;
                bh.consume(ByteBuffer.wrap(buf, 0, n));
            }
        }
        return total;
    }

    private interface Wrapper {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private static byte[] compress(byte[] data, Wrapper w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = w.wrap(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static byte[] zip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.putArchiveEntry(new ZipArchiveEntry("corpus.jsonl"));
            zip.write(data);
            zip.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    /** JSON log lines with repeating users and random trace ids: compresses about 4-9x depending on codec. */
    public static byte[] corpus(int size) {
        SplittableRandom r = new SplittableRandom(42);
        String[] services = {"checkout", "search", "auth", "billing", "catalog"};
        String[] paths = {"/api/v1/items", "/api/v1/cart", "/login", "/api/v2/search", "/health"};
        StringBuilder sb = new StringBuilder(size + 1024);
        long seq = 0;
        while (sb.length() < size) {
            int user = (int) Math.pow(r.nextDouble(), 3) * 20_000;
            sb.append("{\"ts\":\"2024-05-01T12:").append(seq % 60 / 10).append(seq % 10).append(":00Z\",\"level\":\"")
                    .append(r.nextInt(10) == 0 ? "WARN" : "INFO").append("\",\"service\":\"")
                    .append(services[r.nextInt(services.length)]).append("\",\"trace\":\"")
                    .append(Long.toHexString(r.nextLong())).append(Long.toHexString(r.nextLong()))
                    .append("\",\"seq\":").append(seq++).append(",\"user\":{\"id\":").append(user)
                    .append(",\"email\":\"user").append(user).append("@example.com\"},\"http\":{\"path\":\"")
                    .append(paths[r.nextInt(paths.length)]).append("\",\"status\":").append(r.nextInt(20) == 0 ? 500 : 200)
                    .append(",\"latency_ms\":").append(r.nextInt(900)).append("}}\n");
        }
        return sb.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }
}
