package io.transflux.operators.compression;

import java.time.Duration;

import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.Limits;

/**
 * The limits one decoding subscription enforces, resolved from a {@link DecodeSpec} and the pipeline's
 * {@link Limits}: output bytes, expansion ratio, members or frames, chunk size, idle time and deadline.
 */
final class DecodeLimits {

    /** The ratio is checked only once this much output exists, so small files with headers pass. */
    static final long RATIO_GRACE_BYTES = 1L << 20;

    final String format;
    final long maxOutputBytes;
    final long maxRatio;
    final long maxMembers;
    final int chunkBytes;
    final Duration idle;
    final Duration deadline;
    final boolean trailingIgnore;

    DecodeLimits(String format, DecodeSpec spec, Limits limits) {
        this.format = format;
        this.maxOutputBytes = spec.maxOutputBytes == DecodeSpec.FROM_LIMITS ? limits.maxOutputBytes() : spec.maxOutputBytes;
        this.maxRatio = spec.maxRatio;
        this.maxMembers = spec.maxMembers;
        this.chunkBytes = spec.chunkBytes == DecodeSpec.FROM_LIMITS ? limits.maxChunkBytes() : (int) spec.chunkBytes;
        this.idle = Duration.ofSeconds(spec.idleSeconds);
        this.deadline = limits.deadline();
        this.trailingIgnore = spec.trailingIgnore;
    }

    DecodeLimits forFormat(String otherFormat) {
        return new DecodeLimits(otherFormat, this);
    }

    private DecodeLimits(String format, DecodeLimits o) {
        this.format = format;
        this.maxOutputBytes = o.maxOutputBytes;
        this.maxRatio = o.maxRatio;
        this.maxMembers = o.maxMembers;
        this.chunkBytes = o.chunkBytes;
        this.idle = o.idle;
        this.deadline = o.deadline;
        this.trailingIgnore = o.trailingIgnore;
    }

    /** Throws when {@code totalOut} bytes from {@code totalIn} compressed bytes break the byte or ratio cap. */
    void checkOutput(long totalOut, long totalIn) {
        if (totalOut > maxOutputBytes) {
            throw new LimitExceededException("maxOutputBytes", maxOutputBytes, totalOut, "bytes",
                    format + ": raise it with decompress/" + format + ",out_<bytes> or Limits.builder().maxOutputBytes(..)");
        }
        if (maxRatio > 0 && totalOut >= RATIO_GRACE_BYTES && totalOut / Math.max(1, totalIn) > maxRatio) {
            throw new LimitExceededException("maxRatio", maxRatio, totalOut / Math.max(1, totalIn), "output/input",
                    format + ": raise it with decompress/" + format + ",ratio_<n> (0 disables)");
        }
    }

    void checkMembers(long members) {
        if (members > maxMembers) {
            throw new LimitExceededException("maxMembers", maxMembers, members, "members or frames",
                    format + ": raise it with decompress/" + format + ",members_<n>");
        }
    }

    LimitExceededException idleExceeded(long elapsedMillis) {
        return new LimitExceededException("noProgressTimeout", idle.toMillis(), elapsedMillis, "ms",
                format + ": no output for that long while downstream was waiting for some; raise it with decompress/" + format + ",idle_<seconds> (0 disables)");
    }
}
