package io.transflux.operators.compression;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import io.transflux.pipeline.DecompressionException;

/**
 * zlib (<a href="https://www.rfc-editor.org/rfc/rfc1950">RFC 1950</a>: 2-byte header, deflate, Adler-32)
 * or, with {@code raw_1}, bare deflate (<a href="https://www.rfc-editor.org/rfc/rfc1951">RFC 1951</a>).
 * One stream per object; bytes after it are rejected unless {@code trailing_ignore} was given.
 */
final class ZlibDecoder implements ChunkDecoder {

    enum State { HEADER, DEFLATE, DONE, CORRUPTED }

    private final InflaterPump pump;
    private final boolean raw;
    private final boolean trailingIgnore;
    private final String format;
    private State state;
    private long offset;
    private boolean started;

    ZlibDecoder(int chunkBytes, boolean raw, boolean trailingIgnore) {
        this.format = raw ? "deflate" : "zlib";
        this.pump = new InflaterPump(format, raw, chunkBytes, null);
        this.raw = raw;
        this.trailingIgnore = trailingIgnore;
        this.state = raw ? State.DEFLATE : State.HEADER;
    }

    @Override
    public @Nullable ByteBuffer decode(ByteBuffer in, boolean eof) {
        for (;;) {
            switch (state) {
                case HEADER -> {
                    if (in.remaining() < 2) {
                        if (!eof) {
                            return null;
                        }
                        throw error(in.hasRemaining() ? "truncated: the header needs 2 bytes"
                                : "empty input: expected a 2-byte zlib header");
                    }
                    int cmf = in.get(in.position()) & 0xff;
                    int flg = in.get(in.position() + 1) & 0xff;
                    if ((cmf & 0x0f) != 8 || (cmf >> 4) > 7) {
                        throw error(String.format("header CMF actual 0x%02x, expected CM 8 and CINFO <= 7", cmf));
                    }
                    if ((cmf << 8 | flg) % 31 != 0) {
                        throw error(String.format("header check FCHECK fails for %02x %02x", cmf, flg));
                    }
                    if ((flg & 0x20) != 0) {
                        throw error("header sets FDICT; preset dictionaries are not supported");
                    }
                    state = State.DEFLATE;
                }
                case DEFLATE -> {
                    if (!in.hasRemaining() && eof && !started) {
                        throw error("empty input: expected a deflate block");
                    }
                    started |= in.hasRemaining();
                    int before = in.position();
                    ByteBuffer out;
                    try {
                        out = pump.pump(in, offset);
                    } catch (RuntimeException e) {
                        state = State.CORRUPTED;
                        throw e;
                    }
                    offset += in.position() - before;
                    if (pump.finished()) {
                        state = State.DONE;
                    } else if (out == null && eof) {
                        throw error("truncated: input ends inside the deflate data");
                    }
                    if (out != null) {
                        return out;
                    }
                    if (state == State.DEFLATE) {
                        return null;
                    }
                }
                case DONE -> {
                    if (in.hasRemaining()) {
                        if (!trailingIgnore) {
                            throw error("trailing garbage: " + in.remaining() + " bytes after the end of the stream");
                        }
                        offset += in.remaining();
                        in.position(in.limit());
                    }
                    return null;
                }
                case CORRUPTED -> throw error("decoder already failed");
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    private DecompressionException error(String rule) {
        state = State.CORRUPTED;
        return new DecompressionException(format + ": " + rule + " at input offset " + offset);
    }

    @Override
    public long members() {
        return raw || state != State.HEADER ? 1 : 0;
    }

    @Override
    public void close() {
        pump.close();
    }
}
