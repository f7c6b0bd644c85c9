package io.transflux.operators.compression;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

import org.jspecify.annotations.Nullable;

import io.transflux.pipeline.DecompressionException;

/**
 * gzip (<a href="https://www.rfc-editor.org/rfc/rfc1952">RFC 1952</a>): any number of members, each with
 * its optional FEXTRA, FNAME, FCOMMENT and FHCRC fields, inflated by {@link java.util.zip.Inflater} and
 * checked against the trailer's CRC32 and ISIZE. Bytes after the last member that do not start another
 * member are rejected unless {@code trailing_ignore} was given.
 *
 * <pre>
 * +---+---+---+---+---+---+---+---+---+---+
 * |ID1|ID2|CM |FLG|     MTIME     |XFL|OS |   then FEXTRA (XLEN + bytes), FNAME\0, FCOMMENT\0, CRC16,
 * +---+---+---+---+---+---+---+---+---+---+   deflate data, CRC32 (4, LE), ISIZE (4, LE)
 * </pre>
 */
final class GzipDecoder implements ChunkDecoder {

    private static final int HEADER_BYTES = 10;
    private static final int TRAILER_BYTES = 8;
    private static final int FTEXT = 1;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int FRESERVED = 0xe0;

    enum State { HEADER, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, DEFLATE, TRAILER, TRAILING, CORRUPTED }

    private final InflaterPump pump;
    private final CRC32 crc = new CRC32();
    private final CRC32 headerCrc = new CRC32();
    private final boolean trailingIgnore;
    private State state = State.HEADER;
    private int flags;
    private int extraRemaining;
    private long offset;
    private long members;

    GzipDecoder(int chunkBytes, boolean trailingIgnore) {
        this.pump = new InflaterPump("gzip", true, chunkBytes, crc);
        this.trailingIgnore = trailingIgnore;
    }

    @Override
    public @Nullable ByteBuffer decode(ByteBuffer in, boolean endOfInput) {
        try {
            return step(in, endOfInput);
        } catch (RuntimeException e) {
            state = State.CORRUPTED;
            throw e;
        }
    }

    private @Nullable ByteBuffer step(ByteBuffer in, boolean eof) {
        for (;;) {
            switch (state) {
                case HEADER -> {
                    if (!readHeader(in, eof)) {
                        return null;
                    }
                }
                case EXTRA_LENGTH -> {
                    if (in.remaining() < 2) {
                        return needMore(in, eof, "FEXTRA length");
                    }
                    int p = in.position();
                    extraRemaining = (in.get(p) & 0xff) | (in.get(p + 1) & 0xff) << 8;
                    consumeHeader(in, 2);
                    state = State.EXTRA;
                }
                case EXTRA -> {
                    int n = Math.min(in.remaining(), extraRemaining);
                    consumeHeader(in, n);
                    extraRemaining -= n;
                    if (extraRemaining > 0) {
                        return needMore(in, eof, "FEXTRA field");
                    }
                    flags &= ~FEXTRA;
                    state = nextHeaderState();
                }
                case NAME, COMMENT -> {
                    int p = in.position();
                    int end = p;
                    while (end < in.limit() && in.get(end) != 0) {
                        end++;
                    }
                    boolean terminated = end < in.limit();
                    consumeHeader(in, end - p + (terminated ? 1 : 0));
                    if (!terminated) {
                        return needMore(in, eof, state == State.NAME ? "FNAME field" : "FCOMMENT field");
                    }
                    flags &= state == State.NAME ? ~FNAME : ~FCOMMENT;
                    state = nextHeaderState();
                }
                case HEADER_CRC -> {
                    if (in.remaining() < 2) {
                        return needMore(in, eof, "FHCRC field");
                    }
                    int p = in.position();
                    int expected = (in.get(p) & 0xff) | (in.get(p + 1) & 0xff) << 8;
                    int actual = (int) (headerCrc.getValue() & 0xffff);
                    if (actual != expected) {
                        throw error(String.format("header CRC16 actual 0x%04x != expected 0x%04x", actual, expected));
                    }
                    in.position(p + 2);
                    offset += 2;
                    flags &= ~FHCRC;
                    state = nextHeaderState();
                }
                case DEFLATE -> {
                    int before = in.position();
                    ByteBuffer out = pump.pump(in, offset);
                    offset += in.position() - before;
                    if (pump.finished()) {
                        state = State.TRAILER;
                    } else if (out == null && eof) {
                        throw error("truncated: input ends inside the deflate data of member " + members);
                    }
                    if (out != null) {
                        return out;
                    }
                    if (state == State.DEFLATE) {
                        return null;
                    }
                }
                case TRAILER -> {
                    if (in.remaining() < TRAILER_BYTES) {
                        return needMore(in, eof, "member trailer");
                    }
                    int p = in.position();
                    long expectedCrc = le32(in, p);
                    long expectedSize = le32(in, p + 4);
                    if (crc.getValue() != expectedCrc) {
                        throw error(String.format("trailer CRC32 actual 0x%08x != expected 0x%08x", crc.getValue(),
                                expectedCrc));
                    }
                    long size = pump.produced() & 0xffffffffL;
                    if (size != expectedSize) {
                        throw error("trailer ISIZE actual " + size + " != expected " + expectedSize);
                    }
                    in.position(p + TRAILER_BYTES);
                    offset += TRAILER_BYTES;
                    state = State.HEADER;
                }
                case TRAILING -> {
                    offset += in.remaining();
                    in.position(in.limit());
                    return null;
                }
                case CORRUPTED -> throw error("decoder already failed");
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** Reads a member header; false when more input is needed or the input ended after a member. */
    private boolean readHeader(ByteBuffer in, boolean eof) {
        int p = in.position();
        int r = in.remaining();
        boolean magicOk = (r < 1 || (in.get(p) & 0xff) == 0x1f) && (r < 2 || (in.get(p + 1) & 0xff) == 0x8b);
        if (!magicOk || (r == 0 && eof)) {
            if (members == 0) {
                if (r == 0) {
                    throw error("empty input: expected a 10-byte member header");
                }
                throw error(String.format("bad magic 0x%02x%s, expected 1f 8b", in.get(p) & 0xff,
                        r > 1 ? String.format(" %02x", in.get(p + 1) & 0xff) : ""));
            }
            if (r == 0) {
                return false;
            }
            if (trailingIgnore) {
                state = State.TRAILING;
                return true;
            }
            throw error("trailing garbage after member " + members + ": expected member magic 1f 8b or end of input");
        }
        if (r < HEADER_BYTES) {
            if (eof) {
                if (members > 0 && trailingIgnore) {
                    state = State.TRAILING;
                    return true;
                }
                throw error("truncated: member header needs 10 bytes, input has " + r);
            }
            return false;
        }
        int cm = in.get(p + 2) & 0xff;
        if (cm != 8) {
            throw error("compression method CM actual " + cm + ", expected 8 (deflate)");
        }
        flags = in.get(p + 3) & 0xff;
        if ((flags & FRESERVED) != 0) {
            throw error(String.format("reserved FLG bits set: 0x%02x", flags));
        }
        flags &= ~FTEXT;
        headerCrc.reset();
        consumeHeader(in, HEADER_BYTES);
        members++;
        state = nextHeaderState();
        return true;
    }

    private State nextHeaderState() {
        if ((flags & FEXTRA) != 0) {
            return State.EXTRA_LENGTH;
        }
        if ((flags & FNAME) != 0) {
            return State.NAME;
        }
        if ((flags & FCOMMENT) != 0) {
            return State.COMMENT;
        }
        if ((flags & FHCRC) != 0) {
            return State.HEADER_CRC;
        }
        pump.reset();
        return State.DEFLATE;
    }

    private void consumeHeader(ByteBuffer in, int n) {
        ByteBuffer d = in.duplicate();
        d.limit(d.position() + n);
        headerCrc.update(d);
        in.position(in.position() + n);
        offset += n;
    }

    private @Nullable ByteBuffer needMore(ByteBuffer in, boolean eof, String what) {
        if (eof) {
            throw error("truncated: input ends inside the " + what + " of member " + members);
        }
        return null;
    }

    private static long le32(ByteBuffer in, int p) {
        return (in.get(p) & 0xffL) | (in.get(p + 1) & 0xffL) << 8 | (in.get(p + 2) & 0xffL) << 16
                | (in.get(p + 3) & 0xffL) << 24;
    }

    private DecompressionException error(String rule) {
        state = State.CORRUPTED;
        return new DecompressionException("gzip: " + rule + " at input offset " + offset);
    }

    @Override
    public long members() {
        return members;
    }

    @Override
    public void close() {
        pump.close();
    }
}
