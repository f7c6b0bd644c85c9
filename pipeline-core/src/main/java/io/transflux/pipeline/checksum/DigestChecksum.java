package io.transflux.pipeline.checksum;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/** A JDK {@link MessageDigest} (MD5, SHA-1, SHA-256, SHA-512) fed through a duplicate. */
final class DigestChecksum implements StreamingChecksum {

    private final ChecksumAlgorithm algorithm;
    private final MessageDigest digest;

    DigestChecksum(ChecksumAlgorithm algorithm, MessageDigest digest) {
        this.algorithm = algorithm;
        this.digest = digest;
    }

    @Override
    public void update(ByteBuffer buffer) {
        digest.update(buffer.duplicate());
    }

    @Override
    public byte[] finish() {
        return digest.digest();
    }

    @Override
    public ChecksumAlgorithm algorithm() {
        return algorithm;
    }
}
