package io.transflux.operators.image;

import static io.transflux.operators.image.ImageFixtures.TIMEOUT;
import static io.transflux.operators.image.ImageFixtures.golden;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.PipelineException;
import io.transflux.pipeline.StageSpec;
import io.transflux.pipeline.UnsupportedFormatException;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Pixel floods, corrupt and truncated images, refused formats and oversized sources: each a typed error. */
class ImageBadInputTest {

    private static StepVerifier.LastStep fails(String spec, byte[] input) {
        return StepVerifier.create(ImageFixtures.op(spec).apply(ImageFixtures.stream(input), Limits.defaults())
                .content());
    }

    @Test
    void pixelFloodPngIsRefusedFromTheHeaderBeforeAnyRaster() {
        byte[] flood = ImageFixtures.pngHeaderOnly(65535, 65535);
        assertThat(flood).hasSizeLessThan(100);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        fails("image/resize,w_100", flood)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                        .hasMessageContaining("maxSourceSide: reached 65535 > limit 30000 px")
                        .hasMessageContaining("65535x65535")
                        .hasMessageContaining("ImageLimits.builder().maxSourceSide"))
                .verify(TIMEOUT);
        long after = rt.totalMemory() - rt.freeMemory();
        assertThat(after - before).as("heap growth in bytes").isLessThan(10L * 1024 * 1024);
    }

    @Test
    void tooManyPixelsWithinTheSideLimitIsRefused() {
        fails("image/resize,w_100", ImageFixtures.pngHeaderOnly(20_000, 20_000))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                        .hasMessageContaining("maxSourcePixels: reached 400000000 > limit 250000000 pixels"))
                .verify(TIMEOUT);
    }

    @Test
    void outputBeyondTheOssCapIsRefusedBeforeDecoding() {
        fails("image/resize,p_1000,limit_0", ImageFixtures.pngHeaderOnly(2000, 2000))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                        .hasMessageContaining("maxOutputSide: reached 20000 > limit 16384 px"))
                .verify(TIMEOUT);
    }

    @Test
    void rotateOfAnImageLargerThanOssAllowsIsRefused() {
        fails("image/rotate,30", ImageFixtures.pngHeaderOnly(5000, 100))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                        .hasMessageContaining("maxRotateSide: reached 5000 > limit 4096 px"))
                .verify(TIMEOUT);
    }

    @Test
    void truncatedJpegIsAMalformedObject() {
        byte[] jpg = golden("photo-160x120.jpg");
        fails("image/resize,w_80", Arrays.copyOf(jpg, jpg.length / 2))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ImageDecodeException.class)
                        .hasMessageStartingWith("image: JPEG data is truncated or corrupt")
                        .extracting(x -> ((PipelineException) x).code())
                        .isEqualTo(ErrorCode.MALFORMED_COMPRESSED_OBJECT))
                .verify(TIMEOUT);
    }

    @Test
    void jpegCutInsideTheHeaderIsAMalformedObject() {
        byte[] jpg = golden("photo-160x120.jpg");
        fails("image/resize,w_80", Arrays.copyOf(jpg, 40))
                .expectError(ImageDecodeException.class)
                .verify(TIMEOUT);
    }

    @Test
    void truncatedAndCorruptPngAreMalformedObjects() {
        byte[] png = golden("gradient-48x36.png");
        fails("image/format,jpg", Arrays.copyOf(png, png.length - 30))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ImageDecodeException.class)
                        .hasMessageStartingWith("image: PNG data is truncated or corrupt"))
                .verify(TIMEOUT);
        byte[] corrupt = png.clone();
        for (int i = 60; i < corrupt.length - 20; i++) {
            corrupt[i] ^= 0x5a;
        }
        fails("image/format,jpg", corrupt).expectError(ImageDecodeException.class).verify(TIMEOUT);
    }

    @Test
    void pixelFloodHeaderWithoutPixelDataFailsAsCorruptWhenSmall() {
        // Declares 100x100 but carries an empty IDAT: within the limits, so it is decoded and found corrupt.
        fails("image/format,jpg", ImageFixtures.pngHeaderOnly(100, 100))
                .expectError(ImageDecodeException.class)
                .verify(TIMEOUT);
    }

    @Test
    void tiffPsdAndSvgAreRefusedAsUnsupported() {
        for (String[] c : List.of(new String[] {"refused-8x8.tiff", "TIFF"}, new String[] {"refused-8x8.psd", "PSD"},
                new String[] {"refused.svg", "SVG"})) {
            fails("image/resize,w_4", golden(c[0]))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(UnsupportedFormatException.class)
                            .hasMessageContaining("format " + c[1])
                            .hasMessageContaining("expected one of [JPEG, PNG, GIF, BMP, WebP]"))
                    .verify(TIMEOUT);
        }
    }

    @Test
    void unknownAndEmptyInputAreUnsupported() {
        fails("image/info", "hello, world".getBytes(StandardCharsets.US_ASCII))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(UnsupportedFormatException.class)
                        .hasMessageContaining("unknown format (first bytes 0x68656c6c6f2c2077)"))
                .verify(TIMEOUT);
        fails("image/info", new byte[0])
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("empty object"))
                .verify(TIMEOUT);
    }

    @Test
    void declaredLengthOverTheLimitFailsWithoutReadingTheSource() {
        AtomicLong requested = new AtomicLong();
        Flux<ByteBuffer> never = Flux.<ByteBuffer>never().doOnRequest(requested::addAndGet);
        ObjectMetadata meta = ObjectMetadata.builder().contentLength(ImageLimits.DEFAULT_MAX_SOURCE_BYTES + 1).build();
        StepVerifier.create(ImageFixtures.op("image/resize,w_10").apply(ObjectStream.of(never, meta)).content())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                        .hasMessageContaining("maxImageSourceBytes: reached 20971521 > limit 20971520 bytes"))
                .verify(TIMEOUT);
        assertThat(requested.get()).isZero();
    }

    @Test
    void undeclaredSourceOverTheLimitFailsBeforeBufferingMoreAndCancelsTheSource() {
        ImageLimits small = ImageLimits.builder().maxSourceBytes(10_000).build();
        AtomicLong emitted = new AtomicLong();
        AtomicLong cancelled = new AtomicLong();
        Flux<ByteBuffer> endless = Flux.generate(sink -> sink.next(ByteBuffer.allocate(4096)));
        endless = endless.doOnNext(b -> emitted.incrementAndGet()).doOnCancel(cancelled::incrementAndGet);
        StepVerifier.create(Images.operator(StageSpec.parse("image/resize,w_10"), small,
                        reactor.core.scheduler.Schedulers.boundedElastic())
                        .apply(ObjectStream.of(endless)).content())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(LimitExceededException.class)
                        .hasMessageContaining("maxImageSourceBytes: reached 12288 > limit 10000 bytes"))
                .verify(TIMEOUT);
        assertThat(emitted.get()).isEqualTo(3);
        assertThat(cancelled.get()).isEqualTo(1);
    }

    @Test
    void leavesNoImageIoTempFiles() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countImageIoTemp(tmp);
        ImageFixtures.run("image/resize,w_80/format,png", golden("photo-160x120.jpg"));
        ImageFixtures.run("image/resize,w_20/format,jpg", golden("gradient-48x36.png"));
        assertThat(countImageIoTemp(tmp)).isEqualTo(before);
        assertThat(javax.imageio.ImageIO.getUseCache()).isFalse();
    }

    private static long countImageIoTemp(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("imageio")).count();
        }
    }

    @Test
    void decodeFailuresAreTypedAndBytesFree() {
        byte[] jpg = golden("photo-160x120.jpg");
        byte[] bad = Arrays.copyOf(jpg, jpg.length / 3);
        fails("image/resize,w_80", bad)
                .expectErrorSatisfies(e -> assertThat(e.getMessage()).doesNotContain(new String(bad, 200, 16,
                        StandardCharsets.ISO_8859_1)))
                .verify(TIMEOUT);
    }
}
