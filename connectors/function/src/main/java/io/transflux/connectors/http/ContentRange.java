package io.transflux.connectors.http;

import org.jspecify.annotations.Nullable;

/**
 * A satisfied byte range from a 206 reply's {@code Content-Range}
 * (<a href="https://www.rfc-editor.org/rfc/rfc9110#section-14.4">RFC 9110 §14.4</a>).
 *
 * <pre>
 *   Content-Range: bytes 1048576-4194303/4194304
 *                  └unit┘└ first ┘ └last ┘└total┘   total may be "*" (unknown)
 * </pre>
 *
 * Offsets are {@code long}; the unsatisfied form ({@code bytes *}{@code /total}, sent with 416) and
 * anything malformed parse to null.
 */
record ContentRange(long first, long last, long total) {

    /** {@link #total()} when the store sent {@code *}. */
    static final long UNKNOWN_TOTAL = -1;
    private static final int MAX_DIGITS = 18; // stays below Long.MAX_VALUE

    static @Nullable ContentRange parse(@Nullable String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.length() < 6 || !h.regionMatches(true, 0, "bytes ", 0, 6)) {
            return null;
        }
        int dash = h.indexOf('-', 6);
        int slash = h.indexOf('/', 6);
        if (dash < 0 || slash < dash) {
            return null;
        }
        long first = digits(h, 6, dash);
        long last = digits(h, dash + 1, slash);
        long total = h.substring(slash + 1).equals("*") ? UNKNOWN_TOTAL : digits(h, slash + 1, h.length());
        if (first < 0 || last < first || (h.charAt(slash + 1) != '*' && (total < 0 || last >= total))) {
            return null;
        }
        return new ContentRange(first, last, total);
    }

    private static long digits(String s, int from, int to) {
        if (to <= from || to - from > MAX_DIGITS) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Number of bytes the range covers. */
    long length() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return "bytes " + first + "-" + last + "/" + (total == UNKNOWN_TOTAL ? "*" : Long.toString(total));
    }
}
