package io.transflux.connectors.callback;

import reactor.core.publisher.Mono;

/**
 * The work a verified callback starts, e.g. a thumbnail saved through {@code sys/saveas}. A job can run again after
 * a crash between its effect and its done record (a redelivery, see {@link CallbackServer}); for its effect to happen
 * once, make it idempotent under {@link CallbackJob#idempotencyKey()}, e.g. by sending
 * {@link CallbackJob#IDEMPOTENCY_KEY_HEADER} with {@link CallbackJob#idempotencyKeyField()} to a target that
 * honours it.
 */
@FunctionalInterface
public interface CallbackHandler {

    /** Runs {@code job}; completion marks it done in the journal, an error leaves it for the next start-up. */
    Mono<Void> handle(CallbackJob job);

    /**
     * Runs {@code job}, knowing whether it is a redelivery: a delivery of it started before a crash, so its effect
     * may already have happened. A handler that can see its own committed effect (an object it wrote, tagged with
     * the key) checks for it here and completes without running again. By default the same as
     * {@link #handle(CallbackJob)}.
     */
    default Mono<Void> handle(CallbackJob job, boolean redelivery) {
        return handle(job);
    }
}
