package io.transflux.connectors.http;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fails a stream when a trigger fires first: the source is cancelled (for a response body that closes
 * the connection) and the subscriber gets {@code error} instead of the truncated stream's completion.
 * Used for the total deadline and the idle-read watchdog.
 */
final class Tripwire {

    private Tripwire() {
    }

    /**
     * @param trigger must emit a value to fire (its completion alone does nothing useful)
     */
    static <T> Flux<T> failWhen(Flux<T> source, Publisher<?> trigger, Supplier<? extends Throwable> error) {
        return Flux.defer(() -> {
            AtomicBoolean completed = new AtomicBoolean();
            AtomicBoolean fired = new AtomicBoolean();
            return source.doOnComplete(() -> completed.set(true))
                    .takeUntilOther(Flux.from(trigger).doOnNext(x -> fired.set(true)))
                    .concatWith(Mono.defer(() -> fired.get() && !completed.get() ? Mono.error(error.get())
                            : Mono.empty()));
        });
    }
}
