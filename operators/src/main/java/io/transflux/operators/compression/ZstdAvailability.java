package io.transflux.operators.compression;

import org.jspecify.annotations.Nullable;

import com.github.luben.zstd.util.Native;

/** Whether zstd-jni's native library loads; probed once, when the first zstd stage is built. */
final class ZstdAvailability {

    private static final @Nullable Throwable CAUSE = probe();

    private ZstdAvailability() {
    }

    private static @Nullable Throwable probe() {
        try {
            Native.load();
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
            throw new IllegalStateException("decompress/zstd needs zstd-jni on the classpath: " + CAUSE, CAUSE);
        }
    }
}
