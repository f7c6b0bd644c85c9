package io.transflux.operators.compression;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

import org.jspecify.annotations.Nullable;

import io.transflux.pipeline.DecompressionException;

/**
 * A DEFLATED ZIP entry read by range: exactly the entry's compressed bytes through a raw {@link InflaterPump},
 * checked against the central directory's CRC-32 and size at the end. Bytes after the deflate stream's last
 * block, or a stream that ends early, are errors.
 */
final class ZipInflateDecoder implements ChunkDecoder {

    private final ZipCentralDirectory.Entry entry;
    private final InflaterPump pump;
    private final CRC32 crc = new CRC32();
    private long offset;
    private boolean verified;

    ZipInflateDecoder(ZipCentralDirectory.Entry entry, int chunkBytes) {
        this.entry = entry;
        this.pump = new InflaterPump("zip", true, chunkBytes, crc);
    }

    @Override
    public @Nullable ByteBuffer decode(ByteBuffer in, boolean endOfInput) {
        if (pump.finished()) {
            if (in.hasRemaining()) {
                throw error(in.remaining() + " compressed bytes after the end of the deflate stream");
            }
        } else {
            int before = in.position();
            ByteBuffer out = pump.pump(in, offset);
            offset += in.position() - before;
            if (out != null) {
                ZipEntryCheck.size(entry, pump.produced());
                return out;
            }
            if (pump.finished() && in.hasRemaining()) {
                throw error(in.remaining() + " compressed bytes after the end of the deflate stream");
            }
        }
        if (endOfInput && !verified) {
            if (!pump.finished()) {
                throw error("truncated: the compressed data ends inside the deflate stream");
            }
            verified = true;
            ZipEntryCheck.end(entry, pump.produced(), crc.getValue());
        }
        return null;
    }

    private DecompressionException error(String rule) {
        return new DecompressionException("zip: entry '" + entry.name() + "': " + rule + " at entry data offset " + offset);
    }

    @Override
    public long members() {
        return 1;
    }

    @Override
    public void close() {
        pump.close();
    }
}
