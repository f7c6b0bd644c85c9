package io.transflux.connectors.callback;

import reactor.core.publisher.Mono;

/** The work a verified callback starts, e.g. a thumbnail saved through {@code sys/saveas}. */
@FunctionalInterface
public interface CallbackHandler {

    /** Runs {@code job}; completion marks it done in the journal, an error leaves it for the next start-up. */
    Mono<Void> handle(CallbackJob job);
}
