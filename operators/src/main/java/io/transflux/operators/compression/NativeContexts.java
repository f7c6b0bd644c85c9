package io.transflux.operators.compression;

import java.util.concurrent.atomic.AtomicLong;

/** Counts native codec contexts (Inflater, zstd) opened and freed, so tests can prove each is freed once. */
final class NativeContexts {

    private static final AtomicLong OPENED = new AtomicLong();
    private static final AtomicLong FREED = new AtomicLong();

    private NativeContexts() {
    }

    static void opened() {
        OPENED.incrementAndGet();
    }

    static void freed() {
        FREED.incrementAndGet();
    }

    static long openedCount() {
        return OPENED.get();
    }

    static long freedCount() {
        return FREED.get();
    }
}
