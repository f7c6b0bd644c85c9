package io.transflux.operators.redact;

/**
 * {@code EMAIL}: an unquoted ASCII local part of at most 64 characters, '@', and a domain of at least two
 * dot-separated labels whose last is 2 to 63 letters (RFC 5321 section 4.5.3.1 sizes). Triggered by '@',
 * it reads the local part backwards.
 */
final class EmailDetector implements EntityDetector {

    static final int MAX_LOCAL = 64;
    static final int MAX_DOMAIN = 253;

    @Override
    public String entityType() {
        return "EMAIL";
    }

    @Override
    public byte[] triggerBytes() {
        return new byte[] {'@'};
    }

    @Override
    public boolean wordStartOnly() {
        return false;
    }

    @Override
    public int maxLookaheadBytes() {
        return MAX_DOMAIN + 2;
    }

    @Override
    public int maxLookbehindBytes() {
        return MAX_LOCAL + 1;
    }

    @Override
    public boolean acceptsWord(int wordLength, int nextByte) {
        return ByteClass.word(nextByte); // '@' then a domain
    }

    @Override
    public long find(ScanWindow w, int at) {
        int s = at;
        while (s > at - MAX_LOCAL && ByteClass.local(w.byteAt(s - 1))) {
            s--;
        }
        if (ByteClass.local(w.byteAt(s - 1))) {
            return NO_MATCH; // local part longer than 64
        }
        while (s < at && !ByteClass.word(w.byteAt(s))) {
            s++; // a local part starts with a letter or digit in practice ("...foo", "-bar")
        }
        if (s == at || w.byteAt(at - 1) == '.') {
            return NO_MATCH;
        }
        int i = at + 1;
        int end = -1;
        int labels = 0;
        boolean tldAlpha = false;
        while (i - at <= MAX_DOMAIN) {
            int labelStart = i;
            boolean alphaOnly = true;
            while (i - labelStart < 64 && (ByteClass.word(w.byteAt(i)) || w.byteAt(i) == '-')) {
                alphaOnly &= ByteClass.alpha(w.byteAt(i));
                i++;
            }
            int len = i - labelStart;
            if (len == 0 || w.byteAt(labelStart) == '-' || w.byteAt(i - 1) == '-') {
                break;
            }
            labels++;
            tldAlpha = alphaOnly && len >= 2;
            if (labels >= 2 && tldAlpha) {
                end = i;
            }
            if (w.byteAt(i) == '.' && ByteClass.word(w.byteAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        if (end < 0 || end != i || end - at - 1 > MAX_DOMAIN) {
            return NO_MATCH;
        }
        int next = w.byteAt(end);
        if (next == '-' || next == '_' || next == '@') {
            return NO_MATCH;
        }
        return EntityDetector.span(s, end);
    }
}
