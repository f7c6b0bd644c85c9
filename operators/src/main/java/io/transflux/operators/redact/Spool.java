package io.transflux.operators.redact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.transflux.pipeline.LimitExceededException;
import reactor.core.publisher.Flux;

/**
 * A bounded temporary file holding the object while {@code redact/detect} scans it. Created owner-only,
 * deleted by {@link #close()} (idempotent) on completion, error and cancel.
 */
final class Spool implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final long max;
    private long written;
    private boolean closed;

    Spool(long max) {
        this.max = max;
        try {
            this.file = Files.createTempFile("transflux-detect-", ".spool");
            this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException e) {
            throw new UncheckedIOException("redact/detect: cannot create a spool file", e);
        }
    }

    Path file() {
        return file;
    }

    long written() {
        return written;
    }

    void write(ByteBuffer input) {
        int n = input.remaining();
        if (written + n > max) {
            throw new LimitExceededException("maxSpoolBytes", max, written + n, "bytes",
                    "redact/detect scans the whole object before releasing a byte; raise it with "
                            + "redact/detect,max-spool-bytes_<n> or RedactionSpec.builder().maxSpoolBytes(..)");
        }
        ByteBuffer b = input.duplicate();
        try {
            while (b.hasRemaining()) {
                channel.write(b, written + (n - b.remaining()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("redact/detect: spool write failed", e);
        }
        written += n;
    }

    /** The spooled bytes in chunks of at most {@code chunk} bytes; one read per request. */
    Flux<ByteBuffer> read(int chunk) {
        return Flux.generate(() -> 0L, (pos, sink) -> {
            if (pos >= written) {
                sink.complete();
                return pos;
            }
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(chunk, written - pos));
            try {
                while (b.hasRemaining()) {
                    if (channel.read(b, pos + b.position()) < 0) {
                        throw new IOException("spool truncated");
                    }
                }
            } catch (IOException e) {
                sink.error(new UncheckedIOException("redact/detect: spool read failed", e));
                return pos;
            }
            b.flip();
            sink.next(b);
            return pos + b.remaining();
        });
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("redact/detect: cannot delete spool file", e);
        }
    }
}
