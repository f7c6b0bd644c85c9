package io.transflux.operators.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.StageSpec;

/** Golden fixtures (see golden/image/recreate.sh) and small helpers for the image tests. */
final class ImageFixtures {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private ImageFixtures() {
    }

    static byte[] golden(String name) {
        try (InputStream in = ImageFixtures.class.getResourceAsStream("/golden/image/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture golden/image/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectStream stream(byte[] bytes) {
        return ObjectStream.of(ByteStreams.fromBytes(bytes, 1000), ObjectMetadata.empty());
    }

    static Operator op(String spec) {
        return Images.operator(StageSpec.parse(spec));
    }

    /** Runs {@code spec} on {@code input} and returns the output object with exact metadata and its bytes. */
    static Output run(String spec, byte[] input) {
        ObjectStream out = Images.process(op(spec), stream(input), io.transflux.pipeline.Limits.defaults())
                .block(TIMEOUT);
        byte[] bytes = ByteStreams.toBytes(out.content()).block(TIMEOUT);
        return new Output(out.metadata(), bytes);
    }

    record Output(ObjectMetadata metadata, byte[] bytes) {
        BufferedImage image() {
            try {
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
                if (img == null) {
                    throw new IllegalStateException("output is not a readable image");
                }
                return img;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A PNG with only a signature and an IHDR declaring {@code w} x {@code h} (valid CRC), then IEND. */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A noisy, photo-like RGB image generated row by row (plasma-ish sines plus hash noise). */
    static BufferedImage synthetic(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] row = new byte[w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int n = (x * 73856093 ^ y * 19349663) & 31;
                int r = (int) (128 + 90 * Math.sin(x / 97.0) * Math.cos(y / 131.0)) + n - 16;
                int g = (int) (128 + 90 * Math.sin((x + y) / 173.0)) + n - 16;
                int b = (int) (128 + 90 * Math.cos(x / 59.0 - y / 83.0)) + n - 16;
                row[x * 3] = (byte) Math.max(0, Math.min(255, b));
                row[x * 3 + 1] = (byte) Math.max(0, Math.min(255, g));
                row[x * 3 + 2] = (byte) Math.max(0, Math.min(255, r));
            }
            img.getRaster().setDataElements(0, y, w, 1, reorder(row));
        }
        return img;
    }

    /** getDataElements order of TYPE_3BYTE_BGR is band order R, G, B. */
    private static byte[] reorder(byte[] bgr) {
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return rgb;
    }

    static byte[] jpeg(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "jpeg", out)) {
                throw new IllegalStateException("no JPEG writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
