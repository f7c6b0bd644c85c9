package io.transflux.connectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.transflux.pipeline.LimitExceededException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A bounded temporary file holding transformed output, for answers that need the length (or the checksum)
 * before the first byte. Writes and reads block, so they run on {@link Schedulers#boundedElastic()} with a
 * small prefetch; more than {@code maxBytes} fails with {@link LimitExceededException} ({@code maxSpoolBytes})
 * and deletes the file. {@link #delete()} is idempotent.
 */
final class Spool {

    static final int PREFETCH = 4;

    private final Path file;
    private final long length;
    private volatile boolean deleted;

    private Spool(Path file, long length) {
        this.file = file;
        this.length = length;
    }

    /** Writes {@code content} to a new file in {@code dir}; the file is removed on error or cancel. */
    static Mono<Spool> write(Flux<ByteBuffer> content, Path dir, long maxBytes) {
        return Mono.usingWhen(
                Mono.fromCallable(() -> {
                    Path f = Files.createTempFile(dir, "transflux-spool-", ".tmp");
                    return new Open(f, FileChannel.open(f, StandardOpenOption.WRITE));
                }).subscribeOn(Schedulers.boundedElastic()),
                open -> content.publishOn(Schedulers.boundedElastic(), PREFETCH)
                        .reduce(0L, (n, buf) -> {
                            long total = n + buf.remaining();
                            if (total > maxBytes) {
                                throw new LimitExceededException("maxSpoolBytes", maxBytes, total, "bytes",
                                        "raise it with ObjectLambdaFunction.builder().maxSpoolBytes(..) or the "
                                                + "access point payload's \"maxSpoolBytes\"");
                            }
                            open.writeFully(buf);
                            return total;
                        })
                        .map(n -> new Spool(open.file, n)),
                open -> Mono.fromRunnable(open::close).subscribeOn(Schedulers.boundedElastic()),
                (open, err) -> Mono.fromRunnable(open::discard).subscribeOn(Schedulers.boundedElastic()),
                open -> Mono.fromRunnable(open::discard).subscribeOn(Schedulers.boundedElastic()));
    }

    long length() {
        return length;
    }

    /** {@code length} bytes from {@code start} in chunks of at most {@code chunkBytes}. */
    Flux<ByteBuffer> content(long start, long count, int chunkBytes) {
        return Flux.using(() -> FileChannel.open(file, StandardOpenOption.READ),
                ch -> Flux.<ByteBuffer, long[]>generate(() -> new long[] {start, count}, (st, sink) -> {
                    if (st[1] == 0) {
                        sink.complete();
                        return st;
                    }
                    ByteBuffer b = ByteBuffer.allocate((int) Math.min(chunkBytes, st[1]));
                    try {
                        while (b.hasRemaining()) {
                            int r = ch.read(b, st[0] + b.position());
                            if (r < 0) {
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

    void delete() {
        if (deleted) {
            return;
        }
        deleted = true;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: the name marks it as a leftover spool file
        }
    }

    private static final class Open {
        final Path file;
        final FileChannel channel;

        Open(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

        void writeFully(ByteBuffer buf) {
            ByteBuffer d = buf.duplicate();
            try {
                while (d.hasRemaining()) {
                    channel.write(d);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
