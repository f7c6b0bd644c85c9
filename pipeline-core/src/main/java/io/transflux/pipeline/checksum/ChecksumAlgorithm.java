package io.transflux.pipeline.checksum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.transflux.pipeline.PipelineSpecException;

/**
 * The checksums a {@link ChecksumTap} can compute, named by the lower-case ids the CLI and pipeline specs use.
 * CRC values are big-endian bytes, as S3 sends them Base64-encoded in {@code x-amz-checksum-*} headers.
 */
public enum ChecksumAlgorithm {

    /** CRC-32 (ISO-HDLC, as zip and gzip), {@code java.util.zip.CRC32}; S3 {@code x-amz-checksum-crc32}. */
    CRC32("crc32", 4, true),
    /** CRC-32C (Castagnoli), {@code java.util.zip.CRC32C}; S3 {@code x-amz-checksum-crc32c}. */
    CRC32C("crc32c", 4, true),
    /** CRC-64/NVME; S3 {@code x-amz-checksum-crc64nvme}. Not the OSS CRC-64. */
    CRC64NVME("crc64nvme", 8, true),
    /**
     * CRC-64/XZ (reflected ECMA-182 polynomial, init and xorout all-ones) as OSS computes it; OSS reports it in
     * {@code x-oss-hash-crc64ecma} as an unsigned decimal ({@link ChecksumValue#unsignedDecimal()}).
     */
    CRC64ECMA("crc64ecma", 8, true),
    /** MD5 (RFC 1321), for S3 {@code Content-MD5} and ETags of single-part uploads. */
    MD5("md5", 16, false),
    /** SHA-1 (FIPS 180-4); S3 {@code x-amz-checksum-sha1}. */
    SHA1("sha1", 20, false),
    /** SHA-256 (FIPS 180-4); S3 {@code x-amz-checksum-sha256}. */
    SHA256("sha256", 32, false),
    /** SHA-512 (FIPS 180-4); S3 {@code x-amz-checksum-sha512}. */
    SHA512("sha512", 64, false);

    private static final String ALLOWED_IDS =
            Arrays.stream(values()).map(ChecksumAlgorithm::id).collect(Collectors.joining(", "));

    private final String id;
    private final int lengthBytes;
    private final boolean crc;

    ChecksumAlgorithm(String id, int lengthBytes, boolean crc) {
        this.id = id;
        this.lengthBytes = lengthBytes;
        this.crc = crc;
    }

    /** The lower-case name used by the CLI and in specs, e.g. {@code crc64nvme}. */
    public String id() {
        return id;
    }

    /** The length of a value in bytes: 4 for CRC-32s, 8 for CRC-64s, 16 to 64 for digests. */
    public int lengthBytes() {
        return lengthBytes;
    }

    /** Whether this is a CRC, whose value also has an {@link ChecksumValue#unsignedDecimal() unsigned decimal} form. */
    public boolean isCrc() {
        return crc;
    }

    /**
     * The algorithm named by {@code id}, compared case-insensitively after trimming.
     *
     * @throws PipelineSpecException naming the actual value and the allowed ids when none matches
     */
    public static ChecksumAlgorithm fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (ChecksumAlgorithm a : values()) {
            if (a.id.equals(wanted)) {
                return a;
            }
        }
        throw new PipelineSpecException("checksum algorithm: actual '" + shorten(id) + "', expected one of "
                + ALLOWED_IDS);
    }

    /**
     * Parses a comma-separated list such as {@code "crc32c,sha256"} into algorithms in the order given. Blanks
     * around ids are ignored.
     *
     * @return an unmodifiable list without duplicates, in the order written
     * @throws PipelineSpecException when the list is empty, has an empty entry, an unknown id or a duplicate
     */
    public static List<ChecksumAlgorithm> parseList(String ids) {
        if (ids.isBlank()) {
            throw new PipelineSpecException("checksum algorithms: actual empty list, expected a comma-separated "
                    + "list of " + ALLOWED_IDS);
        }
        String[] parts = ids.split(",", -1);
        List<ChecksumAlgorithm> out = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isBlank()) {
                throw new PipelineSpecException("checksum algorithms: entry " + (i + 1) + " of '" + shorten(ids)
                        + "' is empty, expected one of " + ALLOWED_IDS);
            }
            ChecksumAlgorithm a = fromId(parts[i]);
            if (out.contains(a)) {
                throw new PipelineSpecException("checksum algorithms: '" + a.id + "' appears more than once in '"
                        + shorten(ids) + "', expected each algorithm at most once");
            }
            out.add(a);
        }
        return Collections.unmodifiableList(out);
    }

    /** Keeps user input in messages short. */
    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
