package io.transflux.connectors.batch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import io.transflux.connectors.SourceOpener;
import io.transflux.connectors.batch.TaskResult.ResultCode;
import io.transflux.connectors.upload.MultipartObjectSink;
import io.transflux.connectors.upload.MultipartSpec;
import io.transflux.connectors.upload.StoreEndpoint;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.SourceException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Transforms one stored object into another, idempotently: the job behind S3 Batch Operations, OSS event triggers
 * and {@code transflux batch}. Immutable and thread-safe; run any number of tasks at once.
 *
 * <p>Per task: refuse a source under the target prefix of the same bucket (a job must never feed on its own
 * output); {@code HEAD} the source (exact version when given) for its ETag and length; {@code HEAD} the target and
 * skip the task when its metadata records the same source ETag ({@value #META_SOURCE_ETAG}) and pipeline hash
 * ({@value #META_PIPELINE}); otherwise {@code GET} the source with {@code If-Match} on that ETag (so one version is
 * read from end to end), run the pipeline and write the target with {@link MultipartObjectSink}, recording both in
 * its metadata. The target appears only when the upload completes; a failure aborts it.
 *
 * <p><b>Time:</b> each task has a deadline (the Lambda's remaining time). A task that cannot finish before it,
 * judged from the source length at {@link Builder#minBytesPerSecond(long)}, ends as {@code TemporaryFailure}
 * before starting; the pipeline's own deadline is set to the time left minus {@link Builder#reserve(Duration)}.
 * <b>Retries:</b> temporary failures (503 SlowDown, 5xx, timeouts, the source changing) are retried with
 * exponential backoff and jitter while time is left, at most {@link Builder#maxAttempts(int)} attempts.
 * <b>Memory:</b> at most two upload parts ({@code 2 × partSize}) plus a few source chunks per running task.
 * <b>Errors:</b> never fails: every failure becomes a {@link TaskResult}.
 */
public final class BatchJob {

    /** Target metadata naming the source ETag the target was made from. */
    public static final String META_SOURCE_ETAG = "transflux-source-etag";
    /** Target metadata naming the pipeline (hash of its spec) the target was made with. */
    public static final String META_PIPELINE = "transflux-pipeline";

    public static final Duration DEFAULT_RESERVE = Duration.ofSeconds(2);
    /** Conservative read-transform-write rate used to judge whether a task fits in the time left. */
    public static final long DEFAULT_MIN_BYTES_PER_SECOND = 8L * 1024 * 1024;
    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    /** S3's and OSS's longest key, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 1024;

    private final StoreEndpoint store;
    private final SourceOpener opener;
    private final Pipeline pipeline;
    private final String pipelineHash;
    private final String targetBucket;
    private final String targetPrefix;
    private final MultipartSpec multipart;
    private final Limits limits;
    private final Duration reserve;
    private final long minBytesPerSecond;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Clock clock;

    private BatchJob(Builder b) {
        this.store = Objects.requireNonNull(b.store, "store");
        this.opener = Objects.requireNonNull(b.opener, "sourceOpener");
        String spec = Objects.requireNonNull(b.pipelineSpec, "pipeline").strip();
        this.pipeline = Pipeline.parse(spec);
        this.pipelineHash = hash(spec);
        this.targetBucket = Objects.requireNonNull(b.targetBucket, "target bucket");
        this.targetPrefix = Objects.requireNonNull(b.targetPrefix, "target prefix");
        if (targetBucket.isEmpty()) {
            throw new IllegalArgumentException("target bucket: expected non-empty");
        }
        this.multipart = b.multipart;
        this.limits = b.limits;
        this.reserve = b.reserve;
        this.minBytesPerSecond = b.minBytesPerSecond;
        this.maxAttempts = b.maxAttempts;
        this.firstBackoff = b.firstBackoff;
        this.maxBackoff = b.maxBackoff;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The hash recorded in {@value #META_PIPELINE}: SHA-256 of the stripped spec, first 32 hex digits. */
    public String pipelineHash() {
        return pipelineHash;
    }

    public String targetBucket() {
        return targetBucket;
    }

    public String targetPrefix() {
        return targetPrefix;
    }

    /** Where the target of {@code sourceKey} is written: the target prefix followed by the source key. */
    public String targetKey(String sourceKey) {
        return targetPrefix + sourceKey;
    }

    /** Whether {@code bucket}/{@code key} is where this job writes: such a source is refused. */
    public boolean isUnderTarget(String bucket, String key) {
        return bucket.equals(targetBucket) && key.startsWith(targetPrefix);
    }

    /**
     * Runs one task. Never fails.
     *
     * @param deadline when the answer must be given (for Lambda: now plus the remaining time)
     */
    public Mono<TaskResult> run(BatchTask task, Instant deadline) {
        return Mono.defer(() -> {
            if (isUnderTarget(task.bucket(), task.key())) {
                return Mono.just(TaskFailures.of(false, 400, "SourceUnderTarget", "the source is under the target prefix "
                        + "of the same bucket; the job never reads its own output", 0));
            }
            if (targetKey(task.key()).getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
                return Mono.just(TaskFailures.of(false, 400, "KeyTooLongError", "the target key would be longer than "
                        + MAX_KEY_BYTES + " bytes", 0));
            }
            return attempt(task, deadline, 1);
        });
    }

    private Mono<TaskResult> attempt(BatchTask task, Instant deadline, int n) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.compareTo(reserve) <= 0) {
            return Mono.just(TaskFailures.of(true, 503, "RequestTimeout", "not enough time left to start the task"
                    + (n > 1 ? " (after " + (n - 1) + " attempts)" : ""), 0));
        }
        long[] bytesIn = {0};
        return head(task.bucket(), task.key(), task.versionId(), deadline)
                .flatMap(src -> {
                    OptionalLong length = src.contentLength();
                    bytesIn[0] = length.orElse(0);
                    if (length.isPresent()) {
                        Duration need = Duration.ofMillis(length.getAsLong() * 1000 / minBytesPerSecond);
                        Duration usable = Duration.between(clock.instant(), deadline).minus(reserve);
                        if (need.compareTo(usable) > 0) {
                            return Mono.just(TaskFailures.of(true, 503, "RequestTimeout", "an object of "
                                    + length.getAsLong() + " bytes needs about " + need.toSeconds() + " s; "
                                    + Math.max(0, usable.toSeconds()) + " s left", bytesIn[0]));
                        }
                    }
                    String etag = src.eTag();
                    String targetKey = targetKey(task.key());
                    return head(targetBucket, targetKey, null, deadline)
                            .map(t -> etag != null && etag.equals(t.userMetadata().get(META_SOURCE_ETAG))
                                    && pipelineHash.equals(t.userMetadata().get(META_PIPELINE)))
                            .onErrorResume(e -> e instanceof SourceException se && se.status() == 404,
                                    e -> Mono.just(false))
                            .flatMap(done -> done
                                    ? Mono.just(TaskResult.success("skipped: " + store.location(targetBucket, targetKey)
                                            + " is up to date", bytesIn[0], 0, true))
                                    : transform(task, etag, targetKey, deadline, bytesIn[0]));
                })
                .onErrorResume(e -> Mono.just(TaskFailures.classify(e, bytesIn[0])))
                .flatMap(r -> {
                    if (r.code() != ResultCode.TEMPORARY_FAILURE || n >= maxAttempts || r.httpStatus() == 503
                            && "RequestTimeout".equals(r.errorCode())) {
                        return Mono.just(n > 1 ? withAttempts(r, n) : r);
                    }
                    Duration delay = backoff(n);
                    if (clock.instant().plus(delay).plus(reserve).isAfter(deadline)) {
                        return Mono.just(withAttempts(r, n));
                    }
                    return Mono.delay(delay).then(attempt(task, deadline, n + 1));
                });
    }

    private static TaskResult withAttempts(TaskResult r, int n) {
        return r.succeeded() ? r : new TaskResult(r.code(), r.httpStatus(), r.errorCode(),
                r.message() + " (" + n + " attempts)", r.bytesIn(), r.bytesOut(), r.skipped());
    }

    /** Full jitter on an exponential step, at least a tenth of the step so bursts spread out. */
    private Duration backoff(int attempt) {
        long step = Math.min(maxBackoff.toMillis(), firstBackoff.toMillis() << Math.min(attempt - 1, 20));
        long jitter = ThreadLocalRandom.current().nextLong(step / 10, step + 1);
        return Duration.ofMillis(Math.max(1, jitter));
    }

    private Mono<ObjectMetadata> head(String bucket, String key, @Nullable String versionId, Instant deadline) {
        return Mono.defer(() -> opener.head(store.presign("HEAD", bucket, key, versionQuery(versionId),
                urlLifetime(deadline)), Map.of()).open().map(ObjectStream::metadata));
    }

    /** Presigned URLs live until the deadline plus a minute (resumes happen within it), at most S3's 7 days. */
    private Duration urlLifetime(Instant deadline) {
        Duration d = Duration.between(clock.instant(), deadline).plusMinutes(1);
        Duration max = Duration.ofDays(7);
        return d.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : (d.compareTo(max) > 0 ? max : d);
    }

    private Mono<TaskResult> transform(BatchTask task, @Nullable String etag, String targetKey, Instant deadline,
            long bytesIn) {
        return Mono.defer(() -> {
            // If-Match is a conditional header: sent beside the presigned URL, not signed into it.
            Map<String, String> h = new LinkedHashMap<>();
            if (etag != null) {
                h.put("If-Match", etag);
            }
            String url = store.presign("GET", task.bucket(), task.key(), versionQuery(task.versionId()),
                    urlLifetime(deadline));
            Duration usable = Duration.between(clock.instant(), deadline).minus(reserve);
            Limits l = limits.hasDeadline() && limits.deadline().compareTo(usable) <= 0 ? limits
                    : limits.toBuilder().deadline(usable.isNegative() || usable.isZero() ? Duration.ofMillis(1) : usable)
                            .build();
            return opener.get(url, h).open()
                    .map(src -> pipeline.apply(src, l).mapMetadata(m -> {
                        if (etag != null) {
                            m.putUserMetadata(META_SOURCE_ETAG, etag);
                        }
                        return m.putUserMetadata(META_PIPELINE, pipelineHash);
                    }))
                    .flatMap(out -> MultipartObjectSink.of(store, targetBucket, targetKey, multipart).write(out))
                    .map(r -> TaskResult.success("wrote " + store.location(targetBucket, targetKey) + " ("
                            + r.bytesWritten() + " bytes)", bytesIn, r.bytesWritten(), false));
        });
    }

    private static SortedMap<String, @Nullable String> versionQuery(@Nullable String versionId) {
        SortedMap<String, @Nullable String> q = new TreeMap<>();
        if (versionId != null) {
            q.put("versionId", versionId);
        }
        return q;
    }

    private static String hash(String spec) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(spec.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256: not available", e);
        }
    }

    @Override
    public String toString() {
        return "BatchJob{target=" + store.location(targetBucket, targetPrefix) + ", pipeline=" + pipelineHash + '}';
    }

    public static final class Builder {
        private @Nullable StoreEndpoint store;
        private @Nullable SourceOpener opener;
        private @Nullable String pipelineSpec;
        private @Nullable String targetBucket;
        private String targetPrefix = "";
        private MultipartSpec multipart = MultipartSpec.defaults();
        private Limits limits = Limits.defaults();
        private Duration reserve = DEFAULT_RESERVE;
        private long minBytesPerSecond = DEFAULT_MIN_BYTES_PER_SECOND;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration firstBackoff = DEFAULT_FIRST_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Where sources are read and targets written, and how requests are signed (S3Store, OssStore). */
        public Builder store(StoreEndpoint store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Opens the signed HEAD and GET requests (HttpSourceOpener with its host guard). */
        public Builder sourceOpener(SourceOpener opener) {
            this.opener = Objects.requireNonNull(opener, "opener");
            return this;
        }

        /** The pipeline spec, e.g. {@code decompress/auto}; parsed when {@link #build()} runs. */
        public Builder pipeline(String spec) {
            this.pipelineSpec = Objects.requireNonNull(spec, "spec");
            return this;
        }

        /** The target bucket and key prefix ({@code ""} for none; a prefix usually ends with {@code /}). */
        public Builder target(String bucket, String prefix) {
            this.targetBucket = Objects.requireNonNull(bucket, "bucket");
            this.targetPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        public Builder multipart(MultipartSpec multipart) {
            this.multipart = Objects.requireNonNull(multipart, "multipart");
            return this;
        }

        /** Output limits; the deadline is lowered per task to the time left. */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Time kept back before the deadline to report the result. Default {@code 2 s}. */
        public Builder reserve(Duration reserve) {
            if (reserve.isNegative()) {
                throw new IllegalArgumentException("reserve: " + reserve + ", expected >= 0");
            }
            this.reserve = reserve;
            return this;
        }

        public Builder minBytesPerSecond(long bytesPerSecond) {
            if (bytesPerSecond < 1) {
                throw new IllegalArgumentException("minBytesPerSecond: " + bytesPerSecond + ", expected >= 1");
            }
            this.minBytesPerSecond = bytesPerSecond;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 100) {
                throw new IllegalArgumentException("maxAttempts: " + maxAttempts + ", expected [1, 100]");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder backoff(Duration first, Duration max) {
            if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
                throw new IllegalArgumentException("backoff: expected 0 < first <= max, got " + first + ", " + max);
            }
            this.firstBackoff = first;
            this.maxBackoff = max;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws io.transflux.pipeline.PipelineException for a bad pipeline spec
         * @throws IllegalArgumentException            for a missing store, opener or target
         */
        public BatchJob build() {
            return new BatchJob(this);
        }
    }
}
