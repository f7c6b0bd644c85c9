/**
 * On-the-fly checksums over {@code Flux<ByteBuffer>} content: {@link io.transflux.pipeline.checksum.ChecksumTap}
 * observes a stream without consuming or copying its buffers and computes any set of
 * {@link io.transflux.pipeline.checksum.ChecksumAlgorithm}s (CRC32, CRC32C, CRC-64/NVME as in S3's
 * {@code x-amz-checksum-crc64nvme}, CRC-64/XZ as in OSS's {@code x-oss-hash-crc64ecma}, MD5, SHA-1, SHA-256,
 * SHA-512) in one pass, optionally failing the stream when a value differs from an expected
 * {@link io.transflux.pipeline.checksum.ChecksumValue}. The CRC-64 variants are a pure-Java port; the others use
 * the JDK ({@code java.util.zip}, {@code MessageDigest}).
 */
@NullMarked
package io.transflux.pipeline.checksum;

import org.jspecify.annotations.NullMarked;
