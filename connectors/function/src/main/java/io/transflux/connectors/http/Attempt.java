package io.transflux.connectors.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.transflux.pipeline.internal.timeout.StreamTimeout;
import reactor.core.publisher.Flux;
import reactor.netty.Connection;

/**
 * One 2xx reply whose body has not been read yet. The body can be claimed once; if nobody claims it
 * within the idle-read timeout the connection is closed (never pooled), so an {@code ObjectStream} whose
 * content is never subscribed holds no socket for long.
 *
 * <p>Each inbound {@code ByteBuf} is copied into an owned heap array inside {@code onNext} (Reactor
 * Netty frees it when {@code onNext} returns) and cut into buffers of at most {@code chunkBytes}; no
 * pooled buffer leaves this class. Upstream demand is one inbound buffer at a time, so a slow subscriber
 * stops the socket reads (Reactor Netty turns {@code autoRead} off).
 */
final class Attempt {

    private static final int OPEN = 0;
    private static final int CLAIMED = 1;
    private static final int ABANDONED = 2;

    private final Connection connection;
    private final HttpHeaders headers;
    private final AtomicInteger state = new AtomicInteger(OPEN);
    private final ScheduledFuture<?> unclaimed;

    Attempt(Connection connection, HttpHeaders headers, Duration claimWithin) {
        this.connection = connection;
        this.headers = headers;
        this.unclaimed = connection.channel().eventLoop().schedule(this::abandon, claimWithin.toNanos(), TimeUnit.NANOSECONDS);
    }

    HttpHeaders headers() {
        return headers;
    }

    /**
     * The body, owned heap buffers of at most {@code chunkBytes}, failing with {@code onIdle} when no
     * byte arrives for {@code idleTimeout} while there is demand.
     *
     * @param onAbandoned the failure when the body was already given up for lack of a subscriber
     */
    Flux<ByteBuffer> body(int chunkBytes, Duration idleTimeout, Supplier<? extends Throwable> onIdle,
            Supplier<? extends Throwable> onAbandoned) {
        if (!state.compareAndSet(OPEN, CLAIMED)) {
            return state.get() == ABANDONED ? Flux.error(onAbandoned.get())
                    : Flux.error(new IllegalStateException("HTTP source body already subscribed; it is single-use"));
        }
        unclaimed.cancel(false);
        Flux<ByteBuffer> bytes = connection.inbound().receive()
                .map(buf -> copy(buf, chunkBytes))
                .concatMapIterable(chunks -> chunks, 1);
        return StreamTimeout.none().idle(idleTimeout, idleMillis -> onIdle.get()).apply(bytes);
    }

    /**
     * Closes the connection unless the body was claimed; idempotent. Safe even after Reactor Netty has
     * returned a fully read connection to the pool: the released operations then hold a detached channel,
     * so only the queued, unread buffers are freed.
     */
    void abandon() {
        if (state.compareAndSet(OPEN, ABANDONED)) {
            unclaimed.cancel(false);
            connection.dispose();
        }
    }

    static List<ByteBuffer> copy(ByteBuf buf, int chunkBytes) {
        int n = buf.readableBytes();
        if (n == 0) {
            return List.of();
        }
        byte[] owned = new byte[n];
        buf.getBytes(buf.readerIndex(), owned);
        if (n <= chunkBytes) {
            return List.of(ByteBuffer.wrap(owned));
        }
        List<ByteBuffer> chunks = new ArrayList<>((n + chunkBytes - 1) / chunkBytes);
        for (int off = 0; off < n; off += chunkBytes) {
            chunks.add(ByteBuffer.wrap(owned, off, Math.min(chunkBytes, n - off)).slice());
        }
        return chunks;
    }
}
