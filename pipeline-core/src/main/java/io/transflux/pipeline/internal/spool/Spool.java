package io.transflux.pipeline.internal.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.SinkException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A bounded temporary file holding a whole object, for answers that need its length, checksum or a verdict
 * before the first byte. Every file operation runs on {@link Schedulers#boundedElastic()} (never on the caller's
 * thread, often a Netty event loop), with a small prefetch.
 *
 * <p><b>Limits:</b> more than {@code maxBytes} in this spool, or more than its {@link SpoolBudget} across all live
 * spools, fails with {@link LimitExceededException} and deletes the file; a write the disk refuses (full) fails with
 * {@link SinkException} and deletes the file. <b>Buffers:</b> written buffers are read
 * on a duplicate (their position is left alone); read buffers are new heap buffers. <b>Lifetime:</b> the file is
 * deleted on a failed or cancelled write and by {@link #close()} (idempotent), which also returns its bytes to
 * the budget. Files are created owner-only by {@link Files#createTempFile}.
 */
public final class Spool implements AutoCloseable {

    /** Buffers handed to the writer thread at a time. */
    public static final int PREFETCH = 4;

    private final Path file;
    private final long length;
    private final SpoolBudget budget;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Spool(Path file, long length, SpoolBudget budget) {
        this.file = file;
        this.length = length;
        this.budget = budget;
    }

    /**
     * Writes {@code content} to a new file, using the {@link SpoolBudget#shared() shared} budget.
     *
     * @param dir       directory of the file; null for {@code java.io.tmpdir}
     * @param prefix    file name prefix, e.g. {@code transflux-spool-}
     * @param maxBytes  this spool's limit, reported as {@code maxSpoolBytes}
     * @param raiseHint how the caller raises {@code maxBytes}, appended to the limit's message
     */
    public static Mono<Spool> write(Flux<ByteBuffer> content, @Nullable Path dir, String prefix, long maxBytes,
            String raiseHint) {
        return write(content, dir, prefix, maxBytes, raiseHint, SpoolBudget.shared());
    }

    /** As {@link #write(Flux, Path, String, long, String)}, drawing on {@code budget}. */
    public static Mono<Spool> write(Flux<ByteBuffer> content, @Nullable Path dir, String prefix, long maxBytes,
            String raiseHint, SpoolBudget budget) {
        return Mono.usingWhen(
                Mono.fromCallable(() -> {
                    Path f = dir == null ? Files.createTempFile(prefix, ".spool")
                            : Files.createTempFile(dir, prefix, ".spool");
                    return new Open(f, FileChannel.open(f, StandardOpenOption.WRITE), budget);
                }).subscribeOn(Schedulers.boundedElastic()),
                open -> content.publishOn(Schedulers.boundedElastic(), PREFETCH)
                        .reduce(0L, (n, buf) -> {
                            long total = n + buf.remaining();
                            if (total > maxBytes) {
                                throw new LimitExceededException("maxSpoolBytes", maxBytes, total, "bytes", raiseHint);
                            }
                            open.reserve(buf.remaining());
                            open.writeFully(buf);
                            return total;
                        })
                        .map(n -> open.toSpool(n)),
                open -> Mono.fromRunnable(open::close).subscribeOn(Schedulers.boundedElastic()),
                (open, err) -> Mono.fromRunnable(open::discard).subscribeOn(Schedulers.boundedElastic()),
                open -> Mono.fromRunnable(open::discard).subscribeOn(Schedulers.boundedElastic()));
    }

    public long length() {
        return length;
    }

    /** All bytes, in chunks of at most {@code chunkBytes}. */
    public Flux<ByteBuffer> content(int chunkBytes) {
        return content(0, length, chunkBytes);
    }

    /** {@code count} bytes from {@code start}, in chunks of at most {@code chunkBytes}; one read per request. */
    public Flux<ByteBuffer> content(long start, long count, int chunkBytes) {
        return Flux.using(() -> FileChannel.open(file, StandardOpenOption.READ),
                ch -> Flux.<ByteBuffer, long[]>generate(() -> new long[] {start, count}, (st, sink) -> {
                    if (st[1] == 0) {
                        sink.complete();
                        return st;
                    }
                    ByteBuffer b = ByteBuffer.allocate((int) Math.min(chunkBytes, st[1]));
                    try {
                        while (b.hasRemaining()) {
                            if (ch.read(b, st[0] + b.position()) < 0) {
                                throw new IOException("spool file shorter than written");
                            }
                        }
                    } catch (IOException e) {
                        sink.error(new UncheckedIOException(e));
                        return st;
                    }
                    st[0] += b.capacity();
                    st[1] -= b.capacity();
                    sink.next(b.flip());
                    return st;
                }),
                ch -> {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // read-only channel: nothing to lose
                    }
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** Deletes the file and returns its bytes to the budget; idempotent. Blocks briefly (one unlink). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: the name marks it as a leftover spool file
        } finally {
            budget.release(length);
        }
    }

    /** {@link #close()} on {@link Schedulers#boundedElastic()}. */
    public Mono<Void> closeAsync() {
        return Mono.fromRunnable(this::close).subscribeOn(Schedulers.boundedElastic()).then();
    }

    /** A file being written: owns its reservation until it becomes a {@link Spool} or is discarded. */
    private static final class Open {
        final Path file;
        final FileChannel channel;
        final SpoolBudget budget;
        long reserved;
        @Nullable Spool spool;

        Open(Path file, FileChannel channel, SpoolBudget budget) {
            this.file = file;
            this.channel = channel;
            this.budget = budget;
        }

        void reserve(long n) {
            long wouldHold = budget.reserve(n);
            if (wouldHold >= 0) {
                throw new LimitExceededException("spoolBudgetBytes", budget.total(), wouldHold, "bytes",
                        "every spool in this JVM shares it (Lambda's /tmp is 512 MB by default); raise it with -D"
                                + SpoolBudget.PROPERTY + "=<bytes> once /tmp is larger");
            }
            reserved += n;
        }

        void writeFully(ByteBuffer buf) {
            ByteBuffer d = buf.duplicate();
            try {
                while (d.hasRemaining()) {
                    channel.write(d);
                }
            } catch (IOException e) {
                // a full or failing disk (ENOSPC, EIO): typed, so callers report it rather than an unknown error
                throw new SinkException("spool: cannot write the temporary file: " + e.getClass().getSimpleName()
                        + ": " + e.getMessage(), e);
            }
        }

        Spool toSpool(long length) {
            spool = new Spool(file, length, budget);
            return spool;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void discard() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // deleting is what matters
            }
            if (spool != null) {
                // Cancelled after the spool was made but before it reached the caller: nobody else will close it.
                spool.close();
                return;
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort
            } finally {
                budget.release(reserved);
            }
        }
    }
}
