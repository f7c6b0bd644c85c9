package io.transflux.pipeline.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.Callable;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.RangeReader;
import io.transflux.pipeline.SourceException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reads a local file (or standard input) in chunks of at most {@code chunkBytes}, one read per
 * downstream request, on {@link Schedulers#boundedElastic()} because file reads block.
 *
 * <p>A regular file's stream also carries a {@link RangeReader} ({@link ObjectStream#rangeReader()}):
 * positional {@code FileChannel} reads of the same chunk size, one per request, on the same scheduler. It
 * fails with {@code SOURCE_CHANGED} when the file's size is no longer the size seen at {@link #open()}.
 */
public final class FileObjectSource implements ObjectSource {

    private final Callable<ReadableByteChannel> opener;
    private final String description;
    private final Path path;
    private final int chunkBytes;

    private FileObjectSource(Callable<ReadableByteChannel> opener, String description, Path path, int chunkBytes) {
        this.opener = opener;
        this.description = description;
        this.path = path;
        this.chunkBytes = chunkBytes;
    }

    /** A source over {@code path} with 64 KiB chunks. */
    public static FileObjectSource of(Path path) {
        return of(path, Limits.DEFAULT_MAX_CHUNK_BYTES);
    }

    public static FileObjectSource of(Path path, int chunkBytes) {
        Objects.requireNonNull(path, "path");
        checkChunk(chunkBytes);
        return new FileObjectSource(() -> FileChannel.open(path, StandardOpenOption.READ), path.toString(), path,
                chunkBytes);
    }

    /** A source over standard input; its length is unknown. Closing the stream closes stdin. */
    public static FileObjectSource stdin() {
        return new FileObjectSource(() -> Channels.newChannel(System.in), "-", Path.of("-"), Limits.DEFAULT_MAX_CHUNK_BYTES);
    }

    private static void checkChunk(int chunkBytes) {
        if (chunkBytes <= 0 || chunkBytes > Limits.MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("chunkBytes: actual " + chunkBytes + ", expected [1, "
                    + Limits.MAX_CHUNK_BYTES + "]");
        }
    }

    @Override
    public Mono<ObjectStream> open() {
        return Mono.fromCallable(this::metadata)
                .subscribeOn(Schedulers.boundedElastic())
                .map(meta -> {
                    ObjectStream s = ObjectStream.of(content(), meta);
                    return "-".equals(description) ? s : s.withRangeReader(new FileRangeReader(meta.contentLength().orElseThrow()));
                });
    }

    private ObjectMetadata metadata() {
        if ("-".equals(description)) {
            return ObjectMetadata.empty();
        }
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                throw new SourceException(ErrorCode.SOURCE_ERROR, 0, null, "source " + description + ": not a regular file");
            }
            return ObjectMetadata.builder()
                    .contentLength(attrs.size())
                    .lastModified(attrs.lastModifiedTime().toInstant())
                    .build();
        } catch (NoSuchFileException e) {
            throw new SourceException(ErrorCode.SOURCE_ERROR, 404, "NoSuchKey", "source " + description + ": no such file");
        } catch (IOException e) {
            throw new SourceException(ErrorCode.SOURCE_ERROR, 0, null,
                    "source " + description + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private Flux<ByteBuffer> content() {
        return Flux.<ByteBuffer, ReadableByteChannel>generate(this::openChannel, (ch, sink) -> {
            ByteBuffer buf = ByteBuffer.allocate(chunkBytes);
            try {
                int n = ch.read(buf);
                if (n < 0) {
                    sink.complete();
                } else {
                    sink.next(buf.flip());
                }
            } catch (IOException e) {
                sink.error(new SourceException(ErrorCode.SOURCE_UNAVAILABLE, 0, null,
                        "source " + description + ": read failed: " + e.getClass().getSimpleName(), e));
            }
            return ch;
        }, FileObjectSource::closeQuietly).subscribeOn(Schedulers.boundedElastic());
    }

    private ReadableByteChannel openChannel() {
        try {
            return opener.call();
        } catch (NoSuchFileException e) {
            throw new SourceException(ErrorCode.SOURCE_ERROR, 404, "NoSuchKey", "source " + description + ": no such file");
        } catch (Exception e) {
            throw new SourceException(ErrorCode.SOURCE_UNAVAILABLE, 0, null,
                    "source " + description + ": open failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Positional reads of the file, checked against the size seen when it was opened. */
    private final class FileRangeReader implements RangeReader {
        private final long size;

        FileRangeReader(long size) {
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public Flux<ByteBuffer> read(long start, long endExclusive) {
            RangeReader.checkRange(start, endExclusive, size);
            if (start == endExclusive) {
                return Flux.empty();
            }
            long[] position = {start};
            return Flux.<ByteBuffer, FileChannel>generate(this::openChecked, (ch, sink) -> {
                long p = position[0];
                if (p >= endExclusive) {
                    sink.complete();
                    return ch;
                }
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(chunkBytes, endExclusive - p));
                try {
                    while (buf.hasRemaining()) {
                        int n = ch.read(buf, p + buf.position());
                        if (n < 0) {
                            sink.error(changed("ended at " + (p + buf.position()) + " inside range [" + start + ", "
                                    + endExclusive + ")"));
                            return ch;
                        }
                    }
                    position[0] = p + buf.capacity();
                    sink.next(buf.flip());
                } catch (IOException e) {
                    sink.error(new SourceException(ErrorCode.SOURCE_UNAVAILABLE, 0, null,
                            "source " + description + ": ranged read failed: " + e.getClass().getSimpleName(), e));
                }
                return ch;
            }, FileObjectSource::closeQuietly).subscribeOn(Schedulers.boundedElastic());
        }

        private FileChannel openChecked() {
            FileChannel ch = (FileChannel) openChannel();
            try {
                long now = ch.size();
                if (now != size) {
                    closeQuietly(ch);
                    throw changed("size is now " + now + ", was " + size + " when opened");
                }
                return ch;
            } catch (IOException e) {
                closeQuietly(ch);
                throw new SourceException(ErrorCode.SOURCE_UNAVAILABLE, 0, null,
                        "source " + description + ": " + e.getClass().getSimpleName(), e);
            }
        }

        private SourceException changed(String what) {
            return new SourceException(ErrorCode.SOURCE_CHANGED, 0, null, "source " + description
                    + ": the file changed since it was opened: " + what);
        }
    }

    private static void closeQuietly(ReadableByteChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the bytes already delivered are complete or the stream has failed.
        }
    }

    @Override
    public String toString() {
        return "FileObjectSource{" + description + '}';
    }
}
