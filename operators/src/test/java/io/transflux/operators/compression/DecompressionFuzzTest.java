package io.transflux.operators.compression;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.PipelineException;
import io.transflux.pipeline.UnsupportedFormatException;
import reactor.core.publisher.Flux;

/**
 * Fuzz targets for every codec's frame and header parser, through the public {@code decompress/*} stages:
 * arbitrary bytes, cut into chunks at points derived from the input, decode to completion or fail with
 * {@link DecompressionException}, {@link LimitExceededException} or {@link UnsupportedFormatException}; never
 * another exception, never a hang (input at most {@value #MAX_INPUT} bytes, output at most 1 MiB, 30 s).
 * Seeds: the golden fixtures of each format, copied into {@code DecompressionFuzzTestInputs/<method>/} by
 * {@code recreate-seeds.sh}; how to fuzz for longer: docs/fuzzing.md.
 */
class DecompressionFuzzTest {

    static final int MAX_INPUT = 64 * 1024;
    private static final String LIMITS = ",out_1048576,members_64,idle_10";

    @FuzzTest(maxDuration = "2m")
    void gzip(byte[] input) {
        decodeOrFailTyped("decompress/gzip" + LIMITS, input);
    }

    @FuzzTest(maxDuration = "2m")
    void zlib(byte[] input) {
        decodeOrFailTyped("decompress/zlib" + LIMITS, input);
    }

    @FuzzTest(maxDuration = "2m")
    void rawDeflate(byte[] input) {
        decodeOrFailTyped("decompress/zlib,raw_1" + LIMITS, input);
    }

    @FuzzTest(maxDuration = "2m")
    void zstd(byte[] input) {
        decodeOrFailTyped("decompress/zstd,wlog_20" + LIMITS, input);
    }

    @FuzzTest(maxDuration = "2m")
    void snappyFramed(byte[] input) {
        decodeOrFailTyped("decompress/snappy" + LIMITS, input);
    }

    @FuzzTest(maxDuration = "2m")
    void snappyXerial(byte[] input) {
        decodeOrFailTyped("decompress/snappy,format_xerial" + LIMITS, input);
    }

    @FuzzTest(maxDuration = "2m")
    void snappyRaw(byte[] input) {
        decodeOrFailTyped("decompress/snappy,format_raw" + LIMITS, input);
    }

    @FuzzTest(maxDuration = "2m")
    void bzip2(byte[] input) {
        decodeOrFailTyped("decompress/bzip2" + LIMITS, input);
    }

    /** ZIP read as a stream (local headers), as when no range reader is at hand. */
    @FuzzTest(maxDuration = "2m")
    void zipStreamed(byte[] input) {
        decodeOrFailTyped("decompress/zip,entries_64" + LIMITS, input);
    }

    /** The sniffer and whichever decoder it picks. */
    @FuzzTest(maxDuration = "2m")
    void auto(byte[] input) {
        decodeOrFailTyped("decompress/auto,unknown_fail,wlog_20,entries_64" + LIMITS, input);
    }

    static void decodeOrFailTyped(String stage, byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        Operator op = Pipeline.parse(stage).operators().get(0);
        ObjectStream in = ObjectStream.of(chunks(input), ObjectMetadata.empty());
        try {
            byte[] out = ByteStreams.toBytes(op.apply(in).content()).block(Duration.ofSeconds(30));
            assertThat(out).isNotNull();
            assertThat(out.length).isLessThanOrEqualTo(1 << 20);
        } catch (PipelineException e) {
            assertThat(e).isInstanceOfAny(DecompressionException.class, LimitExceededException.class,
                    UnsupportedFormatException.class);
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** Heap and direct chunks of 1..257 bytes, the cuts fixed by the input's CRC so a finding replays. */
    static Flux<ByteBuffer> chunks(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        long state = crc.getValue() | 1;
        List<ByteBuffer> parts = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            int n = Math.min(data.length - pos, 1 + (int) ((state >>> 33) % 257));
            ByteBuffer b = (state & 4) == 0 ? ByteBuffer.allocate(n) : ByteBuffer.allocateDirect(n);
            b.put(data, pos, n).flip();
            parts.add(b);
            pos += n;
        }
        return Flux.fromIterable(parts);
    }
}
