package io.transflux.pipeline.checksum;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.transflux.pipeline.ChecksumMismatchException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Computes checksums of a {@code Flux<ByteBuffer>} while it streams, and optionally verifies them. Apply it with
 * {@code content.transform(tap)}; read the values from {@link #results()}.
 *
 * <pre>{@code
 * ChecksumTap tap = ChecksumTap.builder()
 *         .compute(ChecksumAlgorithm.CRC32C)
 *         .verify(ChecksumAlgorithm.CRC64ECMA, ChecksumValue.fromUnsignedDecimal(CRC64ECMA, ossHeader))
 *         .build();
 * Flux<ByteBuffer> checked = content.transform(tap);     // same buffers, untouched
 * Mono<Map<ChecksumAlgorithm, ChecksumValue>> values = tap.results();
 * }</pre>
 *
 * <p>The tap is an observer in the sense of {@code ObjectStream}'s ownership rules: it passes the very buffer
 * instances it receives, in order, without copying them and without moving their position or limit. All
 * algorithms are computed in one pass over each buffer.
 *
 * <p><b>Single use.</b> A tap belongs to one subscription; subscribing a second time to a flux it produced fails
 * that subscriber with {@link IllegalStateException}. Create one tap per object.
 *
 * <p><b>Results.</b> {@link #results()} is a {@code Mono} of an unmodifiable map whose iteration order is the order
 * in which the algorithms were first named. It emits just before the tapped stream completes, and errors when the
 * stream errors (with the same exception), is cancelled ({@link CancellationException}) or fails verification
 * ({@link ChecksumMismatchException}). It replays to late subscribers; it never emits if the tapped flux is never
 * subscribed.
 */
public final class ChecksumTap implements Function<Flux<ByteBuffer>, Flux<ByteBuffer>> {

    /** Values to verify, by algorithm; {@code null} means compute only. Iteration order is the request order. */
    private final Map<ChecksumAlgorithm, @Nullable ChecksumValue> plan;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final Sinks.One<Map<ChecksumAlgorithm, ChecksumValue>> results = Sinks.one();

    private ChecksumTap(Map<ChecksumAlgorithm, @Nullable ChecksumValue> plan) {
        this.plan = plan;
    }

    /**
     * A tap that computes the given algorithms, in that order; repeated algorithms are computed once.
     *
     * @throws IllegalArgumentException when no algorithm is given
     */
    public static ChecksumTap of(ChecksumAlgorithm... algorithms) {
        return of(Arrays.asList(algorithms));
    }

    /**
     * A tap that computes the given algorithms, in iteration order; repeated algorithms are computed once.
     *
     * @throws IllegalArgumentException when the collection is empty
     */
    public static ChecksumTap of(Collection<ChecksumAlgorithm> algorithms) {
        Builder b = builder();
        algorithms.forEach(b::compute);
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The algorithms this tap computes, in result order. */
    public Set<ChecksumAlgorithm> algorithms() {
        return Collections.unmodifiableSet(plan.keySet());
    }

    /** The expected values this tap verifies, in result order; empty when it only computes. */
    public Map<ChecksumAlgorithm, ChecksumValue> expected() {
        Map<ChecksumAlgorithm, ChecksumValue> out = new LinkedHashMap<>();
        plan.forEach((a, v) -> {
            if (v != null) {
                out.put(a, v);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * Returns {@code content} with checksums computed on the way through: the same buffers, in the same order,
     * positions and limits untouched. When verifying, a mismatch replaces the completion signal.
     *
     * <p><b>Backpressure:</b> requests from downstream pass to {@code content} unchanged; nothing is buffered or
     * prefetched.
     *
     * <p><b>Cancellation/Discard:</b> cancellation passes upstream and makes {@link #results()} fail with
     * {@link CancellationException}. The tap holds no buffer, so there is nothing to discard.
     *
     * <p><b>Errors:</b> an error from {@code content} passes downstream unchanged and fails {@link #results()}
     * with it. When {@code content} completes and an expected value differs, downstream receives
     * {@link ChecksumMismatchException} (algorithm id, expected hex, actual hex) instead of {@code onComplete}.
     * Subscribing a second time fails with {@link IllegalStateException}.
     *
     * @param content the stream to observe
     * @return the same stream, observed
     */
    @Override
    public Flux<ByteBuffer> apply(Flux<ByteBuffer> content) {
        Objects.requireNonNull(content, "content");
        return Flux.defer(() -> {
            if (!subscribed.compareAndSet(false, true)) {
                return Flux.error(new IllegalStateException("ChecksumTap is single-use: it was already "
                        + "subscribed once, expected one subscription per tap (create a new tap per stream)"));
            }
            MultiChecksum state = new MultiChecksum(plan.keySet());
            return content
                    .doOnNext(state::update)
                    .concatWith(Mono.defer(() -> complete(state)))
                    .doOnError(results::tryEmitError)
                    .doOnCancel(() -> results.tryEmitError(new CancellationException(
                            "checksum stream cancelled after " + state.bytes() + " bytes, before completion")));
        });
    }

    /** Finishes the checksums; emits the results, or fails with the first mismatch in result order. */
    private Mono<ByteBuffer> complete(MultiChecksum state) {
        Map<ChecksumAlgorithm, ChecksumValue> values = state.finish();
        for (Map.Entry<ChecksumAlgorithm, @Nullable ChecksumValue> e : plan.entrySet()) {
            ChecksumValue expected = e.getValue();
            ChecksumValue actual = values.get(e.getKey());
            if (expected != null && actual != null && !expected.equals(actual)) {
                return Mono.error(new ChecksumMismatchException(e.getKey().id(), expected.hex(), actual.hex()));
            }
        }
        results.tryEmitValue(values);
        return Mono.empty();
    }

    /**
     * The computed values, emitted once the tapped stream completes.
     *
     * <p><b>Backpressure:</b> a single value, replayed to every subscriber, including late ones.
     *
     * <p><b>Cancellation/Discard:</b> cancelling a subscription to the results does not affect the tapped stream.
     *
     * <p><b>Errors:</b> fails with the stream's own error, with {@link CancellationException} when the stream was
     * cancelled, or with {@link ChecksumMismatchException} when verification failed. Never signals if the tapped
     * flux is never subscribed.
     *
     * @return an unmodifiable map ordered as the algorithms were requested
     */
    public Mono<Map<ChecksumAlgorithm, ChecksumValue>> results() {
        return results.asMono();
    }

    @Override
    public String toString() {
        return "ChecksumTap" + plan.keySet();
    }

    /** Collects the algorithms to compute and the values to verify. Not thread-safe; build once. */
    public static final class Builder {

        private final Map<ChecksumAlgorithm, @Nullable ChecksumValue> plan = new LinkedHashMap<>();

        private Builder() {
        }

        /** Computes {@code algorithm}; a repeat is ignored, and so is compute after verify. */
        public Builder compute(ChecksumAlgorithm algorithm) {
            Objects.requireNonNull(algorithm, "algorithm");
            plan.putIfAbsent(algorithm, null);
            return this;
        }

        /**
         * Computes {@code algorithm} and, when the stream completes, fails it if the value differs from
         * {@code expected}.
         *
         * @throws IllegalArgumentException when {@code expected} is of another algorithm, or a different value
         *                                  was already set for this algorithm
         */
        public Builder verify(ChecksumAlgorithm algorithm, ChecksumValue expected) {
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(expected, "expected");
            if (expected.algorithm() != algorithm) {
                throw new IllegalArgumentException("verify " + algorithm.id() + ": expected value's algorithm: actual "
                        + expected.algorithm().id() + ", expected " + algorithm.id());
            }
            ChecksumValue previous = plan.get(algorithm);
            if (previous != null && !previous.equals(expected)) {
                throw new IllegalArgumentException("verify " + algorithm.id() + ": actual second expected value "
                        + expected.hex() + ", expected the same as the first, " + previous.hex());
            }
            plan.put(algorithm, expected);
            return this;
        }

        /**
         * @throws IllegalArgumentException when no algorithm was added
         */
        public ChecksumTap build() {
            if (plan.isEmpty()) {
                throw new IllegalArgumentException("checksum algorithms: actual none, expected at least one");
            }
            return new ChecksumTap(new LinkedHashMap<>(plan));
        }
    }
}
