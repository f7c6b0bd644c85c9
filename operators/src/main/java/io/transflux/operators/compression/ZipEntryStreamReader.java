package io.transflux.operators.compression;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;

import org.jspecify.annotations.Nullable;

import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.deflate64.Deflate64CompressorInputStream;

/**
 * A Deflate64 or BZIP2 ZIP entry read by range: exactly the entry's compressed bytes through commons-compress's
 * stream on the bridge, checked against the central directory's CRC-32 and size at the end.
 */
final class ZipEntryStreamReader implements PullReader {

    private final InputStreamBridge bridge;
    private final ZipCentralDirectory.Entry entry;
    private final CRC32 crc = new CRC32();
    private @Nullable InputStream stream;
    private long produced;
    private boolean done;

    ZipEntryStreamReader(InputStreamBridge bridge, ZipCentralDirectory.Entry entry) {
        this.bridge = bridge;
        this.entry = entry;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (done) {
            return -1;
        }
        InputStream s = stream;
        if (s == null) {
            FilterInputStream shielded = new FilterInputStream(bridge) {
                @Override
                public void close() {
                    // the bridge is closed by PullDecoding, once
                }
            };
            s = entry.method() == ZipMethod.BZIP2.getCode() ? new BZip2CompressorInputStream(shielded, false)
                    : new Deflate64CompressorInputStream(shielded);
            stream = s;
        }
        int n = s.read(b, off, len);
        if (n > 0) {
            crc.update(b, off, n);
            produced += n;
            ZipEntryCheck.size(entry, produced);
            return n;
        }
        if (n < 0) {
            done = true;
            if (bridge.read() >= 0) {
                throw new IOException("compressed bytes after the end of entry '" + entry.name() + "'");
            }
            ZipEntryCheck.end(entry, produced, crc.getValue());
        }
        return n;
    }

    @Override
    public long members() {
        return 1;
    }
}
