package io.transflux.operators.compression;

import org.jspecify.annotations.Nullable;

import org.xerial.snappy.Snappy;

/** Whether snappy-java's native library loads; probed once, when the first snappy stage is built. */
final class SnappyAvailability {

    private static final @Nullable Throwable CAUSE = probe();

    private SnappyAvailability() {
    }

    private static @Nullable Throwable probe() {
        try {
            Snappy.maxCompressedLength(1);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    static boolean isAvailable() {
        return CAUSE == null;
    }

    static @Nullable Throwable cause() {
        return CAUSE;
    }

    static void ensureAvailable() {
        if (CAUSE != null) {
            throw new IllegalStateException("decompress/snappy needs snappy-java on the classpath: " + CAUSE, CAUSE);
        }
    }
}
