package io.transflux.operators.compression;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * A push decoder: a synchronous state machine fed one input buffer at a time, used from one thread at a
 * time, with no Reactor types. {@link PushDecoding} owns demand, cancellation and the native context.
 */
interface ChunkDecoder {

    /**
     * Decodes from {@code in}, advancing its position over what it consumed, and returns the next output
     * buffer (a fresh heap buffer of at most the chunk size, owned by the caller).
     *
     * <p>Returns {@code null} when no output can be made from {@code in}: more input is needed, or, when
     * {@code endOfInput}, the stream ended correctly. Bytes a decoder needs together (a header, a trailer,
     * a snappy chunk) may be left unconsumed; the caller prepends them to the next buffer. At the end of
     * input a decoder either consumes everything or throws.
     *
     * @throws io.transflux.pipeline.PipelineException for malformed input or a breached limit
     */
    @Nullable ByteBuffer decode(ByteBuffer in, boolean endOfInput);

    /** Members, frames or streams started so far; counted against the member cap. */
    long members();

    /** The most bytes the decoder may leave unconsumed for the caller to keep. */
    default int maxPendingBytes() {
        return 64;
    }

    /** Frees native resources. Called exactly once by {@link PushDecoding}. */
    default void close() {
    }
}
