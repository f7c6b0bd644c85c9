package io.transflux.operators.image;

import java.nio.ByteBuffer;

import io.transflux.pipeline.LimitExceededException;

/**
 * A growable byte array that refuses to hold more than {@code max} bytes: the check runs before copying, so a
 * too-large source costs at most {@code max} bytes of heap. Used from one thread at a time (Reactor's
 * {@code collect} serialises {@code onNext}).
 */
final class SourceBuffer {

    private static final int INITIAL = 64 * 1024;

    private final long max;
    private byte[] data;
    private int size;

    SourceBuffer(long expected, long max) {
        this.max = max;
        long first = expected > 0 ? Math.min(expected, max) : Math.min(INITIAL, max);
        this.data = new byte[(int) Math.max(1, first)];
    }

    static LimitExceededException tooLarge(long max, long reached) {
        return new LimitExceededException("maxImageSourceBytes", max, reached, "bytes",
                "OSS processes images of at most 20 MB; raise it with ImageLimits.builder().maxSourceBytes(..)");
    }

    void append(ByteBuffer buf) {
        int n = buf.remaining();
        long reached = (long) size + n;
        if (reached > max) {
            throw tooLarge(max, reached);
        }
        if (reached > data.length) {
            long grown = Math.max(reached, Math.min(max, (long) data.length * 2));
            data = java.util.Arrays.copyOf(data, (int) grown);
        }
        buf.duplicate().get(data, size, n);
        size += n;
    }

    byte[] data() {
        return data;
    }

    int size() {
        return size;
    }
}
