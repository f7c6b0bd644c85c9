package io.transflux.operators.compression;

import org.jspecify.annotations.Nullable;

/**
 * One decoded bzip2 block, or why it could not be decoded from the bytes it was given. Immutable once a
 * worker hands it over; {@link #out} becomes the downstream's as it is emitted.
 */
final class Bzip2Block {

    enum Status {
        /** Decoded; {@link #crcOk()} says whether the stored CRC matched. */
        OK,
        /** The bytes given ended inside the block: decode again with more. */
        UNDERFLOW,
        /** The bits are not a valid block; {@link #error} says which rule failed. */
        CORRUPT
    }

    final Status status;
    /** Bit offset, within the stream of all input, just past the block's end-of-block symbol. */
    final long endBit;
    final int storedCrc;
    /** The CRC of the whole block, inverted; or, when {@link #rest} is set, the running CRC of {@link #out}. */
    final int computedCrc;
    /** Symbols after the first run-length stage, compared against the stream's block size. */
    final int length;
    final boolean randomised;
    final byte[] out;
    final int outLength;
    /** The rest of the expansion when the block's runs expand past {@link #out}; null when out holds it all. */
    final @Nullable Bzip2Rle1 rest;
    final @Nullable String error;

    private Bzip2Block(Status status, long endBit, int storedCrc, int computedCrc, int length, boolean randomised,
            byte[] out, int outLength, @Nullable Bzip2Rle1 rest, @Nullable String error) {
        this.status = status;
        this.endBit = endBit;
        this.storedCrc = storedCrc;
        this.computedCrc = computedCrc;
        this.length = length;
        this.randomised = randomised;
        this.out = out;
        this.outLength = outLength;
        this.rest = rest;
        this.error = error;
    }

    private static final byte[] NONE = new byte[0];

    static Bzip2Block ok(long endBit, int storedCrc, int computedCrc, int length, byte[] out, int outLength,
            @Nullable Bzip2Rle1 rest) {
        return new Bzip2Block(Status.OK, endBit, storedCrc, computedCrc, length, false, out, outLength, rest, null);
    }

    /** Decoded, but {@link #rest} still to expand: the CRC is finished by whoever expands it. */
    static Bzip2Block pending(long endBit, int storedCrc, int runningCrc, int length, byte[] out, int outLength,
            Bzip2Rle1 rest) {
        return new Bzip2Block(Status.OK, endBit, storedCrc, runningCrc, length, false, out, outLength, rest, null);
    }

    static Bzip2Block underflow() {
        return new Bzip2Block(Status.UNDERFLOW, -1, 0, 0, 0, false, NONE, 0, null, null);
    }

    static Bzip2Block corrupt(String error) {
        return new Bzip2Block(Status.CORRUPT, -1, 0, 0, 0, false, NONE, 0, null, error);
    }

    static Bzip2Block randomisedBlock() {
        return new Bzip2Block(Status.CORRUPT, -1, 0, 0, 0, true, NONE, 0, null,
                "randomised block (written by bzip2 0.9.0 or older), not supported");
    }

    /** False only when the whole block was expanded and its CRC differs; see {@link #pending}. */
    boolean crcOk() {
        return rest != null || storedCrc == computedCrc;
    }
}
