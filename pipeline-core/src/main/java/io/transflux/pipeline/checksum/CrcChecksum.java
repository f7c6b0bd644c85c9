package io.transflux.pipeline.checksum;

import java.nio.ByteBuffer;
import java.util.zip.Checksum;

/** A CRC ({@link java.util.zip.CRC32}, {@link java.util.zip.CRC32C} or {@link Crc64}) fed through a duplicate. */
final class CrcChecksum implements StreamingChecksum {

    private final ChecksumAlgorithm algorithm;
    private final Checksum crc;

    CrcChecksum(ChecksumAlgorithm algorithm, Checksum crc) {
        this.algorithm = algorithm;
        this.crc = crc;
    }

    @Override
    public void update(ByteBuffer buffer) {
        crc.update(buffer.duplicate());
    }

    @Override
    public byte[] finish() {
        long v = crc.getValue();
        byte[] out = new byte[algorithm.lengthBytes()];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }

    @Override
    public ChecksumAlgorithm algorithm() {
        return algorithm;
    }
}
