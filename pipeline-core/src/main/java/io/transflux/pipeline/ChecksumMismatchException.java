package io.transflux.pipeline;

/** A checksum computed while streaming differs from the expected value. */
public final class ChecksumMismatchException extends PipelineException {

    private static final long serialVersionUID = 1L;

    private final String algorithm;
    private final String expected;
    private final String actual;

    /**
     * @param algorithm the algorithm name, e.g. {@code crc32c}
     * @param expected  the expected value in the encoding it was given in
     * @param actual    the computed value in the same encoding
     */
    public ChecksumMismatchException(String algorithm, String expected, String actual) {
        super(ErrorCode.CHECKSUM_MISMATCH, algorithm + ": actual " + actual + " != expected " + expected);
        this.algorithm = algorithm;
        this.expected = expected;
        this.actual = actual;
    }

    public String algorithm() {
        return algorithm;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
