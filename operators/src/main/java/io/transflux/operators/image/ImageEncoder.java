package io.transflux.operators.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import io.transflux.operators.image.ImageAction.OutputFormat;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.PipelineException;

/**
 * Encodes {@link Pixels} with ImageIO writers into memory. No metadata is written, so EXIF, GPS and XMP of the
 * source never reach the output. JPEG, PNG, BMP and GIF use the JDK writers; WebP uses libwebp through
 * {@code com.github.usefulness:webp-imageio} (its native library is extracted once per JVM into
 * {@code java.io.tmpdir} and deleted on exit).
 */
final class ImageEncoder {

    /** JPEG/WebP quality when no {@code quality} action is given. */
    static final int DEFAULT_QUALITY = 85;
    /** Background for formats without alpha (JPEG, BMP), as OSS fills missing alpha: white. */
    static final int FLATTEN_BACKGROUND = 0xFFFFFF;

    private ImageEncoder() {
    }

    /** The encoded bytes, readable from {@code buffer()[0, size())} without a copy. */
    static final class Encoded extends ByteArrayOutputStream {
        Encoded(int initial) {
            super(initial);
        }

        byte[] buffer() {
            return buf;
        }
    }

    static Encoded encode(Pixels pixels, OutputFormat format, int quality) {
        Pixels p = switch (format) {
            case JPG, BMP -> pixels.flatten(FLATTEN_BACKGROUND);
            default -> pixels;
        };
        ImageWriter writer = writerFor(format);
        Encoded out = new Encoded(Math.max(1024, p.width * p.height / 4));
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format == OutputFormat.JPG || format == OutputFormat.WEBP) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                if (format == OutputFormat.WEBP) {
                    param.setCompressionType(lossyType(param));
                }
                param.setCompressionQuality(quality / 100f);
            }
            writer.write(null, new IIOImage(p.toImage(), null, null), param);
            ios.flush();
        } catch (IOException | RuntimeException e) {
            throw new PipelineException(ErrorCode.INTERNAL_ERROR, "image: cannot encode " + format.ossName()
                    + ": " + e, e);
        } finally {
            writer.dispose();
        }
        return out;
    }

    private static String lossyType(ImageWriteParam param) {
        for (String t : param.getCompressionTypes()) {
            if (t.toLowerCase(Locale.ROOT).contains("lossy")) {
                return t;
            }
        }
        return param.getCompressionTypes()[0];
    }

    private static ImageWriter writerFor(OutputFormat format) {
        String name = switch (format) {
            case JPG -> "jpeg";
            case PNG -> "png";
            case WEBP -> "webp";
            case BMP -> "bmp";
            case GIF -> "gif";
        };
        ImageWriter fallback = null;
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName(name);
        while (it.hasNext()) {
            ImageWriter w = it.next();
            // Prefer the JDK's own writers: fewer layers, and they write no metadata we did not ask for.
            if (w.getClass().getName().startsWith("com.sun.imageio")) {
                if (fallback != null) {
                    fallback.dispose();
                }
                return w;
            }
            if (fallback == null) {
                fallback = w;
            } else {
                w.dispose();
            }
        }
        if (fallback == null) {
            throw new PipelineException(ErrorCode.INTERNAL_ERROR, "image: no ImageIO writer for " + format.ossName()
                    + (format == OutputFormat.WEBP ? "; needs com.github.usefulness:webp-imageio on the class path"
                            : ""));
        }
        return fallback;
    }
}
