package io.transflux.operators.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import io.transflux.pipeline.UnsupportedFormatException;
import reactor.core.publisher.Flux;

/**
 * Fuzz targets for the image header probe: the sniffer, the JPEG segment scan (EXIF orientation, quantisation
 * tables) and each reader's header, through {@code image/info}, which decodes no pixel. Oracle: the info JSON
 * or a typed failure ({@link ImageDecodeException}, {@link UnsupportedFormatException},
 * {@link LimitExceededException}); nothing else, no hang. Seeds: the golden image fixtures
 * ({@code recreate-seeds.sh}); how to fuzz for longer: docs/fuzzing.md.
 */
class ImageProbeFuzzTest {

    private static final int MAX_INPUT = 64 * 1024;

    @FuzzTest(maxDuration = "2m")
    void probesHeaderOrFailsTyped(byte[] image) {
        if (image.length > MAX_INPUT) {
            return;
        }
        Operator op = Pipeline.parse("image/info").operators().get(0);
        ObjectStream in = ObjectStream.of(Flux.just(ByteBuffer.wrap(image)), ObjectMetadata.empty());
        try {
            byte[] json = ByteStreams.toBytes(op.apply(in).content()).block(Duration.ofSeconds(30));
            assertThat(new String(json, StandardCharsets.UTF_8)).startsWith("{").contains("\"ImageWidth\"");
        } catch (PipelineException e) {
            assertThat(e).isInstanceOfAny(ImageDecodeException.class, UnsupportedFormatException.class,
                    LimitExceededException.class, DecompressionException.class);
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "2m")
    void scansJpegSegmentsWithoutThrowing(byte[] jpeg) {
        if (jpeg.length > MAX_INPUT) {
            return;
        }
        JpegSegments s = JpegSegments.scan(jpeg, jpeg.length);
        assertThat(s.orientation).isBetween(1, 8);
        assertThat(s.quality).isBetween(0, 100);
    }
}
