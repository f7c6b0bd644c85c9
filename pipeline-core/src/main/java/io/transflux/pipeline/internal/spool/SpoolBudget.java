package io.transflux.pipeline.internal.spool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The disk every {@link Spool} in this JVM may hold at once. Lambda gives a function 512 MB of {@code /tmp} by
 * default, shared by concurrent invocations' spools and by the native libraries zstd-jni, snappy-java and Netty
 * unpack there; a per-spool cap alone would let two large objects fill it. Thread-safe.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>Setting</th><th>Default</th><th>Change with</th></tr>
 *   <tr><td>{@link #shared()} size</td><td>{@value #DEFAULT_BYTES} (448 MiB)</td>
 *       <td>{@code -D}{@value #PROPERTY}{@code =<bytes>}</td></tr>
 * </table>
 */
public final class SpoolBudget {

    /** 448 MiB: Lambda's default 512 MB {@code /tmp} less room for unpacked natives and other users. */
    public static final long DEFAULT_BYTES = 448L << 20;

    /** System property that sizes {@link #shared()}, read once. */
    public static final String PROPERTY = "transflux.spool.budgetBytes";

    private static final SpoolBudget SHARED = new SpoolBudget(Long.getLong(PROPERTY, DEFAULT_BYTES));

    private final long total;
    private final AtomicLong used = new AtomicLong();

    private SpoolBudget(long total) {
        if (total < 0) {
            throw new IllegalArgumentException(PROPERTY + ": actual " + total + ", expected >= 0");
        }
        this.total = total;
    }

    /** The JVM-wide budget every spool uses unless given another. */
    public static SpoolBudget shared() {
        return SHARED;
    }

    /** A separate budget of {@code bytes}, for tests and embedders that size {@code /tmp} themselves. */
    public static SpoolBudget of(long bytes) {
        return new SpoolBudget(bytes);
    }

    public long total() {
        return total;
    }

    /** Bytes held by live spools now. */
    public long used() {
        return used.get();
    }

    /** Takes {@code n} bytes, or returns the total that would have been held ({@code > total}) and takes nothing. */
    long reserve(long n) {
        while (true) {
            long u = used.get();
            long next = u + n;
            if (next > total) {
                return next;
            }
            if (used.compareAndSet(u, next)) {
                return -1;
            }
        }
    }

    void release(long n) {
        used.addAndGet(-n);
    }
}
