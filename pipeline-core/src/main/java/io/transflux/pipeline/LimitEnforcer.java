package io.transflux.pipeline;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.transflux.pipeline.internal.timeout.StreamTimeout;
import reactor.core.publisher.Flux;

/** Applies {@link Limits} to a pipeline's output: chunk bound, output-byte cap and total deadline. */
final class LimitEnforcer {

    private LimitEnforcer() {
    }

    static Flux<ByteBuffer> enforce(Flux<ByteBuffer> content, Limits limits) {
        Flux<ByteBuffer> out = ByteStreams.rechunk(content, limits.maxChunkBytes());
        if (limits.maxOutputBytes() != Long.MAX_VALUE) {
            out = capOutput(out, limits.maxOutputBytes());
        }
        if (limits.hasDeadline()) {
            out = deadline(out, limits.deadline());
        }
        return out;
    }

    private static Flux<ByteBuffer> capOutput(Flux<ByteBuffer> content, long max) {
        return Flux.defer(() -> {
            AtomicLong total = new AtomicLong();
            return content.handle((buf, sink) -> {
                long reached = total.addAndGet(buf.remaining());
                if (reached > max) {
                    sink.error(new LimitExceededException("maxOutputBytes", max, reached, "bytes",
                            "raise it with Limits.builder().maxOutputBytes(..) or --max-output-bytes"));
                } else {
                    sink.next(buf);
                }
            });
        });
    }

    private static Flux<ByteBuffer> deadline(Flux<ByteBuffer> content, Duration deadline) {
        // One timer per subscription, armed once; nothing is done per element on the data path.
        return StreamTimeout.failAfter(content, deadline, elapsedMillis -> new LimitExceededException("deadline",
                deadline.toMillis(), elapsedMillis, "ms", "raise it with Limits.builder().deadline(..) or --deadline"));
    }
}
