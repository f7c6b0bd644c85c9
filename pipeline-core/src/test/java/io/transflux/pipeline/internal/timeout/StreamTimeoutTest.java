package io.transflux.pipeline.internal.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class StreamTimeoutTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void deadlineFailsAStreamThatRunsTooLongAndCancelsItsSourceOnce() {
        AtomicInteger cancelled = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> StreamTimeout.failAfter(
                        Flux.interval(Duration.ofSeconds(1)).doOnCancel(cancelled::incrementAndGet),
                        Duration.ofSeconds(5), ms -> new TimeoutException("deadline after " + ms + " ms")))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(4999))
                .expectNextCount(4)
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TimeoutException.class)
                        .hasMessage("deadline after 5000 ms"))
                .verify(WAIT);
        assertThat(cancelled).hasValue(1);
    }

    @Test
    void deadlineLeavesAStreamThatFinishesInTimeAlone() {
        StepVerifier.withVirtualTime(() -> StreamTimeout.failAfter(Flux.interval(Duration.ofSeconds(1)).take(4),
                        Duration.ofSeconds(5), ms -> new TimeoutException("deadline")))
                .thenAwait(Duration.ofSeconds(4))
                .expectNextCount(4)
                .verifyComplete();
    }

    @Test
    void aSourceThatCompletesWhenCancelledByATimeoutStillFails() {
        // Like a pull decoder whose bridge ends its output when cancelled: the timeout won, so the stream fails.
        Flux<Integer> completesOnCancel = Flux.from(s -> s.onSubscribe(new org.reactivestreams.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
                s.onComplete();
            }
        }));
        StepVerifier.withVirtualTime(() -> StreamTimeout.failAfter(completesOnCancel, Duration.ofSeconds(5),
                        ms -> new TimeoutException("deadline")))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(5))
                .expectErrorMessage("deadline")
                .verify(WAIT);
    }

    @Test
    void idleFailsAStreamWithDemandAndNoElements() {
        StepVerifier.withVirtualTime(() -> idle(Flux.just(1).concatWith(Flux.never()), Duration.ofSeconds(2)))
                .expectSubscription()
                .expectNext(1)
                .expectNoEvent(Duration.ofMillis(1999))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> assertThat(e).hasMessage("idle for 2000 ms"))
                .verify(WAIT);
    }

    @Test
    void idleRestartsAtEveryElement() {
        StepVerifier.withVirtualTime(() -> idle(Flux.interval(Duration.ofMillis(1900)).take(10).map(Long::intValue), Duration.ofSeconds(2)))
                .thenAwait(Duration.ofSeconds(19))
                .expectNextCount(10)
                .verifyComplete();
    }

    @Test
    void idleDoesNotCountWhileTheSubscriberRequestsNothing() {
        StepVerifier.withVirtualTime(() -> idle(Flux.range(1, 3).concatWith(Flux.never()), Duration.ofSeconds(2)), 1)
                .expectSubscription()
                .expectNext(1)
                .expectNoEvent(Duration.ofSeconds(60)) // backpressure, not a stall
                .thenRequest(2)
                .expectNext(2, 3)
                .expectNoEvent(Duration.ofSeconds(60)) // served in full, nothing outstanding
                .thenRequest(1)
                .expectNoEvent(Duration.ofMillis(1999)) // the clock starts when demand comes back
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> assertThat(e).hasMessage("idle for 2000 ms"))
                .verify(WAIT);
    }

    @Test
    void theEarlierOfDeadlineAndIdleWins() {
        StepVerifier.withVirtualTime(() -> {
                    VirtualTimeScheduler vts = VirtualTimeScheduler.get();
                    return StreamTimeout.none()
                            .deadline(Duration.ofSeconds(5), ms -> new TimeoutException("deadline"))
                            .idle(Duration.ofSeconds(2), ms -> new TimeoutException("idle"))
                            .clock(() -> vts.now(TimeUnit.NANOSECONDS))
                            .apply(Flux.interval(Duration.ofSeconds(1)));
                })
                .thenAwait(Duration.ofSeconds(5))
                .expectNextCount(4)
                .expectErrorMessage("deadline")
                .verify(WAIT);
    }

    @Test
    void aSourceErrorPassesThroughAndStopsTheTimers() {
        CountingScheduler timer = new CountingScheduler(Schedulers.parallel());
        StepVerifier.create(both(Flux.error(new IllegalStateException("broken")), timer))
                .expectErrorMessage("broken")
                .verify(WAIT);
        timer.assertEveryTaskDisposedOnceOrRan(2);
    }

    @Test
    void completionStopsTheTimersOnce() {
        CountingScheduler timer = new CountingScheduler(Schedulers.parallel());
        StepVerifier.create(both(Flux.range(1, 100), timer)).expectNextCount(100).verifyComplete();
        timer.assertEveryTaskDisposedOnceOrRan(2);
    }

    @Test
    void cancellationStopsTheTimersOnceAndReachesTheSource() {
        CountingScheduler timer = new CountingScheduler(Schedulers.parallel());
        AtomicInteger cancelled = new AtomicInteger();
        StepVerifier.create(both(Flux.<Integer>never().doOnCancel(cancelled::incrementAndGet), timer))
                .expectSubscription()
                .thenCancel()
                .verify(WAIT);
        timer.assertEveryTaskDisposedOnceOrRan(2);
        assertThat(cancelled).hasValue(1);
    }

    @Test
    void timersAreDisposedOnTheNamedSchedulerWhenAsked() throws InterruptedException {
        AtomicReference<String> disposedOn = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        CountingScheduler timer = new CountingScheduler(Schedulers.parallel(), () -> {
            disposedOn.set(Thread.currentThread().getName());
            done.countDown();
        });
        StreamTimeout.none().deadline(Duration.ofSeconds(30), ms -> new TimeoutException("deadline"))
                .timer(timer).disposeOn(Schedulers.boundedElastic())
                .apply(Flux.range(1, 3)).blockLast(WAIT);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(disposedOn.get()).startsWith("boundedElastic-");
    }

    @Test
    void concurrentStreamsEachEndOnceWithTheRightOutcomeAndNoTimerLeft() {
        CountingScheduler timer = new CountingScheduler(Schedulers.parallel());
        int streams = 400;
        ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
        List<Mono<String>> runs = new java.util.ArrayList<>();
        for (int i = 0; i < streams; i++) {
            int kind = i % 4;
            Flux<Integer> source = switch (kind) {
                case 0 -> Flux.range(0, 1000).publishOn(Schedulers.parallel(), 8); // finishes well in time
                case 1 -> Flux.range(0, 10).concatWith(Flux.never()); // stalls with demand: idle
                case 2 -> Flux.interval(Duration.ofMillis(5)).map(Long::intValue); // steady: deadline
                default -> Flux.interval(Duration.ofMillis(20)).take(20).map(Long::intValue); // ends at the deadline
            };
            runs.add(StreamTimeout.none()
                    .deadline(Duration.ofMillis(400), ms -> new TimeoutException("deadline"))
                    .idle(Duration.ofMillis(200), ms -> new TimeoutException("idle"))
                    .timer(timer)
                    .apply(source)
                    .count()
                    .map(n -> "complete " + n)
                    .onErrorResume(e -> Mono.just(e.getMessage()))
                    .map(o -> kind + ":" + o)
                    .doOnNext(outcomes::add));
        }
        Flux.merge(runs).blockLast(Duration.ofSeconds(30));

        assertThat(outcomes).hasSize(streams);
        for (String o : outcomes) {
            switch (o.charAt(0)) {
                case '0' -> assertThat(o).isEqualTo("0:complete 1000");
                case '1' -> assertThat(o).isEqualTo("1:idle");
                case '2' -> assertThat(o).isEqualTo("2:deadline");
                default -> assertThat(o).isIn("3:complete 20", "3:deadline");
            }
        }
        timer.assertEveryTaskDisposedOnceOrRan(2 * streams);
    }

    private static Flux<Integer> idle(Flux<Integer> source, Duration after) {
        VirtualTimeScheduler vts = VirtualTimeScheduler.get();
        return StreamTimeout.none()
                .idle(after, ms -> new TimeoutException("idle for " + ms + " ms"))
                .clock(() -> vts.now(TimeUnit.NANOSECONDS))
                .apply(source);
    }

    private static Flux<Integer> both(Flux<Integer> source, Scheduler timer) {
        return StreamTimeout.none()
                .deadline(Duration.ofSeconds(30), ms -> new TimeoutException("deadline"))
                .idle(Duration.ofSeconds(30), ms -> new TimeoutException("idle"))
                .timer(timer)
                .apply(source);
    }

    /** Delegates to a real scheduler and records, per delayed task, whether it ran and how often it was disposed. */
    static final class CountingScheduler implements Scheduler {
        private final Scheduler delegate;
        private final Runnable onDispose;
        private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();

        CountingScheduler(Scheduler delegate) {
            this(delegate, () -> { });
        }

        CountingScheduler(Scheduler delegate, Runnable onDispose) {
            this.delegate = delegate;
            this.onDispose = onDispose;
        }

        @Override
        public Disposable schedule(Runnable task) {
            return delegate.schedule(task);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            Task t = new Task();
            tasks.add(t);
            t.inner = delegate.schedule(() -> {
                t.ran.incrementAndGet();
                task.run();
            }, delay, unit);
            return t;
        }

        @Override
        public Worker createWorker() {
            return delegate.createWorker();
        }

        /**
         * At least {@code minimum} tasks were scheduled; none was disposed twice, and each one ran or was disposed
         * (both when the stream ended just as the task started, which is harmless).
         */
        void assertEveryTaskDisposedOnceOrRan(int minimum) {
            assertThat(tasks).hasSizeGreaterThanOrEqualTo(minimum);
            for (Task t : tasks) {
                assertThat(t.disposed.get()).as("disposals of one timer task").isLessThanOrEqualTo(1);
                assertThat(t.ran.get()).as("runs of one timer task").isLessThanOrEqualTo(1);
                assertThat(t.disposed.get() + t.ran.get()).as("disposals + runs of one timer task").isPositive();
            }
        }

        final class Task implements Disposable {
            final AtomicInteger disposed = new AtomicInteger();
            final AtomicInteger ran = new AtomicInteger();
            volatile Disposable inner;

            @Override
            public void dispose() {
                disposed.incrementAndGet();
                inner.dispose();
                onDispose.run();
            }

            @Override
            public boolean isDisposed() {
                return disposed.get() > 0;
            }
        }
    }
}
