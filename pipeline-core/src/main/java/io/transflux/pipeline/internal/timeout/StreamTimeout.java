package io.transflux.pipeline.internal.timeout;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The one timeout mechanism for streams: a total deadline, an idle timeout, or both, applied with
 * {@link #apply(Flux)}. When one fires, the source is cancelled (for a response body that closes the connection)
 * and the subscriber gets the caller's error instead of the truncated stream's completion. A source that has
 * already completed is never failed.
 *
 * <ul>
 *   <li><b>Deadline:</b> one task per subscription, scheduled once when the source is subscribed; the error
 *       function gets the elapsed milliseconds (at least the deadline, also under virtual time).</li>
 *   <li><b>Idle:</b> counts only while downstream demand is outstanding. A subscriber that stops requesting (a
 *       slow caller socket) is backpressure, not a stall: the clock restarts when demand goes from none to some
 *       and at every element. Elements only store a timestamp; the one task is re-armed when it fires early (as
 *       Netty's {@code IdleStateHandler} does), never per element and never polled at a fixed rate. The error
 *       function gets the idle milliseconds.</li>
 * </ul>
 *
 * <p>Timers run on {@link Schedulers#parallel()}, looked up at subscription (so {@code StepVerifier.withVirtualTime}
 * replaces it) unless {@link #timer(Scheduler)} names another. Every pending task is disposed exactly once, on
 * completion, error or cancellation, inline or on {@link #disposeOn(Scheduler)} for callers whose data thread must
 * not touch the timer queue. Instances are immutable; the {@code with}-style methods return changed copies.
 */
public final class StreamTimeout {

    private static final StreamTimeout NONE = new StreamTimeout(Duration.ZERO, null, Duration.ZERO, null, null, null,
            System::nanoTime);

    final Duration deadline;
    final @Nullable LongFunction<? extends Throwable> onDeadline;
    final Duration idle;
    final @Nullable LongFunction<? extends Throwable> onIdle;
    final @Nullable Scheduler timer;
    final @Nullable Scheduler disposeOn;
    final LongSupplier nanoClock;

    private StreamTimeout(Duration deadline, @Nullable LongFunction<? extends Throwable> onDeadline, Duration idle,
            @Nullable LongFunction<? extends Throwable> onIdle, @Nullable Scheduler timer, @Nullable Scheduler disposeOn,
            LongSupplier nanoClock) {
        this.deadline = deadline;
        this.onDeadline = onDeadline;
        this.idle = idle;
        this.onIdle = onIdle;
        this.timer = timer;
        this.disposeOn = disposeOn;
        this.nanoClock = nanoClock;
    }

    /** No timeout; {@link #apply(Flux)} returns the source itself. */
    public static StreamTimeout none() {
        return NONE;
    }

    /** Shorthand for {@code none().deadline(after, error)}. */
    public static <T> Flux<T> failAfter(Flux<T> source, Duration after, LongFunction<? extends Throwable> error) {
        return none().deadline(after, error).apply(source);
    }

    /**
     * A total deadline from subscription; zero or negative disables it.
     *
     * @param error the failure, given the elapsed milliseconds
     */
    public StreamTimeout deadline(Duration after, LongFunction<? extends Throwable> error) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(error, "error");
        return new StreamTimeout(after, error, idle, onIdle, timer, disposeOn, nanoClock);
    }

    /**
     * An idle timeout counted while demand is outstanding; zero or negative disables it.
     *
     * @param error the failure, given the milliseconds without an element
     */
    public StreamTimeout idle(Duration after, LongFunction<? extends Throwable> error) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(error, "error");
        return new StreamTimeout(deadline, onDeadline, after, error, timer, disposeOn, nanoClock);
    }

    /** The scheduler the timer tasks run on (default: {@link Schedulers#parallel()} at subscription). */
    public StreamTimeout timer(Scheduler timer) {
        return new StreamTimeout(deadline, onDeadline, idle, onIdle, Objects.requireNonNull(timer, "timer"), disposeOn,
                nanoClock);
    }

    /** Disposes pending timer tasks on this scheduler instead of the thread that ends the stream. */
    public StreamTimeout disposeOn(Scheduler disposeOn) {
        return new StreamTimeout(deadline, onDeadline, idle, onIdle, timer,
                Objects.requireNonNull(disposeOn, "disposeOn"), nanoClock);
    }

    /**
     * The clock the idle timer measures progress with (default {@link System#nanoTime()}); tests on virtual time
     * pass the virtual scheduler's {@code now(NANOSECONDS)}.
     */
    public StreamTimeout clock(LongSupplier nanoClock) {
        return new StreamTimeout(deadline, onDeadline, idle, onIdle, timer, disposeOn,
                Objects.requireNonNull(nanoClock, "nanoClock"));
    }

    boolean hasDeadline() {
        return onDeadline != null && !deadline.isZero() && !deadline.isNegative();
    }

    boolean hasIdle() {
        return onIdle != null && !idle.isZero() && !idle.isNegative();
    }

    /** {@code source} failing with the configured error (and cancelled) when a timeout fires first. */
    public <T> Flux<T> apply(Flux<T> source) {
        if (!hasDeadline() && !hasIdle()) {
            return source;
        }
        boolean idle = hasIdle();
        return Flux.defer(() -> {
            TimeoutGuard guard = new TimeoutGuard(this, timer != null ? timer : Schedulers.parallel());
            Flux<T> watched = source.doOnSubscribe(s -> guard.start());
            if (idle) {
                // only the idle timer needs to see demand and elements; a deadline alone costs nothing per element
                watched = watched.doOnRequest(guard::requested).doOnNext(x -> guard.delivered());
            }
            return watched
                    .doOnComplete(guard::completed)
                    .doFinally(s -> guard.stop())
                    .takeUntilOther(guard.fired())
                    .concatWith(Mono.defer(guard::failure));
        });
    }
}
