package io.transflux.connectors.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * Bookkeeping for one read of one object across attempts (docs/reliability.md §5): bytes delivered
 * downstream (the next {@code Range} start), the identity of the version being read, the expected total
 * and the shared retry budget. Signals of one read are serialised by Reactor, so plain fields suffice;
 * they are volatile because successive attempts run on different event loops.
 *
 * <p><b>Resume policy.</b> A body is resumed only when the first reply carried a <em>strong</em> ETag:
 * {@code Range: bytes=N-} goes out with {@code If-Match: <etag>}, and only a 206 whose
 * {@code Content-Range} starts exactly at N, whose total and ETag equal the first reply's, continues the
 * stream. {@code Last-Modified} is not used as a fallback: its one-second granularity cannot tell apart
 * two versions written within the same second, and bytes of two versions must never be joined.
 */
final class ResumeState {

    private final int maxResumes;
    private final long backoffNanos;
    private final long maxBackoffNanos;

    private volatile long delivered;
    private volatile long expectedTotal = -1;
    private volatile @Nullable String etag;
    private volatile int resumesUsed;

    ResumeState(int maxResumes, Duration backoff, Duration maxBackoff) {
        this.maxResumes = maxResumes;
        this.backoffNanos = backoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
    }

    /** Records the first reply: its ETag (kept only when strong) and Content-Length (-1 when unknown). */
    void onFirstResponse(@Nullable String eTag, long contentLength) {
        this.etag = eTag != null && isStrong(eTag) ? eTag : null;
        this.expectedTotal = contentLength;
    }

    static boolean isStrong(String eTag) {
        return eTag.length() >= 2 && eTag.charAt(0) == '"' && eTag.charAt(eTag.length() - 1) == '"';
    }

    /** The strong ETag used for {@code If-Match}, or null when the body cannot be resumed. */
    @Nullable String etag() {
        return etag;
    }

    boolean canResumeBody() {
        return etag != null;
    }

    long delivered() {
        return delivered;
    }

    /** The object's full length, or -1 while unknown. */
    long expectedTotal() {
        return expectedTotal;
    }

    /**
     * Counts {@code n} bytes about to go downstream.
     *
     * @return false, counting nothing, when they would exceed the expected total
     */
    boolean advance(int n) {
        long next = delivered + n;
        if (expectedTotal >= 0 && next > expectedTotal) {
            return false;
        }
        delivered = next;
        return true;
    }

    /** Whether every byte of a known total has been delivered. */
    boolean complete() {
        return expectedTotal >= 0 && delivered == expectedTotal;
    }

    /** Takes one attempt from the budget; false when it is used up. */
    boolean tryConsume() {
        if (resumesUsed >= maxResumes) {
            return false;
        }
        resumesUsed++;
        return true;
    }

    int resumesUsed() {
        return resumesUsed;
    }

    int maxResumes() {
        return maxResumes;
    }

    /** Backoff before the attempt just consumed: exponential, capped, with up to 50 % jitter off. */
    Duration backoff() {
        int k = Math.max(1, resumesUsed);
        long base = k >= 31 ? maxBackoffNanos : Math.min(maxBackoffNanos, backoffNanos << (k - 1));
        if (base < 0) {
            base = maxBackoffNanos;
        }
        long jitter = base <= 1 ? 0 : ThreadLocalRandom.current().nextLong(base / 2 + 1);
        return Duration.ofNanos(base - jitter);
    }

    /**
     * Checks a 206 reply to {@code Range: bytes=<delivered>-}.
     *
     * @return null when the reply continues the same version exactly at {@link #delivered()}, otherwise
     *     why it does not (the caller fails with {@code SOURCE_CHANGED})
     */
    @Nullable String rejectPartial(@Nullable ContentRange range, @Nullable String replyETag, long contentLength) {
        long offset = delivered;
        if (range == null) {
            return "206 without a valid Content-Range";
        }
        if (range.first() != offset) {
            return "Content-Range " + range + " starts at " + range.first() + ", expected " + offset;
        }
        if (range.total() == ContentRange.UNKNOWN_TOTAL) {
            return "Content-Range " + range + " has no total, expected one";
        }
        if (expectedTotal >= 0 && range.total() != expectedTotal) {
            return "Content-Range total " + range.total() + ", expected " + expectedTotal;
        }
        if (range.last() != range.total() - 1) {
            return "Content-Range " + range + " ends at " + range.last() + ", expected " + (range.total() - 1);
        }
        if (contentLength >= 0 && contentLength != range.length()) {
            return "Content-Length " + contentLength + ", expected " + range.length() + " for " + range;
        }
        if (replyETag == null || !replyETag.equals(etag)) {
            return "ETag " + (replyETag == null ? "absent" : "changed") + " on resume";
        }
        if (expectedTotal < 0) {
            expectedTotal = range.total();
        }
        return null;
    }
}
