package io.transflux.operators.image;

import static io.transflux.operators.image.ImageFixtures.golden;
import static io.transflux.operators.image.ImageFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;

import io.transflux.operators.image.ImageFixtures.Output;
import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Pipeline;

import org.junit.jupiter.api.Test;

/** End-to-end behaviour of the image stage on the golden fixtures. */
class ImageOperatorTest {

    @Test
    void resizesJpegWithLfitAndKeepsJpeg() {
        Output out = run("image/resize,m_lfit,w_100,h_100", golden("photo-160x120.jpg"));
        BufferedImage img = out.image();
        assertThat(img.getWidth()).isEqualTo(100);
        assertThat(img.getHeight()).isEqualTo(75);
        assertThat(out.metadata().contentType()).isEqualTo("image/jpeg");
        assertThat(out.metadata().contentLength()).hasValue(out.bytes().length);
        assertThat(out.bytes()).startsWith(0xff, 0xd8, 0xff);
    }

    @Test
    void chainsResizeQualityAndFormatInOneStage() {
        Output out = run("image/resize,m_fill,w_50,h_50/quality,Q_80/format,png", golden("photo-160x120.jpg"));
        assertThat(out.metadata().contentType()).isEqualTo("image/png");
        assertThat(out.bytes()).startsWith(0x89, 'P', 'N', 'G');
        assertThat(out.image().getWidth()).isEqualTo(50);
        assertThat(out.image().getHeight()).isEqualTo(50);
    }

    @Test
    void padFillsTheCanvasWithTheColour() {
        Output out = run("image/resize,m_pad,w_100,h_100,color_FF0000/format,png", golden("photo-160x120.jpg"));
        BufferedImage img = out.image();
        assertThat(img.getWidth()).isEqualTo(100);
        assertThat(img.getHeight()).isEqualTo(100);
        assertThat(img.getRGB(50, 2) & 0xffffff).isEqualTo(0xFF0000);
        assertThat(img.getRGB(50, 97) & 0xffffff).isEqualTo(0xFF0000);
    }

    @Test
    void writesWebp() {
        Output out = run("image/resize,w_80/format,webp", golden("photo-160x120.jpg"));
        assertThat(out.metadata().contentType()).isEqualTo("image/webp");
        assertThat(new String(out.bytes(), 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WEBP");
        BufferedImage img = out.image();
        assertThat(img.getWidth()).isEqualTo(80);
        assertThat(img.getHeight()).isEqualTo(60);
    }

    @Test
    void writesBmp() {
        Output out = run("image/format,bmp", golden("photo-160x120.jpg"));
        assertThat(out.metadata().contentType()).isEqualTo("image/bmp");
        assertThat(out.bytes()).startsWith('B', 'M');
        assertThat(out.image().getWidth()).isEqualTo(160);
    }

    @Test
    void readsWebpGifBmpAndPngSources() {
        assertThat(run("image/resize,w_24", golden("gradient-48x36.webp")).image().getWidth()).isEqualTo(24);
        assertThat(run("image/resize,w_24", golden("gradient-48x36.webp")).metadata().contentType())
                .isEqualTo("image/webp");
        assertThat(run("image/resize,w_15", golden("plain-30x20.bmp")).image().getHeight()).isEqualTo(10);
        assertThat(run("image/resize,w_24", golden("gradient-48x36.png")).image().getHeight()).isEqualTo(18);
        Output gif = run("image/format,png", golden("two-frames-30x20.gif"));
        assertThat(gif.image().getRGB(5, 5) & 0xffffff).as("first frame is red").isEqualTo(0xFF0000);
        assertThat(run("image/resize,w_15", golden("two-frames-30x20.gif")).metadata().contentType())
                .isEqualTo("image/gif");
    }

    @Test
    void readsCmykJpegThroughTwelveMonkeys() {
        byte[] cmyk = golden("cmyk-24x16.jpg");
        assertThat(JpegSegments.scan(cmyk, cmyk.length).plainYCbCr).isFalse();
        byte[] plain = golden("photo-160x120.jpg");
        assertThat(JpegSegments.scan(plain, plain.length).plainYCbCr).isTrue();
        BufferedImage img = run("image/format,png", cmyk).image();
        assertThat(img.getWidth()).isEqualTo(24);
        int p = img.getRGB(12, 8);
        assertThat((p >> 16) & 0xff).as("red").isGreaterThan(200);
        assertThat((p >> 8) & 0xff).as("green").isLessThan(60);
    }

    @Test
    void flattensAlphaOnWhiteForJpegAndKeepsItForPng() {
        Output jpg = run("image/format,jpg", golden("alpha-40x30.png"));
        BufferedImage j = jpg.image();
        assertThat(j.getColorModel().hasAlpha()).isFalse();
        int right = j.getRGB(35, 15);
        assertThat((right >> 16) & 0xff).isGreaterThan(240);
        assertThat(right & 0xff).isGreaterThan(240);
        Output png = run("image/format,png", golden("alpha-40x30.png"));
        assertThat(png.image().getRGB(35, 15) >>> 24).isZero();
        assertThat(png.image().getRGB(5, 15) & 0xffffff).isEqualTo(0x00FF00);
    }

    @Test
    void autoOrientAppliesExifOrientationSixAndStripsExif() {
        Output out = run("image/auto-orient,1", golden("exif-orientation-6.jpg"));
        BufferedImage img = out.image();
        assertThat(img.getWidth()).isEqualTo(32);
        assertThat(img.getHeight()).isEqualTo(64);
        // The blue band on the left of the stored image is on top once rotated 90 degrees clockwise.
        assertThat(img.getRGB(16, 4) & 0xff).isGreaterThan(200);
        assertThat((img.getRGB(16, 60) >> 16) & 0xff).isGreaterThan(200);
        assertThat(new String(out.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("Exif").doesNotContain("GPS");
    }

    @Test
    void autoOrientZeroKeepsStoredPixels() {
        BufferedImage img = run("image/auto-orient,0", golden("exif-orientation-6.jpg")).image();
        assertThat(img.getWidth()).isEqualTo(64);
        assertThat(img.getHeight()).isEqualTo(32);
    }

    @Test
    void cropsWithGravity() {
        BufferedImage img = run("image/crop,w_40,h_30,g_se/format,png", golden("photo-160x120.jpg")).image();
        assertThat(img.getWidth()).isEqualTo(40);
        assertThat(img.getHeight()).isEqualTo(30);
    }

    @Test
    void rotatesRightAnglesLosslesslyAndOtherAnglesOntoTheBoundingBox() {
        BufferedImage r90 = run("image/rotate,90/format,png", golden("exif-orientation-6.jpg")).image();
        assertThat(r90.getWidth()).isEqualTo(32);
        assertThat(r90.getHeight()).isEqualTo(64);
        BufferedImage r45 = run("image/rotate,45/format,png", golden("photo-160x120.jpg")).image();
        assertThat(r45.getWidth()).isEqualTo(ImageGeometry.rotate(new ImageGeometry.Size(160, 120), 45).width());
        assertThat(r45.getHeight()).as("ceil(280 * cos 45)").isEqualTo(198);
        assertThat(r45.getRGB(1, 1) & 0xffffff).as("corner is background white").isEqualTo(0xFFFFFF);
    }

    @Test
    void relativeQualityScalesTheSourceQuality() {
        byte[] src = golden("photo-160x120.jpg");
        assertThat(JpegSegments.scan(src, src.length).quality).isEqualTo(85);
        Output relative = run("image/quality,q_70", src);
        byte[] out = relative.bytes();
        // 85 * 0.70 = 59.5 -> 60
        assertThat(JpegSegments.scan(out, out.length).quality).isEqualTo(60);
        Output absolute = run("image/quality,q_70,Q_90", src);
        assertThat(JpegSegments.scan(absolute.bytes(), absolute.bytes().length).quality).isEqualTo(90);
        byte[] q60 = golden("photo-160x120-q60.jpg");
        assertThat(JpegSegments.scan(q60, q60.length).quality).isEqualTo(60);
    }

    @Test
    void infoReturnsOssJsonWithoutDecoding() {
        Output out = run("image/info", golden("photo-160x120.jpg"));
        assertThat(out.metadata().contentType()).isEqualTo("application/json");
        assertThat(new String(out.bytes(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"FileSize\": {\"value\": \"3575\"}, \"Format\": {\"value\": \"jpg\"}, "
                        + "\"FrameCount\": {\"value\": \"1\"}, \"ImageHeight\": {\"value\": \"120\"}, "
                        + "\"ImageWidth\": {\"value\": \"160\"}}");
        String gif = new String(run("image/info", golden("two-frames-30x20.gif")).bytes(), StandardCharsets.UTF_8);
        assertThat(gif).contains("\"FrameCount\": {\"value\": \"2\"}").contains("\"Format\": {\"value\": \"gif\"}");
        String exif = new String(run("image/info", golden("exif-orientation-6.jpg")).bytes(), StandardCharsets.UTF_8);
        assertThat(exif).contains("\"Orientation\": {\"value\": \"6\"}");
    }

    @Test
    void limitOneNeverEnlarges() {
        BufferedImage img = run("image/resize,w_500", golden("photo-160x120.jpg")).image();
        assertThat(img.getWidth()).isEqualTo(160);
        BufferedImage big = run("image/resize,w_320,limit_0", golden("photo-160x120.jpg")).image();
        assertThat(big.getWidth()).isEqualTo(320);
        assertThat(big.getHeight()).isEqualTo(240);
    }

    @Test
    void registeredThroughServiceLoaderAndCanonical() {
        Pipeline p = Pipeline.parse("image/resize,m_lfit,w_200,h_200/quality,q_80/format,webp");
        assertThat(Pipeline.parse(p.toString())).isEqualTo(p);
        assertThat(p.operators()).hasSize(1);
        assertThat(p.toString()).isEqualTo("image/resize,m_lfit,w_200,h_200/quality,q_80/format,webp");
    }

    @Test
    void pipelineApplyDropsEncodingAndStaleLengthAndNamesDeclaredType() {
        ObjectMetadata in = ObjectMetadata.builder().contentType("text/plain").contentLength(3575)
                .contentEncoding("identity").build();
        Pipeline p = Pipeline.parse("image/resize,w_80/format,png");
        ObjectStream out = p.apply(ObjectStream.of(ByteStreams.fromBytes(golden("photo-160x120.jpg"), 512), in),
                Limits.defaults());
        assertThat(out.metadata().contentType()).isEqualTo("image/png");
        assertThat(out.metadata().contentEncoding()).isNull();
        assertThat(out.metadata().contentLength()).isEmpty();
        byte[] bytes = ByteStreams.toBytes(out.content()).block(ImageFixtures.TIMEOUT);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void ignoresAMisleadingContentType() {
        ObjectMetadata lying = ObjectMetadata.builder().contentType("image/svg+xml").build();
        ObjectStream out = Images.process(ImageFixtures.op("image/resize,w_80"),
                ObjectStream.of(ByteStreams.fromBytes(golden("photo-160x120.jpg"), 700), lying), Limits.defaults())
                .block(ImageFixtures.TIMEOUT);
        assertThat(out.metadata().contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void emitsChunksNoLargerThanTheLimit() {
        Limits small = Limits.builder().maxChunkBytes(Limits.MIN_CHUNK_BYTES).build();
        ObjectStream out = Pipeline.parse("image/format,png").apply(ImageFixtures.stream(golden("photo-160x120.jpg")),
                small);
        assertThat(out.content().map(java.nio.ByteBuffer::remaining).collectList().block(ImageFixtures.TIMEOUT))
                .allMatch(n -> n <= Limits.MIN_CHUNK_BYTES).hasSizeGreaterThan(1);
    }
}
