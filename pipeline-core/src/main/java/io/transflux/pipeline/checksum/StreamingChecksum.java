package io.transflux.pipeline.checksum;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** One algorithm's running state inside a {@link ChecksumTap}; used from one thread at a time. */
interface StreamingChecksum {

    /** Adds the buffer's remaining bytes without moving its position or limit. */
    void update(ByteBuffer buffer);

    /** The value of everything added so far, as {@code algorithm().lengthBytes()} big-endian bytes. */
    byte[] finish();

    ChecksumAlgorithm algorithm();

    static StreamingChecksum create(ChecksumAlgorithm algorithm) {
        switch (algorithm) {
            case CRC32:
                return new CrcChecksum(algorithm, new CRC32());
            case CRC32C:
                return new CrcChecksum(algorithm, new CRC32C());
            case CRC64NVME:
                return new CrcChecksum(algorithm, Crc64.nvme());
            case CRC64ECMA:
                return new CrcChecksum(algorithm, Crc64.xz());
            case MD5:
                return new DigestChecksum(algorithm, digest("MD5"));
            case SHA1:
                return new DigestChecksum(algorithm, digest("SHA-1"));
            case SHA256:
                return new DigestChecksum(algorithm, digest("SHA-256"));
            case SHA512:
                return new DigestChecksum(algorithm, digest("SHA-512"));
            default:
                throw new IllegalArgumentException("algorithm: actual " + algorithm + ", expected a known one");
        }
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide MD5, SHA-1 and SHA-256; SHA-512 ships with every JDK we support.
            throw new IllegalStateException("MessageDigest " + name + " is not available in this JRE", e);
        }
    }
}
