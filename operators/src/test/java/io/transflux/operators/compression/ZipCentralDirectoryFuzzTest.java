package io.transflux.operators.compression;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.PipelineException;
import io.transflux.pipeline.RangeReader;
import io.transflux.pipeline.UnsupportedFormatException;
import reactor.core.publisher.Flux;

/**
 * Fuzz targets for the ZIP central directory, read by range as {@code decompress/zip} does after a file or
 * HTTP source: the input is the whole archive behind an in-memory {@link RangeReader} that enforces the
 * reader contract (ranges within the object). Listing and entry extraction decode or fail with
 * {@link DecompressionException}, {@link LimitExceededException} or {@link UnsupportedFormatException};
 * nothing else, no hang. Seeds: the golden ZIP fixtures ({@code recreate-seeds.sh}); how to fuzz for longer:
 * docs/fuzzing.md.
 */
class ZipCentralDirectoryFuzzTest {

    private static final String LIMITS = ",entries_64,cd_65536,out_1048576,idle_10";

    @FuzzTest(maxDuration = "2m")
    void listsByRangeOrFailsTyped(byte[] archive) {
        readByRange("decompress/zip,list_1" + LIMITS, archive);
    }

    @FuzzTest(maxDuration = "2m")
    void extractsByRangeOrFailsTyped(byte[] archive) {
        readByRange("decompress/zip" + LIMITS, archive);
    }

    private static void readByRange(String stage, byte[] archive) {
        if (archive.length > DecompressionFuzzTest.MAX_INPUT) {
            return;
        }
        Operator op = Pipeline.parse(stage).operators().get(0);
        ObjectStream in = ObjectStream.of(DecompressionFuzzTest.chunks(archive), ObjectMetadata.empty())
                .withRangeReader(new BytesRangeReader(archive));
        try {
            byte[] out = ByteStreams.toBytes(op.apply(in).content()).block(Duration.ofSeconds(30));
            assertThat(out).isNotNull();
        } catch (PipelineException e) {
            assertThat(e).isInstanceOfAny(DecompressionException.class, LimitExceededException.class,
                    UnsupportedFormatException.class);
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** An object in memory; out-of-range reads fail at once, as the {@link RangeReader} contract says. */
    private record BytesRangeReader(byte[] bytes) implements RangeReader {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public Flux<ByteBuffer> read(long start, long endExclusive) {
            RangeReader.checkRange(start, endExclusive, bytes.length);
            return Flux.just(ByteBuffer.wrap(bytes, (int) start, (int) (endExclusive - start)).slice());
        }
    }
}
