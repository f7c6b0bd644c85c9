package io.transflux.connectors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.xerial.snappy.SnappyFramedInputStream;
import org.xerial.snappy.SnappyFramedOutputStream;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;

/**
 * The four formats of the end-to-end benchmarks, each with the compressor used to build the source object and
 * the {@code InputStream} a Java developer reaches for to read it (the "in-memory codec" baseline and the
 * "buffered" / "SDK + streams" styles all decode through {@link #open}).
 */
enum BenchCodec {
    GZIP, ZSTD, BZIP2, SNAPPY,
    /** No compression: the object is served as is and passed through; measures the transport alone. */
    NONE;

    /** Buffer size of the decoding {@code InputStream}s and of every read loop. */
    static final int CHUNK = 64 * 1024;

    static BenchCodec of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Transflux stage for this format; the ratio cap is off because the log corpus is synthetic. */
    String stage() {
        return this == NONE ? "" : "decompress/" + id() + ",ratio_0";
    }

    InputStream open(InputStream in) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPInputStream(in, CHUNK);
            case ZSTD -> new ZstdInputStream(in);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case SNAPPY -> new SnappyFramedInputStream(in, true);
            case NONE -> in;
        };
    }

    byte[] compress(byte[] data) {
        if (this == NONE) {
            return data.clone();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 4);
        try (OutputStream out = switch (this) {
            case GZIP -> new GZIPOutputStream(bytes, CHUNK);
            case ZSTD -> new ZstdOutputStream(bytes, 3);
            case BZIP2 -> new BZip2CompressorOutputStream(bytes);
            case SNAPPY -> new SnappyFramedOutputStream(bytes);
            case NONE -> throw new IllegalStateException("unreachable");
        }) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * JSON log lines with repeating services and users and random trace ids (seed 42), the same recipe as
     * {@code DecompressionBenchmark.corpus}: gzip compresses it about 4x, zstd about 5x.
     */
    static byte[] logCorpus(int size) {
        SplittableRandom r = new SplittableRandom(42);
        String[] services = {"checkout", "search", "auth", "billing", "catalog"};
        String[] paths = {"/api/v1/items", "/api/v1/cart", "/login", "/api/v2/search", "/health"};
        StringBuilder sb = new StringBuilder(size + 1024);
        long seq = 0;
        while (sb.length() < size) {
            int user = (int) (Math.pow(r.nextDouble(), 3) * 20_000);
            sb.append("{\"ts\":\"2024-05-01T12:").append(seq % 60 / 10).append(seq % 10).append(":00Z\",\"level\":\"")
                    .append(r.nextInt(10) == 0 ? "WARN" : "INFO").append("\",\"service\":\"")
                    .append(services[r.nextInt(services.length)]).append("\",\"trace\":\"")
                    .append(Long.toHexString(r.nextLong())).append(Long.toHexString(r.nextLong()))
                    .append("\",\"seq\":").append(seq++).append(",\"user\":{\"id\":").append(user)
                    .append(",\"email\":\"user").append(user).append("@example.com\"},\"http\":{\"path\":\"")
                    .append(paths[r.nextInt(paths.length)]).append("\",\"status\":").append(r.nextInt(20) == 0 ? 500 : 200)
                    .append(",\"latency_ms\":").append(r.nextInt(900)).append("}}\n");
        }
        return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }
}
