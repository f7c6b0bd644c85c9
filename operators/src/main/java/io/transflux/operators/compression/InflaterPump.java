package io.transflux.operators.compression;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.jspecify.annotations.Nullable;

import io.transflux.pipeline.DecompressionException;

/**
 * Runs one {@link Inflater} over {@code ByteBuffer} input into bounded heap chunks; shared by the gzip and
 * zlib decoders. The inflater is native memory: {@link #close()} frees it.
 */
final class InflaterPump {

    private final String format;
    private final Inflater inflater;
    private final int chunkBytes;
    private final @Nullable CRC32 crc;
    private byte @Nullable [] out;
    private int outLength;
    private long produced;

    InflaterPump(String format, boolean nowrap, int chunkBytes, @Nullable CRC32 crc) {
        this.format = format;
        this.inflater = new Inflater(nowrap);
        NativeContexts.opened();
        this.chunkBytes = chunkBytes;
        this.crc = crc;
    }

    /** Starts a new deflate stream (a new gzip member). */
    void reset() {
        inflater.reset();
        produced = 0;
        if (crc != null) {
            crc.reset();
        }
    }

    boolean finished() {
        return inflater.finished();
    }

    /** Bytes produced since {@link #reset()}. */
    long produced() {
        return produced;
    }

    /**
     * Inflates from {@code in} and returns a chunk when one is full, when the stream ended with output
     * pending, or when {@code in} is used up with output pending; {@code null} when {@code in} is used up
     * with nothing produced or the stream is finished with nothing pending.
     *
     * @param offset the absolute input offset of {@code in.position()}, for messages
     */
    @Nullable ByteBuffer pump(ByteBuffer in, long offset) {
        for (;;) {
            if (inflater.finished()) {
                return emit();
            }
            if (out == null) {
                out = new byte[chunkBytes];
            }
            int before = in.position();
            inflater.setInput(in);
            int n;
            try {
                n = inflater.inflate(out, outLength, chunkBytes - outLength);
            } catch (DataFormatException e) {
                throw new DecompressionException(format + ": corrupt deflate data near input offset " + offset
                        + ": " + e.getMessage(), e);
            }
            if (n > 0) {
                if (crc != null) {
                    crc.update(out, outLength, n);
                }
                outLength += n;
                produced += n;
            }
            if (outLength == chunkBytes || inflater.finished()) {
                return emit();
            }
            if (inflater.needsDictionary()) {
                throw new DecompressionException(format + ": stream needs a preset dictionary (FDICT) near input offset "
                        + offset + "; dictionaries are not supported");
            }
            if (!in.hasRemaining()) {
                return emit();
            }
            if (n == 0 && in.position() == before) {
                throw new DecompressionException(format + ": inflater made no progress at input offset " + offset);
            }
            offset += in.position() - before;
        }
    }

    private @Nullable ByteBuffer emit() {
        if (outLength == 0) {
            return null;
        }
        byte[] o = out;
        int len = outLength;
        outLength = 0;
        if (len < chunkBytes / 4) {
            // Keep the big array for the next chunk; hand out a right-sized copy.
            return ByteBuffer.wrap(Arrays.copyOf(o, len));
        }
        out = null;
        return ByteBuffer.wrap(o, 0, len);
    }

    void close() {
        inflater.end();
        NativeContexts.freed();
    }
}
