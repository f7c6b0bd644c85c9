package io.transflux.operators.redact;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.PipelineException;
import org.jspecify.annotations.Nullable;

/**
 * The single-pass scanner: a synchronous state machine with no Reactor types. {@link #feed} appends
 * input, evaluates the detectors at trigger positions, and releases every byte that no future match can
 * touch; {@link #finish} releases the rest.
 *
 * <pre>
 *   buf: | context | released-but-kept | pending (not yet released)          |
 *        0         emit - lookbehind    emit       scan           len - lookahead   len
 * </pre>
 * A trigger at {@code p} is evaluated only once {@code lookahead} bytes follow it (or the input ended),
 * and bytes are released only up to {@code scan - lookbehind} (or past a match already decided), so each
 * detector sees the same bytes however the input was chunked. Overlapping matches: the earlier start
 * wins, then the longer. Memory is the window plus one input slice, whatever the object size.
 */
final class RedactionScanner {

    /** Input is fed in slices of at most this many bytes, bounding the buffer. */
    static final int SLICE = 64 * 1024;

    private final DetectorSet set;
    private final Replacer replacer;
    private final int maxChunk;
    private final boolean detectOnly;
    private final ScanWindow window = new ScanWindow();
    private final JsonFilter json;

    private byte[] buf;
    private int len;
    private long base;
    private int emit;
    private int scan;

    // pending matches, sorted by start, non-overlapping; indices into buf
    private int[] mStart = new int[64];
    private int[] mEnd = new int[64];
    private int[] mDet = new int[64];
    private int mHead;
    private int mCount;

    private byte[] out;
    private int outLen;
    private List<ByteBuffer> ready = new ArrayList<>();
    private long matches;
    private boolean inForced;
    private @Nullable MatchListener listener;

    /** Told about every redacted match, in order; for tests and metrics. */
    interface MatchListener {
        void onMatch(String entityType, long start, long end);
    }

    RedactionScanner listener(MatchListener l) {
        this.listener = l;
        return this;
    }

    /** The entity type reported for the values of named JSON fields. */
    static final String FIELD_LABEL = "REDACTED";

    RedactionScanner(DetectorSet set, Replacer replacer, int maxChunk, boolean detectOnly, JsonFilter json) {
        this.set = set;
        this.replacer = replacer;
        this.maxChunk = maxChunk;
        this.detectOnly = detectOnly;
        this.json = json;
        this.buf = new byte[SLICE + set.lookahead + set.lookbehind + 64];
        this.out = new byte[maxChunk];
    }

    /** Number of matches redacted (or, in detect mode, found) so far, allow-listed ones excluded. */
    long matches() {
        return matches;
    }

    /** The scanner's buffer size: bounded by one slice plus the window, whatever the input. */
    int bufferCapacity() {
        return buf.length;
    }

    /** Pending matches held: bounded by the window. */
    int pendingMatches() {
        return mCount;
    }

    /** Consumes {@code input} (without moving its position) and returns the chunks now releasable. */
    List<ByteBuffer> feed(ByteBuffer input) {
        ByteBuffer in = input.duplicate();
        while (in.hasRemaining()) {
            int n = Math.min(in.remaining(), SLICE);
            ensureRoom(n);
            in.get(buf, len, n);
            json.observe(buf, len, len + n, base);
            len += n;
            scan(false);
            release(false);
        }
        return drain();
    }

    /** Ends the input: evaluates the remaining triggers and returns the last chunks. */
    List<ByteBuffer> finish() {
        json.finish();
        scan(true);
        release(true);
        flushOut();
        return drain();
    }

    private void scan(boolean eof) {
        final byte[] b = buf;
        final long[] anywhere = set.anywhere;
        final long[] wordStart = set.wordStart;
        final boolean[] word = DetectorSet.WORD;
        final boolean wordAnywhere = set.anywhereOnWordBytes;
        int limit = eof ? len : len - set.lookahead;
        int p = scan;
        if (p > 0 && p < limit && word[b[p - 1] & 0xff] && word[b[p] & 0xff] && !wordAnywhere) {
            while (p < limit && word[b[p] & 0xff]) {
                p++; // resume inside a word: no word start here
            }
        }
        final byte[] kind = set.kind;
        final int lookahead = set.lookahead;
        final long numberBits = set.phoneBit | set.ipBit;
        final long others = set.otherDetectors;
        while (p < limit) {
            int c = b[p] & 0xff;
            int k = kind[c];
            if (k == DetectorSet.KIND_PLAIN) {
                p++;
                continue;
            }
            long m = anywhere[c];
            if (k == DetectorSet.KIND_WORD) {
                // p starts a word (words are skipped whole below)
                m |= wordStart[c];
                int q = p + 1;
                if (m != 0) {
                    int cap = Math.min(len, p + lookahead);
                    while (q < cap && word[b[q] & 0xff]) {
                        q++;
                    }
                    int next = q < len ? b[q] & 0xff : -1;
                    m &= set.wordAccept(q - p, next);
                    if ((m & numberBits) != 0 && c <= '9') {
                        m = numberShape(m, p, q, next);
                    }
                    if ((m & others) != 0) {
                        m = acceptsWord(m, q - p, next);
                    }
                }
                if (m != 0) {
                    int next = evaluate(p, m, eof);
                    if (next > q) {
                        p = next;
                        if (p < limit && word[b[p - 1] & 0xff]) {
                            while (p < limit && word[b[p] & 0xff]) {
                                p++;
                            }
                        }
                        continue;
                    }
                }
                while (q < limit && word[b[q] & 0xff]) {
                    q++;
                }
                p = q;
                continue;
            }
            long ws = wordStart[c];
            if (ws != 0 && (p == 0 || !word[b[p - 1] & 0xff])) {
                m |= ws;
            }
            if (m == 0) {
                p++;
                continue;
            }
            if (!word[c]) {
                int after = p + 1 < len ? b[p + 1] & 0xff : -1;
                m &= set.wordAccept(0, after);
                if ((m & others) != 0) {
                    m = acceptsWord(m, 0, after);
                }
                if (m == 0) {
                    p++;
                    continue;
                }
            }
            int next = evaluate(p, m, eof);
            if (next > p + 1) {
                p = next;
                if (p < limit && word[b[p - 1] & 0xff] && !wordAnywhere) {
                    while (p < limit && word[b[p] & 0xff]) {
                        p++;
                    }
                }
            } else {
                p++;
            }
        }
        scan = Math.max(scan, p);
    }

    /** Runs the detectors in {@code mask} at {@code p}; returns where scanning resumes. */
    private int evaluate(int p, long mask, boolean eof) {
        int lo = Math.max(0, p - set.lookbehind);
        int hi = eof ? len : Math.min(len, p + set.lookahead);
        window.set(buf, lo, hi);
        int bestS = -1;
        int bestE = -1;
        int bestD = -1;
        long bits = mask;
        while (bits != 0) {
            int d = Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            EntityDetector det = set.detectors[d];
            long r;
            try {
                r = find(set.builtIn[d], det, p);
            } catch (RuntimeException e) {
                throw new PipelineException(ErrorCode.INTERNAL_ERROR, "redact: detector " + det.entityType() + " ("
                        + det.getClass().getName() + ") failed at offset " + (base + p), e);
            }
            if (r == EntityDetector.NO_MATCH) {
                continue;
            }
            int s = EntityDetector.spanStart(r);
            int e = EntityDetector.spanEnd(r);
            if (s < lo || e > hi || e <= s || s > p + set.lookahead) {
                throw new PipelineException(ErrorCode.INTERNAL_ERROR, "redact: detector " + det.entityType()
                        + " returned a span outside its window at offset " + (base + p));
            }
            if (json != JsonFilter.TEXT && !json.accepts(s + base, e + base, buf, s, e)) {
                continue;
            }
            if (bestD < 0 || s < bestS || s == bestS && e > bestE) {
                bestS = s;
                bestE = e;
                bestD = d;
            }
        }
        if (bestD < 0) {
            return p + 1;
        }
        accept(bestS, bestE, bestD);
        return Math.max(p + 1, bestE);
    }

    /**
     * Drops the phone and IP detectors from {@code mask} for a word of digits at {@code [p, q)} whose shape
     * neither can match: the digit run is looked at once here instead of being parsed by each. Every test
     * is a necessary condition of the detector's own {@code find} (NANP area code 2-9 after an optional
     * "1", exchange 2-9; an IPv4 address's second part of 1-3 digits and a '.'), so no match is lost.
     */
    private long numberShape(long mask, int p, int q, int next) {
        final byte[] b = buf;
        long m = mask;
        int w = q - p;
        if ((m & set.phoneBit) != 0) {
            // acceptsWord let through only "1" + separator, or three characters + separator
            boolean fits = w == 1 ? b[p] == '1'
                    : w == 3 && b[p] >= '2' && digit(b[p + 1]) && digit(b[p + 2])
                            && q + 1 < len && b[q + 1] >= '2' && b[q + 1] <= '9';
            if (!fits) {
                m &= ~set.phoneBit;
            }
        }
        if ((m & set.ipBit) != 0 && next == '.') {
            // only a dotted quad can follow a '.'; its first two parts are 1-3 digits, then a '.'
            boolean fits = true;
            for (int i = p + 1; i < q; i++) {
                fits &= digit(b[i]);
            }
            int j = q + 1;
            while (j < len && j - q <= 4 && digit(b[j])) {
                j++;
            }
            int n = j - q - 1;
            if (!fits || n < 1 || n > 3 || j >= len || b[j] != '.') {
                m &= ~set.ipBit;
            }
        }
        return m;
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Applies the prefilters of detectors that are not built in (built-ins are tabulated). */
    private long acceptsWord(long mask, int length, int next) {
        long bits = mask & set.otherDetectors;
        long out = mask;
        while (bits != 0) {
            int d = Long.numberOfTrailingZeros(bits);
            bits &= bits - 1;
            if (!set.detectors[d].acceptsWord(length, next)) {
                out &= ~(1L << d);
            }
        }
        return out;
    }

    /** Calls built-in detectors directly (monomorphic, inlinable), others through the interface. */
    private long find(int builtIn, EntityDetector det, int p) {
        ScanWindow w = window;
        switch (builtIn) {
            case DetectorSet.URL: return ((UrlCredentialsDetector) det).find(w, p);
            case DetectorSet.EMAIL: return ((EmailDetector) det).find(w, p);
            case DetectorSet.PASSWORD: return ((PasswordDetector) det).find(w, p);
            case DetectorSet.ACCESS_KEY: return ((AwsAccessKeyDetector) det).find(w, p);
            case DetectorSet.SECRET_KEY: return ((AwsSecretKeyDetector) det).find(w, p);
            case DetectorSet.IBAN: return ((IbanDetector) det).find(w, p);
            case DetectorSet.CARD: return ((CreditCardDetector) det).find(w, p);
            case DetectorSet.SSN: return ((SsnDetector) det).find(w, p);
            case DetectorSet.PHONE: return ((PhoneDetector) det).find(w, p);
            case DetectorSet.MAC: return ((MacAddressDetector) det).find(w, p);
            case DetectorSet.IP: return ((IpAddressDetector) det).find(w, p);
            default: return det.find(w, p);
        }
    }

    private void accept(int s, int e, int d) {
        while (mCount > 0) {
            int last = mHead + mCount - 1;
            if (s >= mEnd[last]) {
                break;
            }
            if (s < mStart[last] || s == mStart[last] && e > mEnd[last]) {
                mCount--; // the new match starts earlier (or is longer): it replaces the last one
            } else {
                return;
            }
        }
        if (s < emit) {
            return; // overlaps bytes already released: cannot happen with honest bounds, be safe
        }
        if (mHead + mCount == mStart.length) {
            if (mHead > 0) {
                System.arraycopy(mStart, mHead, mStart, 0, mCount);
                System.arraycopy(mEnd, mHead, mEnd, 0, mCount);
                System.arraycopy(mDet, mHead, mDet, 0, mCount);
                mHead = 0;
            } else {
                mStart = Arrays.copyOf(mStart, mStart.length * 2);
                mEnd = Arrays.copyOf(mEnd, mEnd.length * 2);
                mDet = Arrays.copyOf(mDet, mDet.length * 2);
            }
        }
        int k = mHead + mCount;
        mStart[k] = s;
        mEnd[k] = e;
        mDet[k] = d;
        mCount++;
    }

    private void release(boolean eof) {
        int f = eof ? len : Math.max(emit, Math.min(scan, len) - set.lookbehind);
        while (mCount > 0 && mStart[mHead] < f) {
            int s = mStart[mHead];
            int e = mEnd[mHead];
            EntityDetector det = set.detectors[mDet[mHead]];
            mHead++;
            mCount--;
            copyRaw(emit, s);
            if (replacer.allowed(buf, s, e)) {
                copy(s, e);
            } else {
                matches++;
                if (listener != null) {
                    listener.onMatch(det.entityType(), base + s, base + e);
                }
                if (detectOnly) {
                    throw new PiiDetectedException(det.entityType(), base + s);
                }
                replacer.write(this, det.entityType(), buf, s, e);
            }
            emit = e;
            f = Math.max(f, e);
        }
        if (mCount == 0) {
            mHead = 0;
        }
        copyRaw(emit, f);
        emit = f;
    }

    /** Copies {@code [from, to)}, redacting whatever lies in forced (named JSON field) ranges. */
    private void copyRaw(int from, int to) {
        if (json == JsonFilter.TEXT) {
            copy(from, to); // plain text has no forced ranges
            return;
        }
        int i = from;
        while (i < to) {
            long fs = json.nextForcedStart(base + i, base + to);
            if (fs < 0) {
                copy(i, to);
                return;
            }
            int s = (int) (fs - base);
            copy(i, s);
            long fe = json.forcedEndAfter(fs);
            int e = (int) Math.min(to, fe - base);
            boolean first = !inForced;
            boolean last = fe - base <= to;
            inForced = !last;
            if (first) {
                matches++;
                if (listener != null) {
                    listener.onMatch(FIELD_LABEL, fs, fe);
                }
                if (detectOnly) {
                    throw new PiiDetectedException(FIELD_LABEL, fs);
                }
            }
            if (!detectOnly) {
                replacer.writeForced(this, FIELD_LABEL, buf, s, e, first, last);
            }
            i = e;
        }
    }

    private void copy(int from, int to) {
        if (detectOnly) {
            return;
        }
        int i = from;
        while (i < to) {
            int n = Math.min(to - i, maxChunk - outLen);
            System.arraycopy(buf, i, out, outLen, n);
            outLen += n;
            i += n;
            if (outLen == maxChunk) {
                flushOut();
            }
        }
    }

    /** Appends replacement bytes to the output. */
    void write(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int n = Math.min(to - i, maxChunk - outLen);
            System.arraycopy(bytes, i, out, outLen, n);
            outLen += n;
            i += n;
            if (outLen == maxChunk) {
                flushOut();
            }
        }
    }

    /** Appends {@code n} copies of the byte {@code b} to the output. */
    void fill(byte b, int n) {
        int left = n;
        while (left > 0) {
            int k = Math.min(left, maxChunk - outLen);
            Arrays.fill(out, outLen, outLen + k, b);
            outLen += k;
            left -= k;
            if (outLen == maxChunk) {
                flushOut();
            }
        }
    }

    void write(int b) {
        out[outLen++] = (byte) b;
        if (outLen == maxChunk) {
            flushOut();
        }
    }

    private void flushOut() {
        if (outLen == 0) {
            return;
        }
        if (outLen == maxChunk || outLen >= maxChunk / 2) {
            ready.add(ByteBuffer.wrap(out, 0, outLen));
            out = new byte[maxChunk];
        } else {
            ready.add(ByteBuffer.wrap(Arrays.copyOf(out, outLen)));
        }
        outLen = 0;
    }

    private List<ByteBuffer> drain() {
        if (!detectOnly) {
            flushOut();
        }
        if (ready.isEmpty()) {
            return List.of();
        }
        List<ByteBuffer> r = ready;
        ready = new ArrayList<>();
        return r;
    }

    /** Makes room for {@code n} more bytes, dropping what is released and no longer needed as context. */
    private void ensureRoom(int n) {
        int keepFrom = Math.max(0, emit - set.lookbehind);
        json.released(base + keepFrom);
        if (keepFrom > 0) {
            System.arraycopy(buf, keepFrom, buf, 0, len - keepFrom);
            len -= keepFrom;
            emit -= keepFrom;
            scan -= keepFrom;
            for (int k = mHead; k < mHead + mCount; k++) {
                mStart[k] -= keepFrom;
                mEnd[k] -= keepFrom;
            }
            base += keepFrom;
        }
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }
}
