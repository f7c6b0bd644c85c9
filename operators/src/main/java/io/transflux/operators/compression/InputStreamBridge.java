package io.transflux.operators.compression;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;

import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * An {@code InputStream} over a {@code Flux<ByteBuffer>} for codecs that only exist as streams. Reads block
 * (park) on the worker thread that runs the codec; the upstream never blocks: it only enqueues into a queue
 * bounded by demand ({@value #PREFETCH} buffers) and unparks the reader. Each fully read buffer requests one
 * more. {@link #close()} cancels the upstream and wakes a blocked reader, which then throws.
 */
final class InputStreamBridge extends InputStream {

    static final int PREFETCH = 4;
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Flux<ByteBuffer> upstream;
    private final Queue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
    private final Upstream subscriber = new Upstream();
    private volatile @Nullable Thread reader;
    private volatile boolean done;
    private volatile @Nullable Throwable error;
    private volatile boolean closed;
    private boolean subscribed;
    private @Nullable ByteBuffer current;
    private final byte[] pushback = new byte[8];
    private int pushbackLength;
    private long consumed;

    InputStreamBridge(Flux<ByteBuffer> upstream) {
        this.upstream = upstream;
    }

    /** Bytes handed to the codec so far (minus what was pushed back). */
    long consumed() {
        return consumed;
    }

    /** The upstream's own failure, if it failed; it takes precedence over the codec's view of it. */
    @Nullable Throwable upstreamError() {
        return error;
    }

    /** Pushes {@code n} bytes back so the next reads return them first. */
    void unread(byte[] b, int n) {
        if (n > pushback.length - pushbackLength) {
            throw new IllegalStateException("pushback overflow");
        }
        System.arraycopy(pushback, 0, pushback, n, pushbackLength);
        System.arraycopy(b, 0, pushback, 0, n);
        pushbackLength += n;
        consumed -= n;
    }

    @Override
    public int read() throws IOException {
        ByteBuffer c = current;
        if (pushbackLength == 0 && c != null && c.remaining() > 1) {
            consumed++;
            return c.get() & 0xff;
        }
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pushbackLength > 0) {
            int n = Math.min(len, pushbackLength);
            System.arraycopy(pushback, 0, b, off, n);
            System.arraycopy(pushback, n, pushback, 0, pushbackLength - n);
            pushbackLength -= n;
            consumed += n;
            return n;
        }
        ByteBuffer c = awaitBuffer();
        if (c == null) {
            return -1;
        }
        int n = Math.min(len, c.remaining());
        c.get(b, off, n);
        consumed += n;
        if (!c.hasRemaining()) {
            current = null;
            subscriber.requestOne();
        }
        return n;
    }

    private @Nullable ByteBuffer awaitBuffer() throws IOException {
        for (;;) {
            if (closed) {
                throw new IOException("stream closed (cancelled)");
            }
            ByteBuffer c = current;
            if (c != null && c.hasRemaining()) {
                return c;
            }
            if (!subscribed) {
                subscribed = true;
                reader = Thread.currentThread();
                upstream.subscribe(subscriber);
            }
            c = queue.poll();
            if (c != null) {
                if (c.hasRemaining()) {
                    current = c;
                    return c;
                }
                subscriber.requestOne();
                continue;
            }
            if (done) {
                c = queue.poll();
                if (c != null) {
                    current = c;
                    continue;
                }
                Throwable e = error;
                if (e != null) {
                    throw new IOException("upstream failed: " + e, e);
                }
                return null;
            }
            reader = Thread.currentThread();
            if (queue.isEmpty() && !done && !closed) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
            if (Thread.interrupted()) {
                throw new InterruptedIOException("interrupted while waiting for input");
            }
        }
    }

    @Override
    public int available() {
        ByteBuffer c = current;
        return pushbackLength + (c == null ? 0 : c.remaining());
    }

    /** Cancels the upstream and wakes the reader; idempotent, callable from any thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        subscriber.cancel();
        queue.clear();
        wake();
    }

    private void wake() {
        Thread t = reader;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private final class Upstream extends BaseSubscriber<ByteBuffer> {
        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(PREFETCH);
        }

        @Override
        protected void hookOnNext(ByteBuffer value) {
            if (closed) {
                return;
            }
            queue.offer(value);
            wake();
        }

        @Override
        protected void hookOnComplete() {
            done = true;
            wake();
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            error = throwable;
            done = true;
            wake();
        }

        void requestOne() {
            if (!closed) {
                request(1);
            }
        }
    }
}
