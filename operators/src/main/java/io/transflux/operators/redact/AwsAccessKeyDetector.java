package io.transflux.operators.redact;

/**
 * {@code AWS_ACCESS_KEY}: a 20-character AWS key id, a four-letter type prefix ({@code AKIA} for
 * long-term keys, {@code ASIA} for temporary ones, and the other documented unique-id prefixes) followed
 * by 16 base32 characters (A-Z, 2-7), as a whole word.
 */
final class AwsAccessKeyDetector implements EntityDetector {

    private static final String[] PREFIXES = {
        "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ASCA", "ABIA", "ACCA",
    };

    @Override
    public String entityType() {
        return "AWS_ACCESS_KEY";
    }

    @Override
    public byte[] triggerBytes() {
        return new byte[] {'A'};
    }

    @Override
    public boolean wordStartOnly() {
        return true;
    }

    @Override
    public int maxLookaheadBytes() {
        return 21;
    }

    @Override
    public boolean acceptsWord(int wordLength, int nextByte) {
        // exactly 20 letters and digits
        return wordLength == 20;
    }

    @Override
    public long find(ScanWindow w, int at) {
        boolean prefix = false;
        for (String p : PREFIXES) {
            if (w.byteAt(at + 1) == p.charAt(1) && w.byteAt(at + 2) == p.charAt(2) && w.byteAt(at + 3) == p.charAt(3)) {
                prefix = true;
                break;
            }
        }
        if (!prefix) {
            return NO_MATCH;
        }
        for (int i = at + 4; i < at + 20; i++) {
            int c = w.byteAt(i);
            if (!ByteClass.upper(c) && !(c >= '2' && c <= '7')) {
                return NO_MATCH;
            }
        }
        if (ByteClass.word(w.byteAt(at + 20)) || w.byteAt(at - 1) == '/' || w.byteAt(at - 1) == '+') {
            return NO_MATCH;
        }
        return EntityDetector.span(at, at + 20);
    }
}
