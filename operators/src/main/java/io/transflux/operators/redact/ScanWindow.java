package io.transflux.operators.redact;

/**
 * A read-only view of the bytes around a trigger position, handed to {@link EntityDetector#find}.
 * Indices are positions in the scanner's buffer; only {@code [start(), end())} is readable.
 */
public final class ScanWindow {

    private byte[] bytes = new byte[0];
    private int start;
    private int end;

    ScanWindow() {
    }

    ScanWindow(byte[] bytes, int start, int end) {
        set(bytes, start, end);
    }

    void set(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.start = start;
        this.end = end;
    }

    /** The first readable index. */
    public int start() {
        return start;
    }

    /** One past the last readable index. */
    public int end() {
        return end;
    }

    /** The unsigned byte at {@code i}, or {@code -1} outside the window (before the stream's start too). */
    public int byteAt(int i) {
        return i >= start && i < end ? bytes[i] & 0xff : -1;
    }
}
