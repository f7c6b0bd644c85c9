package io.transflux.connectors;

import java.nio.ByteBuffer;

import reactor.core.publisher.Flux;

/**
 * Skips {@code start} bytes and takes {@code length} bytes of a stream without buffering: buffers before
 * the slice are dropped (one more is requested for each), the ones straddling an edge are narrowed with a
 * zero-copy view, and the upstream is cancelled as soon as the last byte went out. Offsets are {@code long}.
 */
final class ByteSlicer {

    private ByteSlicer() {
    }

    /** {@code length < 0} means to the end. */
    static Flux<ByteBuffer> slice(Flux<ByteBuffer> content, long start, long length) {
        if (start == 0 && length < 0) {
            return content;
        }
        long end = length < 0 ? Long.MAX_VALUE : start + length;
        if (length == 0) {
            return Flux.defer(() -> {
                cancel(content);
                return Flux.empty();
            });
        }
        return Flux.defer(() -> {
            long[] pos = {0};
            return content.handle((buf, sink) -> {
                long bufStart = pos[0];
                int n = buf.remaining();
                long bufEnd = bufStart + n;
                pos[0] = bufEnd;
                long from = Math.max(start, bufStart);
                long to = Math.min(end, bufEnd);
                if (from < to) {
                    if (from == bufStart && to == bufEnd) {
                        sink.next(buf);
                    } else {
                        int p = buf.position();
                        sink.next(buf.duplicate().limit(p + (int) (to - bufStart)).position(p + (int) (from - bufStart))
                                .slice());
                    }
                }
                if (bufEnd >= end) {
                    sink.complete();
                }
            });
        });
    }

    /** Subscribes and cancels at once, so the source releases its connection or file. */
    static void cancel(Flux<ByteBuffer> content) {
        content.subscribe(new reactor.core.publisher.BaseSubscriber<ByteBuffer>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                s.cancel();
            }
        });
    }
}
