package io.transflux.operators.redact;

/**
 * Finds one kind of entity at a candidate position. Users implement it to add detectors (a model-backed
 * detector for names, say) without touching the scanner; register them with
 * {@link RedactionSpec.Builder#addDetector(EntityDetector)}.
 *
 * <p>The scanner walks the bytes once. At each position whose byte is one of {@link #triggerBytes()}
 * (and, when {@link #wordStartOnly()}, whose previous byte is not an ASCII letter or digit) it calls
 * {@link #find(ScanWindow, int)}. The window holds at least {@link #maxLookbehindBytes()} bytes before
 * the trigger and {@link #maxLookaheadBytes()} after it, unless the stream starts or ends sooner;
 * {@link ScanWindow#byteAt(int)} returns {@code -1} outside it. A detector must read nothing outside
 * these bounds, so that its answer, and therefore the output, does not depend on chunking.
 *
 * <p>Implementations are immutable and thread-safe, run in time linear in the bytes they read, and
 * must not throw; an exception fails the stream with an {@code InternalError}.
 */
public interface EntityDetector {

    /** {@link #find} found nothing at this trigger. */
    long NO_MATCH = -1L;

    /** The Amazon Comprehend PII entity type this detector reports, e.g. {@code EMAIL}. */
    String entityType();

    /** The byte values (0..255) at which {@link #find} may be called. */
    byte[] triggerBytes();

    /** Whether {@link #find} is called only where the previous byte is not an ASCII letter or digit. */
    boolean wordStartOnly();

    /** How many bytes after the trigger {@link #find} may read; bounds the scanner's memory. */
    int maxLookaheadBytes();

    /** How many bytes before the trigger {@link #find} may read or start a match at. */
    default int maxLookbehindBytes() {
        return 2;
    }

    /**
     * A cheap prefilter the scanner applies before {@link #find}. For a trigger that is an ASCII letter or
     * digit (only with {@link #wordStartOnly()}), {@code wordLength} is the length of the run of letters and
     * digits starting at the trigger (capped at the configuration's largest look-ahead) and {@code nextByte}
     * the byte after that run; for any other trigger byte, {@code wordLength} is 0 and {@code nextByte} the
     * byte after the trigger. {@code nextByte} is {@code -1} at the end of input. Returning {@code false}
     * skips {@link #find} at this trigger; the default accepts everything.
     */
    default boolean acceptsWord(int wordLength, int nextByte) {
        return true;
    }

    /**
     * Looks for an entity around {@code trigger}.
     *
     * @param window  the bytes around the trigger
     * @param trigger index of the trigger byte in {@code window}
     * @return {@link #NO_MATCH}, or {@link #span(int, int)} of the match's start (inclusive) and end
     *         (exclusive) indices in {@code window}
     */
    long find(ScanWindow window, int trigger);

    /** Packs a match's {@code [start, end)} for {@link #find}'s result. */
    static long span(int start, int end) {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("span: actual [" + start + ", " + end + "), expected 0 <= start < end");
        }
        return ((long) start << 32) | end;
    }

    /** The start index of a {@link #span(int, int)}. */
    static int spanStart(long span) {
        return (int) (span >>> 32);
    }

    /** The end index of a {@link #span(int, int)}. */
    static int spanEnd(long span) {
        return (int) span;
    }
}
