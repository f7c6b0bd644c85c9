package io.transflux.connectors.accesspoint;

import java.util.function.Consumer;

/**
 * One access-log line per request: method, bucket/key (never the query, which may hold presigned credentials),
 * status, bytes in and out, time to first byte, duration, pipeline and how the exchange ended ({@code end=complete},
 * {@code error} before the answer started, or {@code aborted}: the body was cut, e.g. the client went away).
 * Key and pipeline come from the request, so control characters and backslashes are written as {@code \xNN} /
 * {@code \\}: a key holding {@code %0A} cannot start a forged line. Mutable, filled in by one exchange.
 */
final class AccessLog {

    private final long t0 = System.nanoTime();
    final String method;
    final String target;
    volatile int status;
    volatile long bytesIn;
    volatile long bytesOut;
    volatile long firstByteNanos = -1;
    volatile String pipeline = "-";
    volatile String end = "complete";

    AccessLog(String method, String target) {
        this.method = method;
        this.target = target;
    }

    void firstByte() {
        if (firstByteNanos < 0) {
            firstByteNanos = System.nanoTime() - t0;
        }
    }

    String line() {
        long d = System.nanoTime() - t0;
        return "access method=" + escape(method) + " key=" + escape(target) + " status=" + status + " in=" + bytesIn + " out=" + bytesOut
                + " ttfb_ms=" + (firstByteNanos < 0 ? "-" : Long.toString(firstByteNanos / 1_000_000)) + " ms="
                + d / 1_000_000 + " pipeline=" + (pipeline.isEmpty() ? "''" : escape(pipeline)) + " end=" + end;
    }

    /** {@code s} with control characters as {@code \xNN} and {@code \} doubled, so one record stays one line. */
    static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean bad = ch < 0x20 || ch == 0x7f || ch == '\\' || ch == 0x85 || ch == 0x2028 || ch == 0x2029;
            if (bad && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (ch == '\\') {
                    b.append("\\\\");
                } else if (bad) {
                    b.append(ch < 0x100 ? String.format(java.util.Locale.ROOT, "\\x%02x", (int) ch)
                            : String.format(java.util.Locale.ROOT, "\\u%04x", (int) ch));
                } else {
                    b.append(ch);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    void emit(Consumer<String> sink) {
        sink.accept(line());
    }
}
