package io.transflux.connectors.accesspoint;

import java.util.function.Consumer;

/**
 * One access-log line per request: method, bucket/key (never the query, which may hold presigned credentials),
 * status, bytes in and out, time to first byte, duration and pipeline. Mutable, filled in by one exchange.
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
        return "access method=" + method + " key=" + target + " status=" + status + " in=" + bytesIn + " out=" + bytesOut
                + " ttfb_ms=" + (firstByteNanos < 0 ? "-" : Long.toString(firstByteNanos / 1_000_000)) + " ms="
                + d / 1_000_000 + " pipeline=" + (pipeline.isEmpty() ? "''" : pipeline);
    }

    void emit(Consumer<String> sink) {
        sink.accept(line());
    }
}
