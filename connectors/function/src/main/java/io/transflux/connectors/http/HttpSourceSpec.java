package io.transflux.connectors.http;

import java.time.Duration;
import java.util.Objects;

import io.transflux.pipeline.Limits;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link HttpObjectSource} fetches: timeouts, the total deadline, the resume budget, chunking and
 * the address policy. Immutable; build one per kind of upstream and share it across requests.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>Setting</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@link #connectTimeout()}</td><td>5 s ({@link #DEFAULT_CONNECT_TIMEOUT})</td>
 *       <td>TCP connect, per attempt</td></tr>
 *   <tr><td>{@link #responseTimeout()}</td><td>10 s ({@link #DEFAULT_RESPONSE_TIMEOUT})</td>
 *       <td>request sent → response headers, per attempt</td></tr>
 *   <tr><td>{@link #idleReadTimeout()}</td><td>10 s ({@link #DEFAULT_IDLE_READ_TIMEOUT})</td>
 *       <td>longest gap without body bytes <em>while the subscriber has demand</em>; a subscriber
 *       applying backpressure never trips it</td></tr>
 *   <tr><td>{@link #totalDeadline()}</td><td>55 s ({@link #DEFAULT_TOTAL_DEADLINE})</td>
 *       <td>from {@code open()} subscription to the last byte, across all attempts and backoffs; a
 *       trickling source trips it</td></tr>
 *   <tr><td>{@link #maxResumes()}</td><td>{@value #DEFAULT_MAX_RESUMES}</td>
 *       <td>extra requests allowed in total: 5xx / connection failures before the body, and ranged
 *       resumes after a lost connection</td></tr>
 *   <tr><td>{@link #resumeBackoff()} / {@link #maxResumeBackoff()}</td>
 *       <td>100 ms / 2 s</td><td>exponential backoff with 50 % jitter between attempts</td></tr>
 *   <tr><td>{@link #chunkBytes()}</td><td>{@value #DEFAULT_CHUNK_BYTES}</td>
 *       <td>largest {@code ByteBuffer} emitted</td></tr>
 *   <tr><td>{@link #hostGuard()}</td><td>{@link HostGuard#publicOnly()}</td>
 *       <td>refuses loopback, link-local, private, CGNAT, multicast and unspecified addresses</td></tr>
 *   <tr><td>{@link #httpsOnly()}</td><td>{@value #DEFAULT_HTTPS_ONLY}</td>
 *       <td>when true, {@code http://} URLs are refused</td></tr>
 * </table>
 */
public final class HttpSourceSpec {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_READ_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TOTAL_DEADLINE = Limits.DEFAULT_DEADLINE;
    public static final int DEFAULT_MAX_RESUMES = 3;
    public static final Duration DEFAULT_RESUME_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_RESUME_BACKOFF = Duration.ofSeconds(2);
    public static final int DEFAULT_CHUNK_BYTES = Limits.DEFAULT_MAX_CHUNK_BYTES;
    public static final boolean DEFAULT_HTTPS_ONLY = false;
    /** Most resumes a spec may allow; more would only hide a broken upstream. */
    public static final int MAX_RESUMES_LIMIT = 10;

    private static final HttpSourceSpec DEFAULTS = builder().build();

    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final Duration idleReadTimeout;
    private final Duration totalDeadline;
    private final int maxResumes;
    private final Duration resumeBackoff;
    private final Duration maxResumeBackoff;
    private final int chunkBytes;
    private final HostGuard hostGuard;
    private final boolean httpsOnly;

    private HttpSourceSpec(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.responseTimeout = b.responseTimeout;
        this.idleReadTimeout = b.idleReadTimeout;
        this.totalDeadline = b.totalDeadline;
        this.maxResumes = b.maxResumes;
        this.resumeBackoff = b.resumeBackoff;
        this.maxResumeBackoff = b.maxResumeBackoff;
        this.chunkBytes = b.chunkBytes;
        this.hostGuard = b.hostGuard;
        this.httpsOnly = b.httpsOnly;
    }

    public static HttpSourceSpec defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().connectTimeout(connectTimeout).responseTimeout(responseTimeout)
                .idleReadTimeout(idleReadTimeout).totalDeadline(totalDeadline).maxResumes(maxResumes)
                .resumeBackoff(resumeBackoff, maxResumeBackoff).chunkBytes(chunkBytes).hostGuard(hostGuard)
                .httpsOnly(httpsOnly);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration responseTimeout() {
        return responseTimeout;
    }

    public Duration idleReadTimeout() {
        return idleReadTimeout;
    }

    public Duration totalDeadline() {
        return totalDeadline;
    }

    public int maxResumes() {
        return maxResumes;
    }

    public Duration resumeBackoff() {
        return resumeBackoff;
    }

    public Duration maxResumeBackoff() {
        return maxResumeBackoff;
    }

    public int chunkBytes() {
        return chunkBytes;
    }

    public HostGuard hostGuard() {
        return hostGuard;
    }

    public boolean httpsOnly() {
        return httpsOnly;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof HttpSourceSpec s && connectTimeout.equals(s.connectTimeout)
                && responseTimeout.equals(s.responseTimeout) && idleReadTimeout.equals(s.idleReadTimeout)
                && totalDeadline.equals(s.totalDeadline) && maxResumes == s.maxResumes
                && resumeBackoff.equals(s.resumeBackoff) && maxResumeBackoff.equals(s.maxResumeBackoff)
                && chunkBytes == s.chunkBytes && hostGuard.equals(s.hostGuard) && httpsOnly == s.httpsOnly;
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectTimeout, responseTimeout, idleReadTimeout, totalDeadline, maxResumes,
                resumeBackoff, maxResumeBackoff, chunkBytes, hostGuard, httpsOnly);
    }

    @Override
    public String toString() {
        return "HttpSourceSpec{connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout
                + ", idleReadTimeout=" + idleReadTimeout + ", totalDeadline=" + totalDeadline
                + ", maxResumes=" + maxResumes + ", resumeBackoff=" + resumeBackoff + ".." + maxResumeBackoff
                + ", chunkBytes=" + chunkBytes + ", hostGuard=" + hostGuard + ", httpsOnly=" + httpsOnly + '}';
    }

    /** Mutable builder; {@link #build()} copies, so a builder can be reused. */
    public static final class Builder {
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration responseTimeout = DEFAULT_RESPONSE_TIMEOUT;
        private Duration idleReadTimeout = DEFAULT_IDLE_READ_TIMEOUT;
        private Duration totalDeadline = DEFAULT_TOTAL_DEADLINE;
        private int maxResumes = DEFAULT_MAX_RESUMES;
        private Duration resumeBackoff = DEFAULT_RESUME_BACKOFF;
        private Duration maxResumeBackoff = DEFAULT_MAX_RESUME_BACKOFF;
        private int chunkBytes = DEFAULT_CHUNK_BYTES;
        private HostGuard hostGuard = HostGuard.publicOnly();
        private boolean httpsOnly = DEFAULT_HTTPS_ONLY;

        private Builder() {
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        public Builder responseTimeout(Duration timeout) {
            this.responseTimeout = positive("responseTimeout", timeout);
            return this;
        }

        public Builder idleReadTimeout(Duration timeout) {
            this.idleReadTimeout = positive("idleReadTimeout", timeout);
            return this;
        }

        public Builder totalDeadline(Duration deadline) {
            this.totalDeadline = positive("totalDeadline", deadline);
            return this;
        }

        /** Extra attempts allowed in total; 0 disables retrying and resuming. */
        public Builder maxResumes(int maxResumes) {
            if (maxResumes < 0 || maxResumes > MAX_RESUMES_LIMIT) {
                throw new IllegalArgumentException("maxResumes: actual " + maxResumes + ", expected [0, "
                        + MAX_RESUMES_LIMIT + "]");
            }
            this.maxResumes = maxResumes;
            return this;
        }

        /** Backoff before attempt k is {@code min(max, first * 2^(k-1))}, minus up to 50 % jitter. */
        public Builder resumeBackoff(Duration first, Duration max) {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(max, "max");
            if (first.isNegative() || max.compareTo(first) < 0) {
                throw new IllegalArgumentException("resumeBackoff: actual first=" + first + ", max=" + max
                        + ", expected 0 <= first <= max");
            }
            this.resumeBackoff = first;
            this.maxResumeBackoff = max;
            return this;
        }

        public Builder chunkBytes(int chunkBytes) {
            if (chunkBytes < Limits.MIN_CHUNK_BYTES || chunkBytes > Limits.MAX_CHUNK_BYTES) {
                throw new IllegalArgumentException("chunkBytes: actual " + chunkBytes + ", expected ["
                        + Limits.MIN_CHUNK_BYTES + ", " + Limits.MAX_CHUNK_BYTES + "]");
            }
            this.chunkBytes = chunkBytes;
            return this;
        }

        public Builder hostGuard(HostGuard hostGuard) {
            this.hostGuard = Objects.requireNonNull(hostGuard, "hostGuard");
            return this;
        }

        /** Refuse {@code http://} URLs; only {@code https://} is fetched. */
        public Builder httpsOnly(boolean httpsOnly) {
            this.httpsOnly = httpsOnly;
            return this;
        }

        public HttpSourceSpec build() {
            return new HttpSourceSpec(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + ": actual " + d + ", expected > 0");
            }
            return d;
        }
    }
}
