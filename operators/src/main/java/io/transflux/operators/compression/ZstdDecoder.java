package io.transflux.operators.compression;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import com.github.luben.zstd.ZstdDecompressCtx;

import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.LimitExceededException;

/**
 * zstd (<a href="https://www.rfc-editor.org/rfc/rfc8878">RFC 8878</a>) through zstd-jni's direct-buffer
 * streaming context: any number of frames and skippable frames. Before a frame reaches the native context
 * its header's window size is checked against the window-log cap, so an oversized window fails before any
 * native memory is reserved; {@code setLongMax} repeats the cap natively. Content checksums are verified by
 * libzstd whenever a frame carries one.
 *
 * <pre>
 * Frame: Magic 28 b5 2f fd | Frame_Header_Descriptor | [Window_Descriptor] | [Dictionary_ID] | [FCS] | blocks | [XXH64]
 *   FHD bits: 7-6 FCS_Field_Size flag, 5 Single_Segment, 3 reserved (0), 2 checksum, 1-0 Dictionary_ID flag
 *   Window_Descriptor: Exponent (5 bits) | Mantissa (3 bits); windowLog = 10 + Exponent
 * Skippable frame: Magic 5? 2a 4d 18 | Frame_Size (4, LE) | user data
 * </pre>
 */
final class ZstdDecoder implements ChunkDecoder {

    static final int FRAME_MAGIC = 0xFD2FB528;
    static final int SKIPPABLE_MAGIC = 0x184D2A50;
    /** Compressed bytes staged in direct memory for the native context. */
    static final int STAGING_BYTES = 128 * 1024;
    private static final int[] DICT_ID_BYTES = {0, 1, 2, 4};

    enum State { FRAME_HEADER, FRAME_DATA, SKIP, TRAILING, CORRUPTED }

    private final ZstdDecompressCtx ctx;
    private final int windowLogMax;
    private final boolean trailingIgnore;
    private final int chunkBytes;
    private final ByteBuffer staging;
    private final ByteBuffer out;
    private State state = State.FRAME_HEADER;
    private long skipRemaining;
    private long offset;
    private long frames;
    private boolean sawInput;

    ZstdDecoder(int chunkBytes, int windowLogMax, boolean trailingIgnore) {
        ZstdAvailability.ensureAvailable();
        this.chunkBytes = chunkBytes;
        this.windowLogMax = windowLogMax;
        this.trailingIgnore = trailingIgnore;
        this.staging = ByteBuffer.allocateDirect(STAGING_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        staging.limit(0);
        this.out = ByteBuffer.allocateDirect(chunkBytes);
        this.ctx = new ZstdDecompressCtx();
        NativeContexts.opened();
        ctx.setLongMax(windowLogMax);
    }

    @Override
    public @Nullable ByteBuffer decode(ByteBuffer in, boolean eof) {
        try {
            return step(in, eof);
        } catch (DecompressionException | LimitExceededException e) {
            state = State.CORRUPTED;
            throw e;
        } catch (RuntimeException e) {
            throw error("libzstd: " + e.getMessage());
        }
    }

    private @Nullable ByteBuffer step(ByteBuffer in, boolean eof) {
        fill(in);
        for (;;) {
            switch (state) {
                case FRAME_HEADER -> {
                    if (!readFrameHeader(in, eof)) {
                        return null;
                    }
                }
                case FRAME_DATA -> {
                    int before = staging.position();
                    int outBefore = out.position();
                    boolean done = ctx.decompressDirectByteBufferStream(out, staging);
                    offset += staging.position() - before;
                    if (done) {
                        state = State.FRAME_HEADER;
                    }
                    if (out.position() == chunkBytes || (done && out.position() > 0)) {
                        return emit();
                    }
                    if (done) {
                        continue;
                    }
                    if (!staging.hasRemaining()) {
                        fill(in);
                        if (!staging.hasRemaining()) {
                            if (eof) {
                                throw error("truncated: input ends inside frame " + frames);
                            }
                            return out.position() > 0 ? emit() : null;
                        }
                    } else if (staging.position() == before && out.position() == outBefore) {
                        throw error("libzstd made no progress");
                    }
                }
                case SKIP -> {
                    int n = (int) Math.min(staging.remaining(), skipRemaining);
                    staging.position(staging.position() + n);
                    skipRemaining -= n;
                    offset += n;
                    if (skipRemaining == 0) {
                        state = State.FRAME_HEADER;
                        continue;
                    }
                    fill(in);
                    if (!staging.hasRemaining()) {
                        if (eof) {
                            throw error("truncated: input ends inside skippable frame " + frames);
                        }
                        return null;
                    }
                }
                case TRAILING -> {
                    offset += staging.remaining() + in.remaining();
                    staging.position(staging.limit());
                    in.position(in.limit());
                    return null;
                }
                case CORRUPTED -> throw error("decoder already failed");
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** Checks the next frame header; false when more input is needed or the input ended cleanly. */
    private boolean readFrameHeader(ByteBuffer in, boolean eof) {
        int r = staging.remaining();
        int p = staging.position();
        if (r < 4) {
            if (!eof) {
                return false;
            }
            if (r == 0) {
                if (frames == 0) {
                    throw error("empty input: expected a frame magic 28 b5 2f fd");
                }
                return false;
            }
            return trailing(r + " bytes after frame " + frames + ", too few for a frame magic");
        }
        int magic = staging.getInt(p);
        if ((magic & 0xFFFFFFF0) == SKIPPABLE_MAGIC) {
            if (r < 8) {
                if (eof) {
                    throw error("truncated: skippable frame header needs 8 bytes");
                }
                return false;
            }
            skipRemaining = staging.getInt(p + 4) & 0xffffffffL;
            staging.position(p + 8);
            offset += 8;
            frames++;
            state = State.SKIP;
            return true;
        }
        if (magic != FRAME_MAGIC) {
            if (frames == 0) {
                throw error(String.format("bad magic %02x %02x %02x %02x, expected 28 b5 2f fd", magic & 0xff,
                        magic >> 8 & 0xff, magic >> 16 & 0xff, magic >>> 24));
            }
            return trailing("bytes after frame " + frames + " are not a frame");
        }
        if (r < 5) {
            if (eof) {
                throw error("truncated: frame header");
            }
            return false;
        }
        int fhd = staging.get(p + 4) & 0xff;
        boolean singleSegment = (fhd & 0x20) != 0;
        int fcsFlag = fhd >>> 6;
        int fcsBytes = fcsFlag == 0 ? (singleSegment ? 1 : 0) : 1 << fcsFlag;
        int didBytes = DICT_ID_BYTES[fhd & 3];
        int headerBytes = 5 + (singleSegment ? 0 : 1) + didBytes + fcsBytes;
        if (r < headerBytes) {
            if (eof) {
                throw error("truncated: frame header needs " + headerBytes + " bytes");
            }
            return false;
        }
        if ((fhd & 0x08) != 0) {
            throw error(String.format("frame header descriptor 0x%02x sets the reserved bit", fhd));
        }
        long windowSize;
        if (!singleSegment) {
            int wd = staging.get(p + 5) & 0xff;
            int windowLog = 10 + (wd >>> 3);
            long base = 1L << windowLog;
            windowSize = base + (base >>> 3) * (wd & 7);
        } else {
            int at = p + 5 + didBytes;
            windowSize = switch (fcsBytes) {
                case 1 -> staging.get(at) & 0xffL;
                case 2 -> (staging.getShort(at) & 0xffffL) + 256;
                case 4 -> staging.getInt(at) & 0xffffffffL;
                default -> staging.getLong(at);
            };
        }
        if (windowSize < 0 || windowSize > 1L << windowLogMax) {
            int needed = windowSize < 0 ? 64 : 64 - Long.numberOfLeadingZeros(windowSize - 1);
            throw new LimitExceededException("zstdWindowLog", windowLogMax, needed, "log2 bytes",
                    "zstd: frame " + (frames + 1) + " at input offset " + offset + " needs a " + windowSize
                            + "-byte window; raise the window cap with decompress/zstd,wlog_<n> (at most "
                            + DecodeSpec.MAX_WINDOW_LOG + ")");
        }
        frames++;
        sawInput = true;
        state = State.FRAME_DATA;
        return true;
    }

    private boolean trailing(String what) {
        if (trailingIgnore) {
            state = State.TRAILING;
            return true;
        }
        throw error("trailing garbage: " + what);
    }

    /** Moves as much of {@code in} into the staging buffer as fits. */
    private void fill(ByteBuffer in) {
        if (!in.hasRemaining() || state == State.TRAILING) {
            return;
        }
        staging.compact();
        int n = Math.min(staging.remaining(), in.remaining());
        ByteBuffer src = in.duplicate();
        src.limit(src.position() + n);
        staging.put(src);
        in.position(in.position() + n);
        staging.flip();
    }

    private ByteBuffer emit() {
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        out.clear();
        return ByteBuffer.wrap(bytes);
    }

    private DecompressionException error(String rule) {
        state = State.CORRUPTED;
        return new DecompressionException("zstd: " + rule + " at input offset " + offset);
    }

    @Override
    public long members() {
        return frames;
    }

    @Override
    public int maxPendingBytes() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void close() {
        ctx.close();
        NativeContexts.freed();
    }

    @Override
    public String toString() {
        return "ZstdDecoder" + Arrays.asList(state, frames, sawInput);
    }
}
