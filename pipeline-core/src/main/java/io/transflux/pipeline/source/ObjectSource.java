package io.transflux.pipeline.source;

import io.transflux.pipeline.ObjectStream;
import reactor.core.publisher.Mono;

/**
 * Opens an object for reading. Nothing happens until the returned {@code Mono} is subscribed to.
 *
 * <p>The emitted {@link ObjectStream} carries what the source learned before the first byte (length,
 * type, ETag, ...). Its content is single-use: subscribe to it once, and cancel it to release the
 * connection or file handle early. Failures are {@link io.transflux.pipeline.SourceException}s.
 */
@FunctionalInterface
public interface ObjectSource {

    Mono<ObjectStream> open();
}
