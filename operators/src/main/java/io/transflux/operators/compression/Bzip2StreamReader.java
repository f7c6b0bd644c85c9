package io.transflux.operators.compression;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.jspecify.annotations.Nullable;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

import io.transflux.pipeline.DecompressionException;

/**
 * bzip2, any number of concatenated streams (pbzip2, lbzip2), decoded by commons-compress one stream at a
 * time so streams are counted and bytes after the last one are seen: they are rejected unless
 * {@code trailing_ignore} was given. The block size is bounded by the format (900 k).
 */
final class Bzip2StreamReader implements PullReader {

    enum State { STREAM_START, STREAM, DONE, CORRUPTED }

    private final InputStreamBridge bridge;
    private final boolean trailingIgnore;
    private final InputStream shielded;
    private State state = State.STREAM_START;
    private @Nullable BZip2CompressorInputStream stream;
    private long streams;

    Bzip2StreamReader(InputStreamBridge bridge, boolean trailingIgnore) {
        this.bridge = bridge;
        this.trailingIgnore = trailingIgnore;
        this.shielded = new FilterInputStream(bridge) {
            @Override
            public void close() {
                // the bridge is closed by PullDecoding, once
            }
        };
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        for (;;) {
            switch (state) {
                case STREAM_START -> {
                    byte[] magic = new byte[3];
                    int n = 0;
                    while (n < 3) {
                        int c = bridge.read();
                        if (c < 0) {
                            break;
                        }
                        magic[n++] = (byte) c;
                    }
                    long at = bridge.consumed() - n;
                    if (n == 0) {
                        if (streams == 0) {
                            throw error("empty input: expected the stream magic BZh", at);
                        }
                        state = State.DONE;
                        return -1;
                    }
                    boolean isStream = n == 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h';
                    if (!isStream) {
                        if (streams == 0) {
                            throw error("bad magic, expected 42 5a 68 ('BZh')", at);
                        }
                        if (trailingIgnore) {
                            state = State.DONE;
                            return -1;
                        }
                        throw error("trailing garbage after stream " + streams, at);
                    }
                    bridge.unread(magic, n);
                    streams++;
                    try {
                        stream = new BZip2CompressorInputStream(shielded, false);
                    } catch (IOException e) {
                        throw error(e.getMessage(), bridge.consumed());
                    }
                    state = State.STREAM;
                }
                case STREAM -> {
                    int n;
                    try {
                        n = stream.read(b, off, len);
                    } catch (IOException e) {
                        if (bridge.upstreamError() != null) {
                            throw e;
                        }
                        throw error(e.getMessage(), bridge.consumed());
                    }
                    if (n >= 0) {
                        return n;
                    }
                    stream = null;
                    state = State.STREAM_START;
                }
                case DONE -> {
                    return -1;
                }
                case CORRUPTED -> throw new DecompressionException("bzip2: decoder already failed");
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    private DecompressionException error(@Nullable String rule, long offset) {
        state = State.CORRUPTED;
        String r = rule == null ? "corrupt stream" : rule;
        if ("No more bytes".equals(r) || r.contains("unexpected end") || r.contains("Unexpected end")) {
            r = "truncated: " + r;
        }
        return new DecompressionException("bzip2: " + r + " at input offset " + offset);
    }

    @Override
    public long members() {
        return streams;
    }
}
