package io.transflux.operators.redact;

/**
 * {@code SSN}: a US Social Security number written {@code AAA-GG-SSSS} or {@code AAA GG SSSS}, with the
 * SSA's validity rules: area not 000, 666 or 900-999; group not 00; serial not 0000. Undelimited
 * nine-digit runs are not reported: they are mostly ids and ZIP+4 codes.
 */
final class SsnDetector implements EntityDetector {

    @Override
    public String entityType() {
        return "SSN";
    }

    @Override
    public byte[] triggerBytes() {
        return ByteClass.range('0', '8', "");
    }

    @Override
    public boolean wordStartOnly() {
        return true;
    }

    @Override
    public int maxLookaheadBytes() {
        return 12;
    }

    @Override
    public boolean acceptsWord(int wordLength, int nextByte) {
        // AAA- or AAA 
        return wordLength == 3 && (nextByte == '-' || nextByte == ' ');
    }

    @Override
    public long find(ScanWindow w, int at) {
        int sep = w.byteAt(at + 3);
        if (sep != '-' && sep != ' ' || ByteClass.continuesNumber(w, at)) {
            return NO_MATCH;
        }
        int area = number(w, at, 3);
        int group = number(w, at + 4, 2);
        int serial = w.byteAt(at + 6) == sep ? number(w, at + 7, 4) : -1;
        if (area < 0 || group < 0 || serial < 0) {
            return NO_MATCH;
        }
        if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
            return NO_MATCH;
        }
        if (ByteClass.numberGoesOn(w, at + 11)) {
            return NO_MATCH;
        }
        return EntityDetector.span(at, at + 11);
    }

    private static int number(ScanWindow w, int i, int n) {
        int v = 0;
        for (int k = 0; k < n; k++) {
            int c = w.byteAt(i + k);
            if (!ByteClass.digit(c)) {
                return -1;
            }
            v = v * 10 + c - '0';
        }
        return v;
    }
}
