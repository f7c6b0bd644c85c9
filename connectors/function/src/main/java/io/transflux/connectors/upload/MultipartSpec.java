package io.transflux.connectors.upload;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link MultipartObjectSink}. Immutable.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>Setting</th><th>Default</th><th>Range</th></tr>
 *   <tr><td>{@link #partSize()}</td><td>{@value #DEFAULT_PART_SIZE} (8 MiB)</td>
 *       <td>[{@value #MIN_PART_SIZE}, {@value #MAX_PART_SIZE}]</td></tr>
 *   <tr><td>{@link #maxParts()}</td><td>{@value #DEFAULT_MAX_PARTS}</td><td>[1, 10000]</td></tr>
 *   <tr><td>{@link #requestTimeout()}</td><td>60 s, per request, idle time between reads</td><td>&gt; 0</td></tr>
 *   <tr><td>{@link #retries()}</td><td>{@value #DEFAULT_RETRIES} per request, on 5xx and connection failures</td>
 *       <td>[0, 10]</td></tr>
 * </table>
 *
 * <p>Memory: at most two parts are held at a time (one uploading, one filling), so about
 * {@code 2 × partSize + maxChunkBytes}. The minimum part size is the OSS minimum (100 KiB); S3 wants
 * 5 MiB for all but the last part.
 */
public final class MultipartSpec {

    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    public static final int MIN_PART_SIZE = 100 * 1024;
    public static final int MAX_PART_SIZE = 256 * 1024 * 1024;
    public static final int DEFAULT_MAX_PARTS = 10_000;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_RETRIES = 2;

    private static final MultipartSpec DEFAULTS = builder().build();

    private final int partSize;
    private final int maxParts;
    private final Duration requestTimeout;
    private final int retries;

    private MultipartSpec(Builder b) {
        this.partSize = b.partSize;
        this.maxParts = b.maxParts;
        this.requestTimeout = b.requestTimeout;
        this.retries = b.retries;
    }

    public static MultipartSpec defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int partSize() {
        return partSize;
    }

    public int maxParts() {
        return maxParts;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public int retries() {
        return retries;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof MultipartSpec s && s.partSize == partSize && s.maxParts == maxParts
                && s.requestTimeout.equals(requestTimeout) && s.retries == retries;
    }

    @Override
    public int hashCode() {
        return Objects.hash(partSize, maxParts, requestTimeout, retries);
    }

    @Override
    public String toString() {
        return "MultipartSpec{partSize=" + partSize + ", maxParts=" + maxParts + ", requestTimeout=" + requestTimeout
                + ", retries=" + retries + '}';
    }

    public static final class Builder {
        private int partSize = DEFAULT_PART_SIZE;
        private int maxParts = DEFAULT_MAX_PARTS;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int retries = DEFAULT_RETRIES;

        private Builder() {
        }

        public Builder partSize(int partSize) {
            this.partSize = partSize;
            return this;
        }

        public Builder maxParts(int maxParts) {
            this.maxParts = maxParts;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        public MultipartSpec build() {
            if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
                throw new IllegalArgumentException("partSize: " + partSize + ", expected [" + MIN_PART_SIZE + ", "
                        + MAX_PART_SIZE + "]");
            }
            if (maxParts < 1 || maxParts > DEFAULT_MAX_PARTS) {
                throw new IllegalArgumentException("maxParts: " + maxParts + ", expected [1, " + DEFAULT_MAX_PARTS + "]");
            }
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout: " + requestTimeout + ", expected > 0");
            }
            if (retries < 0 || retries > 10) {
                throw new IllegalArgumentException("retries: " + retries + ", expected [0, 10]");
            }
            return new MultipartSpec(this);
        }
    }
}
