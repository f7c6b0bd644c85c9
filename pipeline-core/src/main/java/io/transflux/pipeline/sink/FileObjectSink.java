package io.transflux.pipeline.sink;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.SinkException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes to a local file atomically: bytes go to a temporary file beside the target, which is renamed
 * over the target only when the content completes. On error or cancellation the temporary file is
 * deleted, so a partial output never appears under the target name. The {@link #stdout()} variant
 * streams to standard output, where nothing can be taken back.
 *
 * <p>Writes block, so they run on {@link Schedulers#boundedElastic()} with a prefetch of
 * {@value #PREFETCH} chunks: a slow disk slows the source down instead of filling memory.
 */
public final class FileObjectSink implements ObjectSink {

    static final int PREFETCH = 4;

    private final @Nullable Path target;

    private FileObjectSink(@Nullable Path target) {
        this.target = target;
    }

    public static FileObjectSink of(Path target) {
        return new FileObjectSink(Objects.requireNonNull(target, "target"));
    }

    /** A sink to standard output, which it flushes but does not close. */
    public static FileObjectSink stdout() {
        return new FileObjectSink(null);
    }

    @Override
    public Mono<SinkResult> write(ObjectStream stream) {
        Path t = target;
        if (t == null) {
            return Mono.using(() -> new FileOutputStream(FileDescriptor.out).getChannel(),
                    ch -> drain(stream, ch).map(n -> new SinkResult(n, "-")),
                    ch -> { /* leave stdout open for the rest of the process */ });
        }
        return Mono.usingWhen(
                Mono.fromCallable(() -> Temp.open(t)).subscribeOn(Schedulers.boundedElastic()),
                tmp -> drain(stream, tmp.channel).map(n -> new SinkResult(n, t.toString())),
                tmp -> Mono.fromRunnable(tmp::commit).subscribeOn(Schedulers.boundedElastic()),
                (tmp, err) -> Mono.fromRunnable(tmp::abort).subscribeOn(Schedulers.boundedElastic()),
                tmp -> Mono.fromRunnable(tmp::abort).subscribeOn(Schedulers.boundedElastic()))
                // usingWhen wraps a failed commit in its own RuntimeException: surface the SinkException.
                .onErrorMap(e -> !(e instanceof SinkException) && e.getCause() instanceof SinkException,
                        Throwable::getCause);
    }

    private static Mono<Long> drain(ObjectStream stream, WritableByteChannel ch) {
        return stream.content()
                .publishOn(Schedulers.boundedElastic(), PREFETCH)
                .reduce(0L, (n, buf) -> n + writeFully(ch, buf));
    }

    private static long writeFully(WritableByteChannel ch, ByteBuffer buf) {
        long n = 0;
        try {
            while (buf.hasRemaining()) {
                n += ch.write(buf);
            }
        } catch (IOException e) {
            throw new SinkException("write failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        return n;
    }

    @Override
    public String toString() {
        return "FileObjectSink{" + (target == null ? "-" : target) + '}';
    }

    /** The temporary file and its channel; commit renames it over the target, abort deletes it. */
    private static final class Temp {
        final Path tmp;
        final Path target;
        final FileChannel channel;

        private Temp(Path tmp, Path target, FileChannel channel) {
            this.tmp = tmp;
            this.target = target;
            this.channel = channel;
        }

        /** Temporary names keep at most this much of the target's name, so a long name still fits the limit. */
        static final int NAME_PREFIX_CHARS = 64;

        static Temp open(Path target) {
            Path dir = target.toAbsolutePath().getParent();
            if (Files.isDirectory(target)) {
                throw new SinkException("the output " + target + " is an existing directory; expected a file path", null);
            }
            String name = target.getFileName().toString();
            try {
                Path tmp = Files.createTempFile(dir, "." + name.substring(0, Math.min(name.length(), NAME_PREFIX_CHARS))
                        + ".", ".transflux-tmp");
                return new Temp(tmp, target, FileChannel.open(tmp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING));
            } catch (IOException e) {
                throw new SinkException("cannot create a temporary file in " + dir + ": "
                        + e.getClass().getSimpleName(), e);
            }
        }

        void commit() {
            try {
                channel.close();
                try {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                abort();
                throw new SinkException("cannot move the output into place at " + target + ": "
                        + e.getClass().getSimpleName(), e);
            }
        }

        void abort() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // deleting below is what matters
            }
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: the name marks it as a leftover temporary file
            }
        }
    }
}
