package io.transflux.connectors.http;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;

/**
 * Idle-read timeout for one response body that only counts time while the subscriber is asking for
 * bytes. Netty's {@code ReadTimeoutHandler} (what {@code responseTimeout} installs) also fires when a
 * slow subscriber has stopped the reads itself; this one does not: with no outstanding demand the clock
 * is stopped, and it restarts when demand comes back. The timer runs on the connection's event loop.
 */
final class ReadIdleWatchdog {

    private final long idleNanos;
    private final EventExecutor timer;
    private final Sinks.One<Boolean> idle = Sinks.one();
    private final AtomicLong outstanding = new AtomicLong();
    private volatile long lastProgress;
    private volatile boolean stopped;
    private volatile @Nullable ScheduledFuture<?> task;

    ReadIdleWatchdog(Duration idleTimeout, EventExecutor timer) {
        this.idleNanos = idleTimeout.toNanos();
        this.timer = timer;
    }

    /** {@code source} failing with {@code onIdle} (and cancelled) once it idles with demand pending. */
    <T> Flux<T> watch(Flux<T> source, Supplier<? extends Throwable> onIdle) {
        Flux<T> observed = source
                .doOnNext(x -> {
                    outstanding.decrementAndGet();
                    lastProgress = System.nanoTime();
                })
                .doOnRequest(n -> {
                    if (outstanding.getAndUpdate(v -> Operators.addCap(Math.max(v, 0), n)) <= 0) {
                        lastProgress = System.nanoTime();
                    }
                })
                .doOnSubscribe(s -> {
                    lastProgress = System.nanoTime();
                    arm(idleNanos);
                })
                .doFinally(s -> stop());
        return Tripwire.failWhen(observed, idle.asMono(), onIdle);
    }

    private void arm(long delayNanos) {
        if (!stopped) {
            task = timer.schedule(this::check, Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        if (stopped) {
            return;
        }
        long idleFor = System.nanoTime() - lastProgress;
        boolean waiting = outstanding.get() > 0;
        if (waiting && idleFor >= idleNanos) {
            stopped = true;
            idle.tryEmitValue(Boolean.TRUE);
            return;
        }
        arm(waiting ? idleNanos - idleFor : idleNanos);
    }

    private void stop() {
        stopped = true;
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
    }
}
