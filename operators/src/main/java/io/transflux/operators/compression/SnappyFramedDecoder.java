package io.transflux.operators.compression;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import org.jspecify.annotations.Nullable;

import org.xerial.snappy.Snappy;

import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.UnsupportedFormatException;

/**
 * The snappy framing format (<a href="https://github.com/google/snappy/blob/main/framing_format.txt">
 * framing_format.txt</a>), parsed here so every chunk header and declared length is checked before anything
 * is allocated; each block is then decoded by snappy-java. The masked CRC32C of every data chunk is always
 * verified (Netty leaves it off by default; we do not).
 *
 * <pre>
 * chunk: type (1) | length (3, LE) | payload
 *   0xff stream identifier "sNaPpY"; 0x00 compressed: CRC32C (4, LE, masked) | snappy block;
 *   0x01 uncompressed: CRC32C | data; 0x02-0x7f reserved unskippable; 0x80-0xfd skippable; 0xfe padding
 * </pre>
 */
final class SnappyFramedDecoder implements ChunkDecoder {

    static final byte[] STREAM_IDENTIFIER = {(byte) 0xff, 6, 0, 0, 's', 'N', 'a', 'P', 'p', 'Y'};
    /** framing_format.txt §4.2/§4.3: a data chunk holds at most 65 536 uncompressed bytes. */
    static final int MAX_UNCOMPRESSED_CHUNK = 65_536;
    /** snappy's MaxCompressedLength(65 536) = 32 + n + n / 6, plus the 4-byte CRC. */
    static final int MAX_COMPRESSED_CHUNK = 4 + 32 + MAX_UNCOMPRESSED_CHUNK + MAX_UNCOMPRESSED_CHUNK / 6;

    enum State { CHUNK_HEADER, SKIP, CORRUPTED }

    private final int chunkBytes;
    private final CRC32C crc = new CRC32C();
    private State state = State.CHUNK_HEADER;
    private byte @Nullable [] pendingOut;
    private int pendingPos;
    private int pendingLimit;
    private byte @Nullable [] scratch;
    private long skipRemaining;
    private long offset;
    private long streams;

    SnappyFramedDecoder(int chunkBytes) {
        SnappyAvailability.ensureAvailable();
        this.chunkBytes = chunkBytes;
    }

    @Override
    public @Nullable ByteBuffer decode(ByteBuffer in, boolean eof) {
        for (;;) {
            if (pendingOut != null) {
                return nextSlice();
            }
            switch (state) {
                case CHUNK_HEADER -> {
                    if (!readChunk(in, eof)) {
                        return null;
                    }
                }
                case SKIP -> {
                    int n = (int) Math.min(in.remaining(), skipRemaining);
                    in.position(in.position() + n);
                    skipRemaining -= n;
                    offset += n;
                    if (skipRemaining > 0) {
                        if (eof) {
                            throw error("truncated: input ends inside a skippable chunk");
                        }
                        return null;
                    }
                    state = State.CHUNK_HEADER;
                }
                case CORRUPTED -> throw error("decoder already failed");
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** Handles one chunk; false when more input is needed or the input ended cleanly. */
    private boolean readChunk(ByteBuffer in, boolean eof) {
        int r = in.remaining();
        int p = in.position();
        if (r < 4) {
            if (!eof) {
                return false;
            }
            if (r == 0 && streams > 0) {
                return false;
            }
            throw error(r == 0 ? "empty input: expected the stream identifier ff 06 00 00 73 4e 61 50 70 59"
                    : "truncated: chunk header needs 4 bytes, input has " + r);
        }
        int type = in.get(p) & 0xff;
        int length = (in.get(p + 1) & 0xff) | (in.get(p + 2) & 0xff) << 8 | (in.get(p + 3) & 0xff) << 16;
        if (streams == 0 && type != 0xff) {
            if (offset == 0 && startsWith(in, SnappyXerialDecoder.MAGIC)) {
                state = State.CORRUPTED;
                throw new UnsupportedFormatException("snappy: found the xerial SnappyOutputStream magic "
                        + "82 53 4e 41 50 50 59 00 where the framing format's stream identifier was expected; "
                        + "use decompress/snappy,format_xerial");
            }
            throw error(String.format("chunk type 0x%02x before the stream identifier", type));
        }
        switch (type) {
            case 0xff -> {
                if (length != 6) {
                    throw error("stream identifier length actual " + length + ", expected 6");
                }
                if (r < 10) {
                    return needMore(eof, "stream identifier");
                }
                if (!startsWith(in, STREAM_IDENTIFIER)) {
                    throw error("stream identifier actual '" + new String(bytes(in, p + 4, 6), StandardCharsets.ISO_8859_1)
                            + "', expected 'sNaPpY'");
                }
                consume(in, 10);
                streams++;
            }
            case 0x00 -> {
                if (length < 5 || length > MAX_COMPRESSED_CHUNK) {
                    throw error("compressed chunk length actual " + length + ", expected 5.." + MAX_COMPRESSED_CHUNK);
                }
                if (r < 4 + length) {
                    return needMore(eof, "compressed chunk");
                }
                int expectedCrc = le32(in, p + 4);
                int blockStart = p + 8;
                int blockLength = length - 4;
                int uncompressed = varint(in, blockStart, blockLength);
                if (uncompressed > MAX_UNCOMPRESSED_CHUNK) {
                    throw error("compressed chunk declares " + uncompressed + " uncompressed bytes, at most "
                            + MAX_UNCOMPRESSED_CHUNK + " allowed");
                }
                byte[] outBytes = new byte[uncompressed];
                int n = uncompress(in, blockStart, blockLength, outBytes);
                if (n != uncompressed) {
                    throw error("compressed chunk produced " + n + " bytes, its preamble declared " + uncompressed);
                }
                checkCrc(expectedCrc, outBytes, n);
                consume(in, 4 + length);
                offer(outBytes, n);
            }
            case 0x01 -> {
                if (length < 4 || length > 4 + MAX_UNCOMPRESSED_CHUNK) {
                    throw error("uncompressed chunk length actual " + length + ", expected 4.."
                            + (4 + MAX_UNCOMPRESSED_CHUNK));
                }
                if (r < 4 + length) {
                    return needMore(eof, "uncompressed chunk");
                }
                int expectedCrc = le32(in, p + 4);
                byte[] data = bytes(in, p + 8, length - 4);
                checkCrc(expectedCrc, data, data.length);
                consume(in, 4 + length);
                offer(data, data.length);
            }
            default -> {
                if (type < 0x80) {
                    throw error(String.format("reserved unskippable chunk type 0x%02x", type));
                }
                consume(in, 4);
                skipRemaining = length;
                state = State.SKIP;
            }
        }
        return true;
    }

    private int uncompress(ByteBuffer in, int at, int length, byte[] outBytes) {
        try {
            if (in.hasArray()) {
                return Snappy.uncompress(in.array(), in.arrayOffset() + at, length, outBytes, 0);
            }
            if (scratch == null || scratch.length < length) {
                scratch = new byte[MAX_COMPRESSED_CHUNK];
            }
            in.get(at, scratch, 0, length);
            return Snappy.uncompress(scratch, 0, length, outBytes, 0);
        } catch (IOException | RuntimeException e) {
            throw error("corrupt compressed chunk: " + e.getMessage());
        }
    }

    private void checkCrc(int expectedMasked, byte[] data, int length) {
        crc.reset();
        crc.update(data, 0, length);
        int c = (int) crc.getValue();
        int masked = ((c >>> 15) | (c << 17)) + 0xa282ead8;
        if (masked != expectedMasked) {
            throw error(String.format("masked CRC32C actual 0x%08x != expected 0x%08x", masked, expectedMasked));
        }
    }

    private void offer(byte[] data, int length) {
        if (length == 0) {
            return;
        }
        pendingOut = data;
        pendingPos = 0;
        pendingLimit = length;
    }

    private ByteBuffer nextSlice() {
        byte[] data = pendingOut;
        int n = Math.min(chunkBytes, pendingLimit - pendingPos);
        ByteBuffer b = ByteBuffer.wrap(data, pendingPos, n).slice();
        pendingPos += n;
        if (pendingPos == pendingLimit) {
            pendingOut = null;
        }
        return b;
    }

    private int varint(ByteBuffer in, int at, int length) {
        int result = 0;
        for (int i = 0; i < 5 && i < length; i++) {
            int b = in.get(at + i) & 0xff;
            result |= (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (result < 0) {
                    break;
                }
                return result;
            }
        }
        throw error("compressed chunk has a malformed length preamble");
    }

    private boolean needMore(boolean eof, String what) {
        if (eof) {
            throw error("truncated: input ends inside a " + what);
        }
        return false;
    }

    private void consume(ByteBuffer in, int n) {
        in.position(in.position() + n);
        offset += n;
    }

    private static boolean startsWith(ByteBuffer in, byte[] magic) {
        if (in.remaining() < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (in.get(in.position() + i) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static int le32(ByteBuffer in, int p) {
        return (in.get(p) & 0xff) | (in.get(p + 1) & 0xff) << 8 | (in.get(p + 2) & 0xff) << 16 | (in.get(p + 3) & 0xff) << 24;
    }

    private static byte[] bytes(ByteBuffer in, int at, int n) {
        byte[] b = new byte[n];
        in.get(at, b, 0, n);
        return b;
    }

    private DecompressionException error(String rule) {
        state = State.CORRUPTED;
        pendingOut = null;
        return new DecompressionException("snappy: " + rule + " at input offset " + offset);
    }

    @Override
    public long members() {
        return streams;
    }

    @Override
    public int maxPendingBytes() {
        return 4 + MAX_COMPRESSED_CHUNK;
    }
}
