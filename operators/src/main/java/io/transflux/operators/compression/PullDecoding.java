package io.transflux.operators.compression;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.PipelineException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;

/**
 * The Reactor adapter around a {@link PullReader}: the reader runs on a worker of {@code worker}
 * (never the thread delivering input), producing one output chunk per request; the bridge under it is
 * closed on complete, error and cancel, which also cancels the upstream.
 */
final class PullDecoding {

    private PullDecoding() {
    }

    static Flux<ByteBuffer> decode(Flux<ByteBuffer> content, Function<InputStreamBridge, PullReader> opener,
            DecodeLimits limits, Scheduler worker) {
        return Flux.using(() -> new Session(new InputStreamBridge(content), opener, limits),
                        s -> Flux.<ByteBuffer>generate(s::produce), Session::close, true)
                .subscribeOn(worker);
    }

    static final class Session {
        private final InputStreamBridge bridge;
        private final Function<InputStreamBridge, PullReader> opener;
        private final DecodeLimits limits;
        private volatile @Nullable PullReader reader;
        private volatile boolean closed;
        private boolean finished;
        private long totalOut;

        Session(InputStreamBridge bridge, Function<InputStreamBridge, PullReader> opener, DecodeLimits limits) {
            this.bridge = bridge;
            this.opener = opener;
            this.limits = limits;
        }

        void produce(SynchronousSink<ByteBuffer> sink) {
            if (finished || closed) {
                sink.complete();
                return;
            }
            try {
                PullReader r = reader;
                if (r == null) {
                    r = opener.apply(bridge);
                    reader = r;
                }
                int chunk = limits.chunkBytes;
                byte[] buf = new byte[chunk];
                int len = 0;
                while (len < chunk) {
                    int n = r.read(buf, len, chunk - len);
                    limits.checkMembers(r.members());
                    if (n < 0) {
                        finished = true;
                        break;
                    }
                    len += n;
                    limits.checkOutput(totalOut + len, bridge.consumed());
                }
                if (len == 0) {
                    sink.complete();
                    return;
                }
                totalOut += len;
                sink.next(len < chunk / 4 ? ByteBuffer.wrap(Arrays.copyOf(buf, len)) : ByteBuffer.wrap(buf, 0, len));
            } catch (IOException e) {
                if (closed) {
                    sink.complete();
                } else {
                    sink.error(translate(e));
                }
            } catch (PipelineException e) {
                sink.error(e);
            } catch (RuntimeException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    sink.error(translate(io));
                } else {
                    sink.error(new DecompressionException(limits.format + ": " + e + " near input offset "
                            + bridge.consumed(), e));
                }
            }
        }

        private Throwable translate(IOException e) {
            Throwable upstream = bridge.upstreamError();
            if (upstream != null) {
                return upstream;
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof PipelineException pe) {
                    return pe;
                }
            }
            return new DecompressionException(limits.format + ": " + e.getMessage() + " near input offset "
                    + bridge.consumed(), e);
        }

        void close() {
            closed = true;
            bridge.close();
            PullReader r = reader;
            if (r != null) {
                r.close();
            }
        }
    }
}
