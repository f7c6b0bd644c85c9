package io.transflux.operators.compression;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.PipelineException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Reactor adapter around a {@link ChunkDecoder}: the decoder lives in {@code Flux.using}, so it is closed
 * once on complete, error and cancel; each input buffer becomes a lazy iterable whose elements are decoded
 * only when downstream asks for them; leftover bytes are kept between buffers; limits are checked per
 * output buffer.
 */
final class PushDecoding {

    /** Marks the end of input; compared by identity. */
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private PushDecoding() {
    }

    static Flux<ByteBuffer> decode(Flux<ByteBuffer> content, Supplier<ChunkDecoder> decoder, DecodeLimits limits) {
        return Flux.using(() -> new Session(decoder.get(), limits),
                session -> content.concatWith(Mono.just(END)).concatMapIterable(session::feed, 1),
                Session::close, true);
    }

    /** Per-subscription state; closes its decoder exactly once, even when cancel races a decode step. */
    static final class Session {
        private static final int BUSY = 1;
        private static final int CLOSE_REQUESTED = 2;
        private static final int CLOSED = 4;

        private final ChunkDecoder decoder;
        private final DecodeLimits limits;
        private final AtomicInteger state = new AtomicInteger();
        private @Nullable ByteBuffer pending;
        private long totalIn;
        private long totalOut;

        Session(ChunkDecoder decoder, DecodeLimits limits) {
            this.decoder = decoder;
            this.limits = limits;
        }

        Iterable<ByteBuffer> feed(ByteBuffer chunk) {
            boolean eof = chunk == END;
            totalIn += chunk.remaining();
            ByteBuffer in;
            ByteBuffer p = pending;
            if (p == null) {
                in = chunk;
            } else {
                pending = null;
                in = ByteBuffer.allocate(p.remaining() + chunk.remaining());
                in.put(p).put(chunk.duplicate()).flip();
                chunk.position(chunk.limit());
            }
            return () -> new Output(in, eof);
        }

        private @Nullable ByteBuffer step(ByteBuffer in, boolean eof) {
            if (!enter()) {
                return null;
            }
            try {
                ByteBuffer out = decoder.decode(in, eof);
                limits.checkMembers(decoder.members());
                if (out != null) {
                    totalOut += out.remaining();
                    limits.checkOutput(totalOut, totalIn);
                    return out;
                }
                if (in.hasRemaining()) {
                    if (eof) {
                        throw new IllegalStateException(limits.format + " decoder left " + in.remaining()
                                + " bytes at end of input");
                    }
                    if (in.remaining() > decoder.maxPendingBytes()) {
                        throw new IllegalStateException(limits.format + " decoder left " + in.remaining()
                                + " bytes, more than its bound " + decoder.maxPendingBytes());
                    }
                    ByteBuffer copy = ByteBuffer.allocate(in.remaining());
                    copy.put(in).flip();
                    pending = copy;
                }
                return null;
            } catch (PipelineException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new DecompressionException(limits.format + ": " + e, e);
            } finally {
                exit();
            }
        }

        private boolean enter() {
            for (;;) {
                int s = state.get();
                if ((s & (CLOSE_REQUESTED | CLOSED)) != 0) {
                    return false;
                }
                if (state.compareAndSet(s, s | BUSY)) {
                    return true;
                }
            }
        }

        private void exit() {
            for (;;) {
                int s = state.get();
                if ((s & CLOSE_REQUESTED) != 0) {
                    if (state.compareAndSet(s, CLOSED)) {
                        decoder.close();
                        return;
                    }
                } else if (state.compareAndSet(s, s & ~BUSY)) {
                    return;
                }
            }
        }

        void close() {
            for (;;) {
                int s = state.get();
                if ((s & (CLOSE_REQUESTED | CLOSED)) != 0) {
                    return;
                }
                if ((s & BUSY) != 0) {
                    if (state.compareAndSet(s, s | CLOSE_REQUESTED)) {
                        return;
                    }
                } else if (state.compareAndSet(s, CLOSED)) {
                    decoder.close();
                    return;
                }
            }
        }

        /** Decodes lazily: one output buffer per {@code hasNext} that needs one. */
        private final class Output implements Iterator<ByteBuffer> {
            private final ByteBuffer in;
            private final boolean eof;
            private @Nullable ByteBuffer next;
            private boolean exhausted;

            Output(ByteBuffer in, boolean eof) {
                this.in = in;
                this.eof = eof;
            }

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (exhausted) {
                    return false;
                }
                next = step(in, eof);
                if (next == null) {
                    exhausted = true;
                    return false;
                }
                return true;
            }

            @Override
            public ByteBuffer next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ByteBuffer n = next;
                next = null;
                return n;
            }
        }
    }
}
