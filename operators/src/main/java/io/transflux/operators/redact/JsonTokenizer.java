package io.transflux.operators.redact;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.transflux.pipeline.UnsupportedFormatException;

/**
 * JSON-aware mode: a byte-level JSON tokenizer (RFC 8259) that runs ahead of the scanner over the same
 * bytes and remembers where string values are, so that detector matches are kept only inside one string
 * value, and the string values of named fields are redacted whole. Nothing is decoded or re-encoded:
 * bytes outside redactions are copied as they are. Several top-level values (JSON Lines, concatenated
 * JSON) are accepted. State is O(depth); spans are kept only for the scanner's window.
 */
final class JsonTokenizer implements JsonFilter {

    static final int MAX_DEPTH = 512;
    static final int MAX_KEY_BYTES = 256;

    private enum State { VALUE, KEY_OR_CLOSE, KEY, COLON, COMMA_OR_CLOSE, STRING, LITERAL, TEXT }

    private final RedactionSpec.OnMalformedJson onMalformed;
    private final List<String[]> patterns = new ArrayList<>();

    private State state = State.VALUE;
    private boolean inKey;
    private boolean escape;
    private final byte[] containers = new byte[MAX_DEPTH];
    private final int[] index = new int[MAX_DEPTH];
    private final String[] keys = new String[MAX_DEPTH];
    private int depth;
    private int forcedDepth = -1;
    private final byte[] key = new byte[MAX_KEY_BYTES];
    private int keyLen;
    private boolean keyTooLong;

    // string-value spans and forced spans as stream offsets: [start, end), end = MAX while open
    private long[] spanStart = new long[64];
    private long[] spanEnd = new long[64];
    private boolean[] spanForced = new boolean[64];
    private int head;
    private int count;
    private long textFrom = Long.MAX_VALUE;

    JsonTokenizer(RedactionSpec spec) {
        this.onMalformed = spec.onMalformedJson();
        for (String f : spec.jsonFields()) {
            String p = f.startsWith("/") ? f.substring(1).replace('/', '\u0000') : f.replace('.', '\u0000');
            String[] segs = p.split("\u0000", -1);
            for (int i = 0; i < segs.length; i++) {
                segs[i] = segs[i].replace("~1", "/").replace("~0", "~");
            }
            patterns.add(segs);
        }
    }

    @Override
    public void observe(byte[] b, int from, int to, long base) {
        for (int i = from; i < to; i++) {
            if (state == State.TEXT) {
                return;
            }
            step(b[i] & 0xff, base + i);
        }
    }

    private void step(int c, long off) {
        switch (state) {
            case STRING:
                if (escape) {
                    escape = false;
                } else if (c == '\\') {
                    escape = true;
                } else if (c == '"') {
                    if (inKey) {
                        keys[depth - 1] = keyTooLong ? null : new String(key, 0, keyLen, StandardCharsets.ISO_8859_1);
                        state = State.COLON;
                    } else {
                        spanEnd[head + count - 1] = off;
                        valueDone();
                    }
                } else if (c < 0x20) {
                    malformed(off, "a control character inside a string");
                } else if (inKey) {
                    if (keyLen < MAX_KEY_BYTES) {
                        key[keyLen++] = (byte) c;
                    } else {
                        keyTooLong = true;
                    }
                }
                return;
            case LITERAL:
                if (ByteClass.word(c) || c == '.' || c == '-' || c == '+') {
                    return;
                }
                valueDone();
                step(c, off);
                return;
            default:
                break;
        }
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            return;
        }
        switch (state) {
            case VALUE:
                startValue(c, off);
                return;
            case KEY_OR_CLOSE:
                if (c == '}') {
                    close('{', off);
                } else {
                    startKey(c, off);
                }
                return;
            case KEY:
                startKey(c, off);
                return;
            case COLON:
                if (c != ':') {
                    malformed(off, "':' after a member name");
                    return;
                }
                state = State.VALUE;
                return;
            case COMMA_OR_CLOSE:
                if (depth == 0) {
                    startValue(c, off); // JSON Lines: the next top-level value
                } else if (c == ',') {
                    if (containers[depth - 1] == '{') {
                        state = State.KEY;
                    } else {
                        index[depth - 1]++;
                        state = State.VALUE;
                    }
                } else if (c == '}' || c == ']') {
                    close(c == '}' ? '{' : '[', off);
                } else {
                    malformed(off, "',' or the end of the container");
                }
                return;
            default:
                throw new IllegalStateException(state.name());
        }
    }

    private void startKey(int c, long off) {
        if (c != '"') {
            malformed(off, "'\"' starting a member name");
            return;
        }
        inKey = true;
        keyLen = 0;
        keyTooLong = false;
        state = State.STRING;
    }

    private void startValue(int c, long off) {
        if (c == '"') {
            inKey = false;
            escape = false;
            addSpan(off + 1, forcedDepth >= 0 || matches());
            state = State.STRING;
        } else if (c == '{' || c == '[') {
            if (depth == MAX_DEPTH) {
                malformed(off, "nesting at most " + MAX_DEPTH + " deep");
                return;
            }
            if (forcedDepth < 0 && matches()) {
                forcedDepth = depth;
            }
            containers[depth] = (byte) c;
            index[depth] = 0;
            keys[depth] = null;
            depth++;
            state = c == '{' ? State.KEY_OR_CLOSE : State.VALUE;
        } else if (c == ']' && depth > 0 && containers[depth - 1] == '[' && index[depth - 1] == 0) {
            close('[', off); // empty array
        } else if (ByteClass.word(c) || c == '-') {
            state = State.LITERAL;
        } else {
            malformed(off, "a value");
        }
    }

    private void close(int open, long off) {
        if (depth == 0 || containers[depth - 1] != open) {
            malformed(off, "a matching bracket");
            return;
        }
        depth--;
        if (forcedDepth == depth) {
            forcedDepth = -1;
        }
        valueDone();
    }

    private void valueDone() {
        state = State.COMMA_OR_CLOSE;
    }

    /** Whether the value now starting (path = containers' keys/indexes) is a named field. */
    private boolean matches() {
        if (patterns.isEmpty() || depth == 0) {
            return false;
        }
        String[] path = new String[depth];
        for (int i = 0; i < depth; i++) {
            path[i] = containers[i] == '{' ? keys[i] : Integer.toString(index[i]);
            if (path[i] == null) {
                return false;
            }
        }
        for (String[] p : patterns) {
            if (glob(p, 0, path, 0)) {
                return true;
            }
        }
        return false;
    }

    private static boolean glob(String[] p, int pi, String[] path, int i) {
        if (pi == p.length) {
            return i == path.length;
        }
        if (p[pi].equals("**")) {
            for (int k = i; k <= path.length; k++) {
                if (glob(p, pi + 1, path, k)) {
                    return true;
                }
            }
            return false;
        }
        return i < path.length && (p[pi].equals("*") || p[pi].equals(path[i])) && glob(p, pi + 1, path, i + 1);
    }

    private void addSpan(long start, boolean forced) {
        if (head + count == spanStart.length) {
            if (head > 0) {
                System.arraycopy(spanStart, head, spanStart, 0, count);
                System.arraycopy(spanEnd, head, spanEnd, 0, count);
                System.arraycopy(spanForced, head, spanForced, 0, count);
                head = 0;
            } else {
                spanStart = Arrays.copyOf(spanStart, spanStart.length * 2);
                spanEnd = Arrays.copyOf(spanEnd, spanEnd.length * 2);
                spanForced = Arrays.copyOf(spanForced, spanForced.length * 2);
            }
        }
        spanStart[head + count] = start;
        spanEnd[head + count] = Long.MAX_VALUE;
        spanForced[head + count] = forced;
        count++;
    }

    private void malformed(long off, String expected) {
        if (onMalformed == RedactionSpec.OnMalformedJson.FAIL) {
            throw new UnsupportedFormatException("redact: format json: malformed JSON at byte offset " + off
                    + ": expected " + expected + " (use on-malformed_text to fall back to text mode)");
        }
        if (count > 0 && spanEnd[head + count - 1] == Long.MAX_VALUE) {
            spanEnd[head + count - 1] = off;
        }
        textFrom = off;
        state = State.TEXT;
    }

    @Override
    public void finish() {
        if (state == State.TEXT) {
            return;
        }
        if (state == State.STRING || depth > 0 || state == State.COLON || state == State.KEY) {
            malformed(Long.MAX_VALUE - 1, "the rest of the value at the end of the input");
        }
    }

    /** Drops spans that end before {@code offset}. */
    void prune(long offset) {
        while (count > 0 && spanEnd[head] < offset) {
            head++;
            count--;
        }
        if (count == 0) {
            head = 0;
        }
    }

    @Override
    public void released(long offset) {
        prune(offset);
    }

    @Override
    public boolean accepts(long start, long end, byte[] b, int from, int to) {
        if (start >= textFrom) {
            return true;
        }
        int k = find(start);
        if (k < 0 || end > spanEnd[k] || spanForced[k]) {
            return false;
        }
        if (from > 0 && b[from - 1] == '\\') {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (b[i] == '\\') {
                return false;
            }
        }
        return end <= textFrom;
    }

    @Override
    public long forcedEndAfter(long offset) {
        int k = find(offset);
        return k >= 0 && spanForced[k] ? spanEnd[k] : -1;
    }

    @Override
    public long nextForcedStart(long from, long to) {
        for (int k = head; k < head + count; k++) {
            if (spanForced[k] && spanEnd[k] > from && spanStart[k] < to) {
                return Math.max(spanStart[k], from);
            }
            if (spanStart[k] >= to) {
                break;
            }
        }
        return -1;
    }

    /** The span containing {@code offset}, or -1. */
    private int find(long offset) {
        int lo = head;
        int hi = head + count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (spanStart[mid] <= offset) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        int k = hi;
        if (k < head || offset >= spanEnd[k]) {
            return -1;
        }
        return k;
    }
}
