package io.transflux.pipeline.checksum;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An immutable checksum value: an algorithm and its {@link ChecksumAlgorithm#lengthBytes()} bytes, big-endian
 * for CRCs. Three text forms:
 *
 * <table>
 *   <caption>Encodings</caption>
 *   <tr><th>Method</th><th>Form</th><th>Used by</th></tr>
 *   <tr><td>{@link #hex()}</td><td>lower-case hex, two digits per byte</td><td>logs, CLI, {@code sha256sum}</td></tr>
 *   <tr><td>{@link #base64()}</td><td>standard Base64 with padding</td><td>S3 {@code x-amz-checksum-*},
 *       {@code Content-MD5}</td></tr>
 *   <tr><td>{@link #unsignedDecimal()}</td><td>the CRC as an unsigned decimal integer (CRCs only)</td>
 *       <td>OSS {@code x-oss-hash-crc64ecma}</td></tr>
 * </table>
 *
 * <p>The parsing factories throw {@link IllegalArgumentException} naming the field, the actual and the expected
 * length or syntax; callers that parse user input or headers wrap it in their own typed exception.
 */
public final class ChecksumValue {

    private static final HexFormat HEX = HexFormat.of();

    private final ChecksumAlgorithm algorithm;
    private final byte[] bytes;

    private ChecksumValue(ChecksumAlgorithm algorithm, byte[] bytes) {
        this.algorithm = algorithm;
        this.bytes = bytes;
    }

    /**
     * A value from its raw bytes (copied).
     *
     * @throws IllegalArgumentException when {@code bytes} is not {@code algorithm.lengthBytes()} long
     */
    public static ChecksumValue of(ChecksumAlgorithm algorithm, byte[] bytes) {
        Objects.requireNonNull(algorithm, "algorithm");
        if (bytes.length != algorithm.lengthBytes()) {
            throw new IllegalArgumentException(algorithm.id() + " value: actual " + bytes.length
                    + " bytes, expected " + algorithm.lengthBytes());
        }
        return new ChecksumValue(algorithm, bytes.clone());
    }

    /**
     * A value from hex digits (either case).
     *
     * @throws IllegalArgumentException when the length is not {@code 2 × lengthBytes()} or a character is not a
     *                                  hex digit
     */
    public static ChecksumValue fromHex(ChecksumAlgorithm algorithm, String hex) {
        int expected = 2 * algorithm.lengthBytes();
        if (hex.length() != expected) {
            throw new IllegalArgumentException(algorithm.id() + " hex value: actual " + hex.length()
                    + " characters, expected " + expected + " (" + algorithm.lengthBytes() + " bytes)");
        }
        try {
            return new ChecksumValue(algorithm, HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(algorithm.id() + " hex value: actual '" + shorten(hex)
                    + "', expected only the digits 0-9, a-f, A-F", e);
        }
    }

    /**
     * A value from standard Base64 (RFC 4648 §4, with padding), the S3 header encoding.
     *
     * @throws IllegalArgumentException when the text is not Base64 or decodes to the wrong number of bytes
     */
    public static ChecksumValue fromBase64(ChecksumAlgorithm algorithm, String base64) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(algorithm.id() + " base64 value: actual '" + shorten(base64)
                    + "', expected standard Base64 (" + e.getMessage() + ")", e);
        }
        if (decoded.length != algorithm.lengthBytes()) {
            throw new IllegalArgumentException(algorithm.id() + " base64 value: actual " + decoded.length
                    + " decoded bytes, expected " + algorithm.lengthBytes());
        }
        return new ChecksumValue(algorithm, decoded);
    }

    /**
     * A CRC from its unsigned decimal form, e.g. OSS's {@code x-oss-hash-crc64ecma}.
     *
     * @throws IllegalArgumentException when the algorithm is not a CRC, the text is not plain decimal digits, or
     *                                  the number does not fit in {@code lengthBytes()} bytes
     */
    public static ChecksumValue fromUnsignedDecimal(ChecksumAlgorithm algorithm, String decimal) {
        requireCrc(algorithm, "fromUnsignedDecimal");
        int width = algorithm.lengthBytes();
        if (decimal.isEmpty() || decimal.length() > 40 || !decimal.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(algorithm.id() + " decimal value: actual '" + shorten(decimal)
                    + "', expected an unsigned decimal integer");
        }
        BigInteger v = new BigInteger(decimal);
        if (v.bitLength() > 8 * width) {
            throw new IllegalArgumentException(algorithm.id() + " decimal value: actual " + decimal
                    + ", expected at most " + BigInteger.ONE.shiftLeft(8 * width).subtract(BigInteger.ONE)
                    + " (" + width + " bytes)");
        }
        byte[] magnitude = v.toByteArray(); // big-endian, may carry a leading sign byte 0x00
        byte[] out = new byte[width];
        int n = Math.min(width, magnitude.length);
        System.arraycopy(magnitude, magnitude.length - n, out, width - n, n);
        return new ChecksumValue(algorithm, out);
    }

    public ChecksumAlgorithm algorithm() {
        return algorithm;
    }

    /** A copy of the value's bytes, big-endian for CRCs. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lower-case hex, e.g. {@code e3069283} for CRC32C of {@code "123456789"}. */
    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** Standard Base64 with padding, the form S3 uses in {@code x-amz-checksum-*} headers. */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * The CRC as an unsigned decimal integer, the form of OSS's {@code x-oss-hash-crc64ecma}.
     *
     * @throws UnsupportedOperationException when the algorithm is a digest, not a CRC
     */
    public String unsignedDecimal() {
        requireCrc(algorithm, "unsignedDecimal");
        return new BigInteger(1, bytes).toString();
    }

    private static void requireCrc(ChecksumAlgorithm algorithm, String what) {
        if (!algorithm.isCrc()) {
            throw new UnsupportedOperationException(what + ": actual algorithm " + algorithm.id()
                    + ", expected a CRC (crc32, crc32c, crc64nvme, crc64ecma)");
        }
    }

    private static String shorten(String s) {
        return s.length() <= 140 ? s : s.substring(0, 140) + "...";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof ChecksumValue other && algorithm == other.algorithm
                && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + Arrays.hashCode(bytes);
    }

    /** {@code <id>:<hex>}, e.g. {@code crc32c:e3069283}. */
    @Override
    public String toString() {
        return algorithm.id() + ':' + hex();
    }
}
