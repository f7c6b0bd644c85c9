package io.transflux.pipeline.sink;

import io.transflux.pipeline.ObjectStream;
import reactor.core.publisher.Mono;

/**
 * Writes an object. Subscribing to the result subscribes to the stream's content exactly once.
 *
 * <p>A sink never leaves output that looks complete when the content failed or was cancelled: it
 * either commits everything or removes/aborts what it wrote. Failures are
 * {@link io.transflux.pipeline.SinkException}s, or the content's own error passed through.
 */
@FunctionalInterface
public interface ObjectSink {

    Mono<SinkResult> write(ObjectStream stream);
}
