package io.transflux.pipeline;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Limits a {@link Pipeline} enforces on its output, and that operators read for their own buffers.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>Limit</th><th>Default</th><th>Why</th></tr>
 *   <tr><td>{@link #maxOutputBytes()}</td><td>{@value #DEFAULT_MAX_OUTPUT_BYTES} (1 GiB)</td>
 *       <td>stops decompression bombs; raise it for large trusted objects</td></tr>
 *   <tr><td>{@link #deadline()}</td><td>55 s ({@link #DEFAULT_DEADLINE})</td>
 *       <td>S3 Object Lambda allows 60 s for the whole response; 5 s stay for reporting an error</td></tr>
 *   <tr><td>{@link #maxChunkBytes()}</td><td>{@value #DEFAULT_MAX_CHUNK_BYTES} (64 KiB)</td>
 *       <td>bounds what each in-flight element holds</td></tr>
 * </table>
 *
 * A {@link Duration#ZERO} deadline means none; {@link Long#MAX_VALUE} output bytes means no cap.
 */
public final class Limits {

    public static final long DEFAULT_MAX_OUTPUT_BYTES = 1L << 30;
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(55);
    public static final int DEFAULT_MAX_CHUNK_BYTES = 64 * 1024;
    /** Smallest chunk bound allowed; smaller chunks only cost overhead. */
    public static final int MIN_CHUNK_BYTES = 512;
    /** Largest chunk bound allowed: 8 MiB, so 128 in-flight sends stay under 1 GiB. */
    public static final int MAX_CHUNK_BYTES = 8 * 1024 * 1024;

    private static final Limits DEFAULTS = builder().build();

    private final long maxOutputBytes;
    private final Duration deadline;
    private final int maxChunkBytes;

    private Limits(Builder b) {
        this.maxOutputBytes = b.maxOutputBytes;
        this.deadline = b.deadline;
        this.maxChunkBytes = b.maxChunkBytes;
    }

    public static Limits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().maxOutputBytes(maxOutputBytes).deadline(deadline).maxChunkBytes(maxChunkBytes);
    }

    /** The most bytes a pipeline may emit. */
    public long maxOutputBytes() {
        return maxOutputBytes;
    }

    /** How long the whole content may take from subscription to completion; zero means none. */
    public Duration deadline() {
        return deadline;
    }

    public boolean hasDeadline() {
        return !deadline.isZero();
    }

    /** The largest buffer any stage emits. */
    public int maxChunkBytes() {
        return maxChunkBytes;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Limits l && maxOutputBytes == l.maxOutputBytes && deadline.equals(l.deadline)
                && maxChunkBytes == l.maxChunkBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxOutputBytes, deadline, maxChunkBytes);
    }

    @Override
    public String toString() {
        return "Limits{maxOutputBytes=" + maxOutputBytes + ", deadline=" + deadline + ", maxChunkBytes="
                + maxChunkBytes + '}';
    }

    public static final class Builder {
        private long maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES;
        private Duration deadline = DEFAULT_DEADLINE;
        private int maxChunkBytes = DEFAULT_MAX_CHUNK_BYTES;

        private Builder() {
        }

        public Builder maxOutputBytes(long maxOutputBytes) {
            if (maxOutputBytes < 0) {
                throw new IllegalArgumentException("maxOutputBytes: actual " + maxOutputBytes + ", expected >= 0");
            }
            this.maxOutputBytes = maxOutputBytes;
            return this;
        }

        /** No cap on output bytes. */
        public Builder unlimitedOutput() {
            return maxOutputBytes(Long.MAX_VALUE);
        }

        public Builder deadline(Duration deadline) {
            Objects.requireNonNull(deadline, "deadline");
            if (deadline.isNegative()) {
                throw new IllegalArgumentException("deadline: actual " + deadline + ", expected >= 0 (0 = none)");
            }
            this.deadline = deadline;
            return this;
        }

        public Builder noDeadline() {
            return deadline(Duration.ZERO);
        }

        public Builder maxChunkBytes(int maxChunkBytes) {
            if (maxChunkBytes < MIN_CHUNK_BYTES || maxChunkBytes > MAX_CHUNK_BYTES) {
                throw new IllegalArgumentException("maxChunkBytes: actual " + maxChunkBytes + ", expected ["
                        + MIN_CHUNK_BYTES + ", " + MAX_CHUNK_BYTES + "]");
            }
            this.maxChunkBytes = maxChunkBytes;
            return this;
        }

        public Limits build() {
            return new Limits(this);
        }
    }
}
