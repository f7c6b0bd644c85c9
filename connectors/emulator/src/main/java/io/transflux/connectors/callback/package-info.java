/**
 * The receiving side of OSS upload callbacks (docs/protocols.md §5, docs/reliability.md §9).
 * {@link io.transflux.connectors.callback.CallbackVerifier} checks the RSA signature OSS puts on a callback:
 * the public-key URL must pass a {@link io.transflux.connectors.callback.KeyUrlPolicy} (only
 * {@code gosspublic.alicdn.com}, fetched over https, plus explicitly configured local hosts), keys come from a
 * {@link io.transflux.connectors.callback.KeyResolver} with a timeout and a bounded cache, and the signature is
 * {@code MD5withRSA} over the URL-decoded path, the query, a newline and the body.
 * {@link io.transflux.connectors.callback.CallbackServer} answers verified callbacks with JSON inside the 5 s
 * budget, journals accepted jobs to disk before answering, runs each (bucket, object, ETag) once and replays
 * unfinished jobs at start-up: delivery is at-least-once across crashes, and a job's effect is exactly-once when the
 * handler makes it idempotent under {@link io.transflux.connectors.callback.CallbackJob#idempotencyKey()} (sent as
 * the {@code Idempotency-Key} header field to HTTP targets; docs/process.md, delivery guarantee).
 */
@NullMarked
package io.transflux.connectors.callback;

import org.jspecify.annotations.NullMarked;
