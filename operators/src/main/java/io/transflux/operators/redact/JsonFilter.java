package io.transflux.operators.redact;

/** Restricts matches to parts of the input and names forced ranges; {@link #TEXT} accepts every match. */
interface JsonFilter {

    JsonFilter TEXT = new JsonFilter() {
    };

    /** Sees every input byte once, in order; {@code base} is the stream offset of {@code bytes[0]}. */
    default void observe(byte[] bytes, int from, int to, long base) {
    }

    /** The input ended. */
    default void finish() {
    }

    /** Bytes before {@code offset} will not be asked about again. */
    default void released(long offset) {
    }

    /** Whether a match over stream offsets {@code [start, end)} may be redacted. */
    default boolean accepts(long start, long end, byte[] bytes, int from, int to) {
        return true;
    }

    /** The first offset in {@code [from, to)} inside a forced (named-field) range, or -1. */
    default long nextForcedStart(long from, long to) {
        return -1;
    }

    /** The end of the forced range containing {@code offset} ({@code Long.MAX_VALUE} while open), or -1. */
    default long forcedEndAfter(long offset) {
        return -1;
    }
}
