package io.transflux.operators.redact;

/**
 * {@code AWS_SECRET_KEY}: a 40-character secret access key, a whole token of base64 characters
 * ({@code A-Z a-z 0-9 + /}) holding upper case, lower case, and a digit, '+' or '/', not preceded by another base64
 * character nor followed by one or by '=' padding. Hex digests (no upper case) and 40-character words are excluded.
 */
final class AwsSecretKeyDetector implements EntityDetector {

    static final int LENGTH = 40;

    @Override
    public String entityType() {
        return "AWS_SECRET_KEY";
    }

    @Override
    public byte[] triggerBytes() {
        return ByteClass.range('0', '9', "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/");
    }

    @Override
    public boolean wordStartOnly() {
        return true;
    }

    @Override
    public int maxLookaheadBytes() {
        return LENGTH + 1;
    }

    @Override
    public boolean acceptsWord(int wordLength, int nextByte) {
        // a 40-character token, or its first part before a '/' or '+'
        if (wordLength == 0) {
            return ByteClass.base64(nextByte); // a key starting with '/' or '+'
        }
        return wordLength == LENGTH || wordLength < LENGTH && (nextByte == '/' || nextByte == '+');
    }

    @Override
    public long find(ScanWindow w, int at) {
        if (ByteClass.base64(w.byteAt(at + LENGTH)) || !ByteClass.base64(w.byteAt(at + LENGTH - 1))) {
            return NO_MATCH; // O(1) rejection of most tokens: the run must end exactly at 40
        }
        int prev = w.byteAt(at - 1);
        if (prev == '/' || prev == '+') {
            return NO_MATCH;
        }
        int upper = 0;
        int lower = 0;
        int digit = 0;
        int i = at;
        while (i - at <= LENGTH) {
            int c = w.byteAt(i);
            if (!ByteClass.base64(c)) {
                break;
            }
            if (ByteClass.upper(c)) {
                upper++;
            } else if (ByteClass.lower(c)) {
                lower++;
            } else {
                digit++; // a digit, '+' or '/'
            }
            i++;
        }
        if (i - at != LENGTH || w.byteAt(i) == '=' || upper == 0 || lower == 0 || digit == 0) {
            return NO_MATCH;
        }
        return EntityDetector.span(at, i);
    }
}
