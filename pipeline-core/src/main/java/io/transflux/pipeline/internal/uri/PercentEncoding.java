package io.transflux.pipeline.internal.uri;

import java.nio.charset.StandardCharsets;

/**
 * RFC 3986 percent-encoding of UTF-8 bytes, the one spelling S3, OSS and SigV4 canonical requests use: unreserved
 * characters ({@code A-Z a-z 0-9 - . _ ~}) stay, everything else becomes {@code %XX} with upper-case hex. Not form
 * encoding: a space is {@code %20}, never {@code +}.
 */
public final class PercentEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentEncoding() {
    }

    /** Encodes every byte but the unreserved ones; for query names and values, and single path segments. */
    public static String encode(String s) {
        return encode(s, false);
    }

    /** As {@link #encode(String)}, but {@code /} stays: for object keys in paths. */
    public static String encodePath(String s) {
        return encode(s, true);
    }

    /** {@link #encodePath} when {@code keepSlash}, else {@link #encode}. */
    public static String encode(String s, boolean keepSlash) {
        StringBuilder b = null;
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '.' || c == '_' || c == '~' || (keepSlash && c == '/');
            if (keep) {
                if (b != null) {
                    b.append((char) c);
                }
            } else {
                if (b == null) {
                    b = new StringBuilder(bytes.length + 16);
                    for (int j = 0; j < i; j++) {
                        b.append((char) bytes[j]);
                    }
                }
                b.append('%').append(HEX[c >> 4]).append(HEX[c & 15]);
            }
        }
        return b == null ? s : b.toString();
    }
}
