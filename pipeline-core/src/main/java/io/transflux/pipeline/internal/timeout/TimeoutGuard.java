package io.transflux.pipeline.internal.timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The timers of one subscription: at most one deadline task and one idle task pending at a time. Each slot holds
 * the pending task, nothing while it runs, or {@link #STOPPED} once the stream has ended; a task armed after that is
 * disposed at once. So every task runs or is disposed, and none is disposed twice (a task may be disposed just as
 * it starts, when the stream ends at that moment; disposing a started task does nothing).
 */
final class TimeoutGuard {

    private static final Disposable STOPPED = Disposables.disposed();
    private static final Object RUNNING = new Object();
    private static final Object COMPLETED = new Object();

    private final StreamTimeout spec;
    private final Scheduler timer;
    private final AtomicReference<@Nullable Disposable> deadlineTask = new AtomicReference<>();
    private final AtomicReference<@Nullable Disposable> idleTask = new AtomicReference<>();

    /**
     * {@link #RUNNING}, then whichever comes first: {@link #COMPLETED} (the source's own completion) or the timeout's
     * error. A source cancelled by a timeout may still complete afterwards; that does not undo the timeout.
     */
    private final AtomicReference<Object> outcome = new AtomicReference<>(RUNNING);
    private final Sinks.One<Boolean> fired = Sinks.one();
    private final AtomicLong outstanding = new AtomicLong();
    private volatile long start;
    private volatile long lastProgress;

    TimeoutGuard(StreamTimeout spec, Scheduler timer) {
        this.spec = spec;
        this.timer = timer;
    }

    Mono<Boolean> fired() {
        return fired.asMono();
    }

    void start() {
        long now = spec.nanoClock.getAsLong();
        start = now;
        lastProgress = now;
        if (spec.hasDeadline()) {
            arm(deadlineTask, this::deadlinePassed, spec.deadline.toNanos());
        }
        if (spec.hasIdle()) {
            arm(idleTask, this::checkIdle, spec.idle.toNanos());
        }
    }

    void requested(long n) {
        if (outstanding.getAndUpdate(v -> Operators.addCap(Math.max(v, 0), n)) <= 0) {
            lastProgress = spec.nanoClock.getAsLong();
        }
    }

    void delivered() {
        outstanding.getAndUpdate(v -> v == Long.MAX_VALUE ? v : v - 1);
        lastProgress = spec.nanoClock.getAsLong();
    }

    void completed() {
        outcome.compareAndSet(RUNNING, COMPLETED);
    }

    /** Ends both timers; runs once per subscription (from {@code doFinally}). */
    void stop() {
        dispose(deadlineTask.getAndSet(STOPPED));
        dispose(idleTask.getAndSet(STOPPED));
    }

    /** After the (possibly cut) source: the timeout's error, unless the source completed on its own first. */
    <T> Mono<T> failure() {
        return outcome.get() instanceof Throwable e ? Mono.error(e) : Mono.empty();
    }

    private void deadlinePassed() {
        long elapsed = spec.nanoClock.getAsLong() - start;
        long millis = Math.max(spec.deadline.toMillis(), TimeUnit.NANOSECONDS.toMillis(elapsed));
        trip(spec.onDeadline, millis);
    }

    private void checkIdle() {
        long idleNanos = spec.idle.toNanos();
        long idleFor = spec.nanoClock.getAsLong() - lastProgress;
        boolean waiting = outstanding.get() > 0;
        if (waiting && idleFor >= idleNanos) {
            trip(spec.onIdle, TimeUnit.NANOSECONDS.toMillis(idleFor));
            return;
        }
        arm(idleTask, this::checkIdle, waiting ? idleNanos - idleFor : idleNanos);
    }

    private void trip(@Nullable LongFunction<? extends Throwable> error, long millis) {
        if (error == null || outcome.get() != RUNNING) {
            return;
        }
        if (outcome.compareAndSet(RUNNING, error.apply(millis))) {
            fired.tryEmitValue(Boolean.TRUE);
        }
    }

    /**
     * Schedules {@code task} into the empty {@code slot}; if the stream has ended meanwhile, the new task is disposed
     * at once. A task empties its slot when it starts, so only pending tasks are ever disposed.
     */
    private void arm(AtomicReference<@Nullable Disposable> slot, Runnable task, long delayNanos) {
        if (slot.get() == STOPPED) {
            return;
        }
        Disposable next = timer.schedule(() -> {
            slot.getAndUpdate(d -> d == STOPPED ? d : null);
            task.run();
        }, Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
        if (!slot.compareAndSet(null, next)) {
            next.dispose();
        }
    }

    private void dispose(@Nullable Disposable task) {
        if (task == null || task == STOPPED) {
            return;
        }
        Scheduler on = spec.disposeOn;
        if (on == null) {
            task.dispose();
            return;
        }
        try {
            on.schedule(task::dispose);
        } catch (RuntimeException rejected) {
            task.dispose();
        }
    }
}
