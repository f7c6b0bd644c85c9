package io.transflux.operators.compression;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The compressed formats {@code decompress/auto} may choose from: an explicit allow-list. Each constant
 * recognises its own magic bytes; the sniffer only asks them in turn.
 */
enum Format {

    /** RFC 1952 gzip, possibly several members: <a href="https://www.rfc-editor.org/rfc/rfc1952">RFC 1952</a>. */
    GZIP("gzip", List.of(".gz", ".gzip"), List.of("gzip", "x-gzip")) {
        @Override
        boolean matches(byte[] sig, int length) {
            return length >= 2 && (sig[0] & 0xff) == 0x1f && (sig[1] & 0xff) == 0x8b;
        }
    },
    /**
     * RFC 1950 zlib: <a href="https://www.rfc-editor.org/rfc/rfc1950">RFC 1950</a>. Only the four usual
     * headers {@code 78 01}, {@code 78 5e}, {@code 78 9c}, {@code 78 da} are sniffed.
     */
    ZLIB("zlib", List.of(".zz", ".zlib"), List.of("deflate")) {
        @Override
        boolean matches(byte[] sig, int length) {
            if (length < 2 || (sig[0] & 0xff) != 0x78) {
                return false;
            }
            int flg = sig[1] & 0xff;
            return flg == 0x01 || flg == 0x5e || flg == 0x9c || flg == 0xda;
        }
    },
    /** bzip2 ({@code BZh1}..{@code BZh9}), possibly several streams. */
    BZIP2("bzip2", List.of(".bz2", ".bzip2"), List.of("bzip2", "x-bzip2")) {
        @Override
        boolean matches(byte[] sig, int length) {
            return length >= 4 && sig[0] == 'B' && sig[1] == 'Z' && sig[2] == 'h' && sig[3] >= '1' && sig[3] <= '9';
        }
    },
    /**
     * zstd frames or a leading skippable frame:
     * <a href="https://www.rfc-editor.org/rfc/rfc8878#section-3.1.1">RFC 8878 §3.1.1</a>.
     */
    ZSTD("zstd", List.of(".zst", ".zstd"), List.of("zstd")) {
        @Override
        boolean matches(byte[] sig, int length) {
            if (length < 4) {
                return false;
            }
            int magic = (sig[0] & 0xff) | (sig[1] & 0xff) << 8 | (sig[2] & 0xff) << 16 | (sig[3] & 0xff) << 24;
            return magic == ZstdDecoder.FRAME_MAGIC || (magic & 0xFFFFFFF0) == ZstdDecoder.SKIPPABLE_MAGIC;
        }
    },
    /**
     * The snappy framing format, starting with its stream identifier:
     * <a href="https://github.com/google/snappy/blob/main/framing_format.txt">framing_format.txt</a>.
     */
    SNAPPY("snappy", List.of(".sz"), List.of("x-snappy-framed")) {
        @Override
        boolean matches(byte[] sig, int length) {
            return startsWith(sig, length, SnappyFramedDecoder.STREAM_IDENTIFIER);
        }
    },
    /** snappy-java's {@code SnappyOutputStream} format, magic {@code 82 'SNAPPY' 00}. */
    SNAPPY_XERIAL("snappy", List.of(".snappy"), List.of()) {
        @Override
        boolean matches(byte[] sig, int length) {
            return startsWith(sig, length, SnappyXerialDecoder.MAGIC);
        }
    },
    /** A ZIP archive starting with a local file header, or an empty archive. */
    ZIP("zip", List.of(".zip"), List.of()) {
        @Override
        boolean matches(byte[] sig, int length) {
            return length >= 4 && sig[0] == 'P' && sig[1] == 'K'
                    && ((sig[2] == 3 && sig[3] == 4) || (sig[2] == 5 && sig[3] == 6) || (sig[2] == '0' && sig[3] == '0'));
        }
    };

    /** Bytes the sniffer looks at; the longest magic (snappy's stream identifier) is 10. */
    static final int SIGNATURE_BYTES = 16;

    private final String action;
    private final List<String> extensions;
    private final List<String> encodings;

    Format(String action, List<String> extensions, List<String> encodings) {
        this.action = action;
        this.extensions = extensions;
        this.encodings = encodings;
    }

    /** Whether {@code sig[0..length)} starts with this format's magic. */
    abstract boolean matches(byte[] sig, int length);

    /** The stage action decoding this format, e.g. {@code gzip}. */
    String action() {
        return action;
    }

    /** The first format whose magic matches, or {@code null}. */
    static @Nullable Format sniff(byte[] sig, int length) {
        for (Format f : values()) {
            if (f.matches(sig, length)) {
                return f;
            }
        }
        return null;
    }

    /** The format named by an HTTP {@code Content-Encoding}, or {@code null}. */
    static @Nullable Format fromContentEncoding(@Nullable String encoding) {
        if (encoding == null) {
            return null;
        }
        String e = encoding.trim().toLowerCase(Locale.ROOT);
        for (Format f : values()) {
            if (f.encodings.contains(e)) {
                return f;
            }
        }
        return null;
    }

    /** The format whose extension ends {@code name}, or {@code null}. */
    static @Nullable Format fromName(@Nullable String name) {
        if (name == null) {
            return null;
        }
        String n = name.toLowerCase(Locale.ROOT);
        for (Format f : values()) {
            for (String ext : f.extensions) {
                if (n.endsWith(ext) && n.length() > ext.length()) {
                    return f;
                }
            }
        }
        return null;
    }

    /** {@code name} without this format's extension, e.g. {@code app.log} for {@code app.log.gz}. */
    String innerName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String ext : extensions) {
            if (n.endsWith(ext) && n.length() > ext.length()) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }

    private static boolean startsWith(byte[] sig, int length, byte[] magic) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (sig[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
