package io.transflux.pipeline;

import java.nio.ByteBuffer;

import reactor.core.publisher.Flux;

/**
 * Random access to the bytes of the object an {@link ObjectStream} came from: the same object version its
 * content streams, read again by byte range. Sources that can seek (files) or ask for ranges (HTTP with a
 * strong ETag) offer one through {@link ObjectStream#rangeReader()}; formats with an index at the end (ZIP)
 * use it instead of reading the whole object.
 *
 * <p>A range reader belongs to the <em>original</em> bytes: {@link ObjectStream#withContent} and
 * {@link ObjectStream#mapContent} drop it, so a stage only ever sees one that matches its input.
 */
public interface RangeReader {

    /** The object's length in bytes. */
    long size();

    /**
     * Reads bytes {@code [start, endExclusive)} of the same object version. Nothing happens until the
     * returned {@code Flux} is subscribed to; each subscription reads the range afresh.
     *
     * <p><b>Backpressure:</b> reads as downstream demand arrives, in buffers of at most
     * {@link Limits#maxChunkBytes()} (64 KiB) that the subscriber owns, as in {@link ObjectStream}'s
     * ownership rules. <b>Cancellation:</b> releases the file handle or connection. <b>Errors:</b> a
     * {@link SourceException}, e.g. {@code SOURCE_CHANGED} when the object changed since it was opened;
     * never fewer bytes than asked for with a successful completion.
     *
     * @param start first byte, {@code 0 <= start <= endExclusive}
     * @param endExclusive one past the last byte, {@code <= size()}
     * @return exactly {@code endExclusive - start} bytes, then completion
     * @throws IllegalArgumentException (at once) when the range is not within {@code [0, size()]}
     */
    Flux<ByteBuffer> read(long start, long endExclusive);

    /** Checks {@code [start, endExclusive)} against {@code [0, size]} for implementations. */
    static void checkRange(long start, long endExclusive, long size) {
        if (start < 0 || endExclusive < start || endExclusive > size) {
            throw new IllegalArgumentException("range [" + start + ", " + endExclusive + "): expected 0 <= start <= end <= "
                    + size);
        }
    }
}
