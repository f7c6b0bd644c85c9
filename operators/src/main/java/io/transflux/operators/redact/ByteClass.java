package io.transflux.operators.redact;

/** ASCII character classes the detectors share; all take an unsigned byte or {@code -1}. */
final class ByteClass {

    private static final int DIGIT = 1;
    private static final int ALPHA = 2;
    private static final int HEX = 4;
    private static final int LOCAL = 8;
    private static final int B64 = 16;
    private static final int UPPER = 32;
    private static final int LOWER = 64;

    private static final byte[] TABLE = new byte[257];

    static {
        for (int c = 0; c < 256; c++) {
            int f = 0;
            if (c >= '0' && c <= '9') {
                f |= DIGIT | HEX | LOCAL | B64;
            }
            if (c >= 'A' && c <= 'Z') {
                f |= ALPHA | LOCAL | B64 | UPPER;
            }
            if (c >= 'a' && c <= 'z') {
                f |= ALPHA | LOCAL | B64 | LOWER;
            }
            if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                f |= HEX;
            }
            if (c == '.' || c == '_' || c == '%' || c == '+' || c == '-') {
                f |= LOCAL;
            }
            if (c == '+' || c == '/') {
                f |= B64;
            }
            TABLE[c + 1] = (byte) f;
        }
    }

    private ByteClass() {
    }

    static boolean digit(int c) {
        return (TABLE[c + 1] & DIGIT) != 0;
    }

    static boolean alpha(int c) {
        return (TABLE[c + 1] & ALPHA) != 0;
    }

    static boolean upper(int c) {
        return (TABLE[c + 1] & UPPER) != 0;
    }

    static boolean lower(int c) {
        return (TABLE[c + 1] & LOWER) != 0;
    }

    /** ASCII letter or digit: what a word-start trigger must not follow. */
    static boolean word(int c) {
        return (TABLE[c + 1] & (DIGIT | ALPHA)) != 0;
    }

    static boolean hex(int c) {
        return (TABLE[c + 1] & HEX) != 0;
    }

    /** A character of an e-mail local part (the common, unquoted subset). */
    static boolean local(int c) {
        return (TABLE[c + 1] & LOCAL) != 0;
    }

    /** A character of standard base64 (without '='). */
    static boolean base64(int c) {
        return (TABLE[c + 1] & B64) != 0;
    }

    static int hexValue(int c) {
        if (c <= '9') {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }

    /**
     * Whether the byte before {@code start} glues the candidate to a longer number, as in
     * {@code 10.555.123.4567} or {@code 12-123-45-6789}: a '.', '-' or ':' right after a digit.
     */
    static boolean continuesNumber(ScanWindow w, int start) {
        int p = w.byteAt(start - 1);
        return (p == '.' || p == '-' || p == ':') && digit(w.byteAt(start - 2));
    }

    /** Whether {@code [i..)} continues a number: a digit, a letter, or '.', '-' followed by a digit. */
    static boolean numberGoesOn(ScanWindow w, int i) {
        int c = w.byteAt(i);
        if (word(c)) {
            return true;
        }
        return (c == '.' || c == '-' || c == ':') && digit(w.byteAt(i + 1));
    }

    static byte[] range(char from, char to, String extra) {
        byte[] out = new byte[to - from + 1 + extra.length()];
        int n = 0;
        for (char c = from; c <= to; c++) {
            out[n++] = (byte) c;
        }
        for (int i = 0; i < extra.length(); i++) {
            out[n++] = (byte) extra.charAt(i);
        }
        return out;
    }
}
