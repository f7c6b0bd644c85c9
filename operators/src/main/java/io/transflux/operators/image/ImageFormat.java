package io.transflux.operators.image;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import io.transflux.pipeline.UnsupportedFormatException;

import org.jspecify.annotations.Nullable;

/**
 * The image formats the stage reads, each recognising its own magic bytes. Only these are decoded; the
 * format is never taken from {@code Content-Type} or a file name. {@link #sniff} names a few well-known
 * refused formats (TIFF, PSD, SVG, HEIF/AVIF, ICO) in its error so the caller knows what was sent.
 */
enum ImageFormat {
    /** JPEG/JFIF/Exif: {@code FF D8 FF} (ITU T.81 B.1.1.3 SOI followed by a marker). */
    JPEG("jpg", "image/jpeg") {
        @Override
        boolean matches(byte[] b, int len) {
            return len >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
        }
    },
    /** PNG: the 8-byte signature of https://www.w3.org/TR/png-3/#5PNG-file-signature. */
    PNG("png", "image/png") {
        @Override
        boolean matches(byte[] b, int len) {
            return startsWith(b, len, PNG_SIGNATURE);
        }
    },
    /** GIF87a / GIF89a (first frame only). */
    GIF("gif", "image/gif") {
        @Override
        boolean matches(byte[] b, int len) {
            return startsWith(b, len, ascii("GIF87a")) || startsWith(b, len, ascii("GIF89a"));
        }
    },
    /** Windows BMP: {@code BM} and a known DIB header size at offset 14. */
    BMP("bmp", "image/bmp") {
        @Override
        boolean matches(byte[] b, int len) {
            if (len < 18 || b[0] != 'B' || b[1] != 'M') {
                return false;
            }
            int dib = (b[14] & 0xff) | (b[15] & 0xff) << 8 | (b[16] & 0xff) << 16 | (b[17] & 0xff) << 24;
            return dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124;
        }
    },
    /** WebP: {@code RIFF <size> WEBP} (https://developers.google.com/speed/webp/docs/riff_container). */
    WEBP("webp", "image/webp") {
        @Override
        boolean matches(byte[] b, int len) {
            return len >= 12 && startsWith(b, len, ascii("RIFF")) && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                    && b[11] == 'P';
        }
    };

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final List<ImageFormat> ALLOWED = List.of(values());
    /** Bytes {@link #sniff} looks at. */
    static final int SNIFF_BYTES = 64;

    private final String ossName;
    private final String contentType;

    ImageFormat(String ossName, String contentType) {
        this.ossName = ossName;
        this.contentType = contentType;
    }

    abstract boolean matches(byte[] signature, int length);

    /** The name OSS uses ({@code jpg}, {@code png}, ...), as in {@code format,jpg} and the info JSON. */
    String ossName() {
        return ossName;
    }

    String contentType() {
        return contentType;
    }

    /**
     * The format of {@code data[0, length)}.
     *
     * @throws UnsupportedFormatException when no allowed format matches
     */
    static ImageFormat sniff(byte[] data, int length) {
        for (ImageFormat f : ALLOWED) {
            if (f.matches(data, length)) {
                return f;
            }
        }
        String refused = refusedName(data, length);
        if (refused != null) {
            throw new UnsupportedFormatException("image: format " + refused + " is not supported, expected one of "
                    + ALLOWED);
        }
        int n = Math.min(length, 8);
        throw new UnsupportedFormatException("image: unknown format (first bytes 0x"
                + HexFormat.of().formatHex(data, 0, n) + (length == 0 ? "; empty object" : "")
                + "), expected one of " + ALLOWED);
    }

    private static @Nullable String refusedName(byte[] b, int len) {
        if (startsWith(b, len, new byte[] {'I', 'I', 42, 0}) || startsWith(b, len, new byte[] {'M', 'M', 0, 42})) {
            return "TIFF";
        }
        if (startsWith(b, len, ascii("8BPS"))) {
            return "PSD";
        }
        if (startsWith(b, len, new byte[] {0, 0, 1, 0})) {
            return "ICO";
        }
        if (len >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            return "HEIF/AVIF (ISO BMFF '" + new String(b, 8, 4, StandardCharsets.ISO_8859_1) + "')";
        }
        String head = new String(b, 0, Math.min(len, SNIFF_BYTES), StandardCharsets.ISO_8859_1)
                .replace("\uFEFF", "").replace("\u00EF\u00BB\u00BF", "").stripLeading().toLowerCase(Locale.ROOT);
        if (head.startsWith("<svg") || head.startsWith("<?xml") || head.startsWith("<!doctype svg")) {
            return "SVG/XML";
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return this == WEBP ? "WebP" : name();
    }
}
