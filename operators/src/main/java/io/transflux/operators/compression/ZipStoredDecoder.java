package io.transflux.operators.compression;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

import org.jspecify.annotations.Nullable;

/**
 * A STORED ZIP entry read by range: the bytes pass through in chunks of at most the chunk size, checked
 * against the central directory's CRC-32 and size at the end.
 */
final class ZipStoredDecoder implements ChunkDecoder {

    private final ZipCentralDirectory.Entry entry;
    private final int chunkBytes;
    private final CRC32 crc = new CRC32();
    private long produced;
    private boolean verified;

    ZipStoredDecoder(ZipCentralDirectory.Entry entry, int chunkBytes) {
        this.entry = entry;
        this.chunkBytes = chunkBytes;
    }

    @Override
    public @Nullable ByteBuffer decode(ByteBuffer in, boolean endOfInput) {
        if (in.hasRemaining()) {
            int n = Math.min(chunkBytes, in.remaining());
            ByteBuffer out = in.slice(in.position(), n);
            in.position(in.position() + n);
            crc.update(out.duplicate());
            produced += n;
            ZipEntryCheck.size(entry, produced);
            return out;
        }
        if (endOfInput && !verified) {
            verified = true;
            ZipEntryCheck.end(entry, produced, crc.getValue());
        }
        return null;
    }

    @Override
    public long members() {
        return 1;
    }
}
