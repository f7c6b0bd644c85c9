package io.transflux.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Smoke test of the benchmark harness (not a benchmark): each style runs once on a 4 MiB object and the WGOR
 * endpoint must receive exactly the decompressed bytes. Timing is not asserted.
 */
class EndToEndHarnessTest {

    static final int SIZE = 4 << 20;
    static final byte[] CORPUS = BenchCodec.logCorpus(SIZE);
    static LoopbackRig rig;
    static JobStyles styles;

    @BeforeAll
    static void start() {
        rig = new LoopbackRig(true);
        for (BenchCodec c : BenchCodec.values()) {
            rig.put(c.id(), c.compress(CORPUS));
        }
        styles = new JobStyles(rig.wgorEndpoint());
    }

    @AfterAll
    static void stop() {
        styles.close();
        rig.close();
    }

    static long crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }

    @ParameterizedTest
    @CsvSource({"transflux,gzip", "transflux,zstd", "transflux,bzip2", "transflux,snappy", "buffered,gzip", "buffered,zstd",
            "sdk-streams,gzip", "sdk-streams,snappy", "transflux,none", "sdk-streams,none"})
    void eachStyleDeliversExactlyTheDecompressedObjectToTheWgorEndpoint(String style, String format) throws Exception {
        String token = style + "-" + format;

        styles.run(JobStyles.Style.of(style), BenchCodec.of(format), rig.objectUrl(format), token);

        LoopbackRig.Delivery d = rig.delivery(token).get(30, TimeUnit.SECONDS);
        assertThat(d.bytes()).isEqualTo(SIZE);
        assertThat(d.crc32c()).isEqualTo(crc(CORPUS));
        assertThat(d.fwdStatus()).isEqualTo("200");
        assertThat(d.firstByteNanos()).isLessThanOrEqualTo(d.endNanos());
    }

    @Test
    void generatedGzipObjectDecodesToRepeatedLogBlocks() throws Exception {
        long size = 3L * GeneratedGzip.BLOCK;
        rig.gzip().trailer(size);
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rig.gzipUrl(size)))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(r.body()).hasSize((int) rig.gzip().compressedLength(size));
        byte[] decoded;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            decoded = in.readAllBytes();
        }
        byte[] block = rig.gzip().block();
        assertThat(decoded).hasSize((int) size);
        for (int i = 0; i < 3; i++) {
            assertThat(java.util.Arrays.copyOfRange(decoded, i * block.length, (i + 1) * block.length)).isEqualTo(block);
        }
    }
}
