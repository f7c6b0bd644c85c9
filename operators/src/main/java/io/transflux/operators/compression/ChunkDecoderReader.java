package io.transflux.operators.compression;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link ChunkDecoder} that may wait (the block-parallel bzip2 decoder waits for its block workers)
 * as a {@link PullReader}, so {@link PullDecoding} keeps it on the worker scheduler and input reaches it
 * through the non-blocking {@link InputStreamBridge}.
 */
final class ChunkDecoderReader implements PullReader {

    static final int INPUT_BYTES = 64 << 10;

    private final InputStreamBridge bridge;
    private final ChunkDecoder decoder;
    private final byte[] input = new byte[INPUT_BYTES];
    private ByteBuffer in = ByteBuffer.allocate(0);
    private boolean eof;
    private boolean finished;
    private @Nullable ByteBuffer out;

    ChunkDecoderReader(InputStreamBridge bridge, ChunkDecoder decoder) {
        this.bridge = bridge;
        this.decoder = decoder;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        for (;;) {
            ByteBuffer o = out;
            if (o != null && o.hasRemaining()) {
                int n = Math.min(len, o.remaining());
                o.get(b, off, n);
                return n;
            }
            out = null;
            if (finished) {
                return -1;
            }
            ByteBuffer next = decoder.decode(in, eof);
            if (next != null) {
                out = next;
                continue;
            }
            if (eof) {
                finished = true;
                return -1;
            }
            int n = bridge.read(input, 0, input.length);
            if (n < 0) {
                eof = true;
                in = ByteBuffer.allocate(0);
            } else {
                in = ByteBuffer.wrap(input, 0, n);
            }
        }
    }

    @Override
    public long members() {
        return decoder.members();
    }

    @Override
    public void close() {
        decoder.close();
    }
}
