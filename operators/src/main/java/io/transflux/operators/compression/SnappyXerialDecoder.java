package io.transflux.operators.compression;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import org.xerial.snappy.Snappy;

import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.LimitExceededException;

/**
 * snappy-java's {@code SnappyOutputStream} format (also written by Hadoop-era tools), or, for
 * {@code format_raw}, a single raw snappy block. Neither carries a checksum. Declared lengths are checked
 * against {@link #MAX_BLOCK_BYTES} before anything is allocated.
 *
 * <pre>
 * xerial: 82 'S' 'N' 'A' 'P' 'P' 'Y' 00 | version (4, BE) | compatible version (4, BE)
 *         then blocks: compressed length (4, BE) | raw snappy block; a new header may start another stream
 * raw:    varint uncompressed length | snappy elements (the whole input)
 * </pre>
 */
final class SnappyXerialDecoder implements ChunkDecoder {

    static final byte[] MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    private static final int HEADER_BYTES = 16;
    /** Largest block accepted: snappy-java writes 32 KiB blocks by default. */
    static final int MAX_BLOCK_BYTES = 4 * 1024 * 1024;

    enum State { HEADER, BLOCK, RAW, DONE, CORRUPTED }

    private final int chunkBytes;
    private final boolean raw;
    private final String format;
    private State state;
    private byte @Nullable [] pendingOut;
    private int pendingPos;
    private int pendingLimit;
    private long offset;
    private long streams;

    SnappyXerialDecoder(int chunkBytes, boolean raw) {
        SnappyAvailability.ensureAvailable();
        this.chunkBytes = chunkBytes;
        this.raw = raw;
        this.format = raw ? "snappy raw" : "snappy xerial";
        this.state = raw ? State.RAW : State.HEADER;
    }

    @Override
    public @Nullable ByteBuffer decode(ByteBuffer in, boolean eof) {
        for (;;) {
            if (pendingOut != null) {
                byte[] data = pendingOut;
                int n = Math.min(chunkBytes, pendingLimit - pendingPos);
                ByteBuffer b = ByteBuffer.wrap(data, pendingPos, n).slice();
                pendingPos += n;
                if (pendingPos == pendingLimit) {
                    pendingOut = null;
                }
                return b;
            }
            int r = in.remaining();
            int p = in.position();
            switch (state) {
                case HEADER -> {
                    if (r < HEADER_BYTES) {
                        if (!eof) {
                            return null;
                        }
                        throw error(r == 0 ? "empty input: expected the 16-byte header" : "truncated header");
                    }
                    for (int i = 0; i < MAGIC.length; i++) {
                        if (in.get(p + i) != MAGIC[i]) {
                            throw error("bad magic, expected 82 53 4e 41 50 50 59 00");
                        }
                    }
                    consume(in, HEADER_BYTES);
                    streams++;
                    state = State.BLOCK;
                }
                case BLOCK -> {
                    if (r < 4) {
                        if (!eof) {
                            return null;
                        }
                        if (r == 0) {
                            return null;
                        }
                        throw error("truncated block length");
                    }
                    if (r >= MAGIC.length && in.get(p) == MAGIC[0] && in.get(p + 1) == MAGIC[1]) {
                        state = State.HEADER;
                        continue;
                    }
                    int length = (in.get(p) & 0xff) << 24 | (in.get(p + 1) & 0xff) << 16 | (in.get(p + 2) & 0xff) << 8
                            | (in.get(p + 3) & 0xff);
                    if (length < 1 || length > Snappy.maxCompressedLength(MAX_BLOCK_BYTES)) {
                        throw error("block length actual " + (length & 0xffffffffL) + ", expected 1.."
                                + Snappy.maxCompressedLength(MAX_BLOCK_BYTES));
                    }
                    if (r < 4 + length) {
                        if (eof) {
                            throw error("truncated: input ends inside a block");
                        }
                        return null;
                    }
                    decodeBlock(in, p + 4, length);
                    consume(in, 4 + length);
                }
                case RAW -> {
                    if (!eof) {
                        if (r > Snappy.maxCompressedLength(MAX_BLOCK_BYTES)) {
                            throw new LimitExceededException("snappyRawBlockBytes", Snappy.maxCompressedLength(MAX_BLOCK_BYTES),
                                    r, "bytes", "snappy raw: a raw block is decoded whole; use the framing format for large objects");
                        }
                        return null;
                    }
                    if (r == 0) {
                        throw error("empty input: expected a varint length preamble");
                    }
                    decodeBlock(in, p, r);
                    consume(in, r);
                    streams++;
                    state = State.DONE;
                }
                case DONE -> {
                    return null;
                }
                case CORRUPTED -> throw error("decoder already failed");
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    private void decodeBlock(ByteBuffer in, int at, int length) {
        int uncompressed = 0;
        int i = 0;
        for (; i < 5 && i < length; i++) {
            int b = in.get(at + i) & 0xff;
            uncompressed |= (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (i == 5 || i == length || uncompressed < 0) {
            throw error("malformed length preamble");
        }
        if (uncompressed > MAX_BLOCK_BYTES) {
            throw new LimitExceededException("snappyBlockBytes", MAX_BLOCK_BYTES, uncompressed, "bytes",
                    format + ": block declares more than the largest block accepted");
        }
        byte[] outBytes = new byte[uncompressed];
        byte[] src;
        int srcOff;
        if (in.hasArray()) {
            src = in.array();
            srcOff = in.arrayOffset() + at;
        } else {
            src = new byte[length];
            in.get(at, src, 0, length);
            srcOff = 0;
        }
        int n;
        try {
            n = Snappy.uncompress(src, srcOff, length, outBytes, 0);
        } catch (IOException | RuntimeException e) {
            throw error("corrupt block: " + e.getMessage());
        }
        if (n != uncompressed) {
            throw error("block produced " + n + " bytes, its preamble declared " + uncompressed);
        }
        if (n > 0) {
            pendingOut = outBytes;
            pendingPos = 0;
            pendingLimit = n;
        }
    }

    private void consume(ByteBuffer in, int n) {
        in.position(in.position() + n);
        offset += n;
    }

    private DecompressionException error(String rule) {
        state = State.CORRUPTED;
        pendingOut = null;
        return new DecompressionException(format + ": " + rule + " at input offset " + offset);
    }

    @Override
    public long members() {
        return streams;
    }

    @Override
    public int maxPendingBytes() {
        return raw ? Snappy.maxCompressedLength(MAX_BLOCK_BYTES) : 4 + Snappy.maxCompressedLength(MAX_BLOCK_BYTES);
    }
}
