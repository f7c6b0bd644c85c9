package io.transflux.operators.redact;

/**
 * {@code PHONE}: NANP numbers with punctuation ({@code 415-555-0134}, {@code (415) 555-0134},
 * {@code 415.555.0134}, {@code 1-415-555-0134}, area and exchange codes starting 2-9) and international
 * numbers written with a leading '+' and a 1-3 digit country code (E.164 and its common groupings:
 * {@code +14155550134}, {@code +44 20 7946 0958}, {@code +33 1 23 45 67 89}, {@code +49 (0)30 1234567},
 * {@code +86 138 1234 5678}), 8 to 15 digits in all. Bare 10-digit numbers are not phones: they are
 * indistinguishable from epoch timestamps and ids.
 */
final class PhoneDetector implements EntityDetector {

    @Override
    public String entityType() {
        return "PHONE";
    }

    @Override
    public byte[] triggerBytes() {
        return ByteClass.range('0', '9', "+(");
    }

    @Override
    public boolean wordStartOnly() {
        return true;
    }

    @Override
    public int maxLookaheadBytes() {
        return 32;
    }

    @Override
    public boolean acceptsWord(int wordLength, int nextByte) {
        // NANP 415- or 1-
        if (wordLength == 0) {
            return ByteClass.digit(nextByte); // "+4", "(4"
        }
        return wordLength == 3 && (nextByte == '-' || nextByte == '.' || nextByte == ' ')
                || wordLength == 1 && (nextByte == '-' || nextByte == '.' || nextByte == ' ');
    }

    @Override
    public long find(ScanWindow w, int at) {
        int c = w.byteAt(at);
        if (c != '+' && c != '(' && !separator(w.byteAt(at + 3)) && !(c == '1' && separator(w.byteAt(at + 1)))) {
            return NO_MATCH; // NANP: "415-", "1-", "(415)"; international: "+"
        }
        if (ByteClass.continuesNumber(w, at)) {
            return NO_MATCH;
        }
        int end = c == '+' ? international(w, at) : nanp(w, at);
        return end < 0 ? NO_MATCH : EntityDetector.span(at, end);
    }

    private static boolean separator(int c) {
        return c == '-' || c == '.' || c == ' ';
    }

    private static int international(ScanWindow w, int at) {
        int i = at + 1;
        int digits = 0;
        int end = -1;
        boolean open = false;
        int groups = 0;
        while (i - at < 30) {
            int c = w.byteAt(i);
            if (c == '(' && !open && groups > 0) {
                open = true;
                i++;
                continue;
            }
            int g = i;
            while (ByteClass.digit(w.byteAt(i))) {
                i++;
            }
            int n = i - g;
            if (n == 0) {
                break;
            }
            digits += n;
            groups++;
            if (open) {
                if (w.byteAt(i) != ')') {
                    return -1;
                }
                open = false;
                i++;
                if (ByteClass.digit(w.byteAt(i))) {
                    continue; // +49 (0)30 1234567
                }
            }
            if (digits > 15) {
                return -1;
            }
            end = i;
            c = w.byteAt(i);
            if ((c == ' ' || c == '-' || c == '.') && (ByteClass.digit(w.byteAt(i + 1)) || w.byteAt(i + 1) == '(')) {
                i++;
            } else if (c != '(') {
                break;
            }
        }
        if (end < 0 || digits < 8 || ByteClass.numberGoesOn(w, end)) {
            return -1;
        }
        return end;
    }

    private static int nanp(ScanWindow w, int at) {
        int i = at;
        if (w.byteAt(i) == '1' && (w.byteAt(i + 1) == '-' || w.byteAt(i + 1) == ' ' || w.byteAt(i + 1) == '.')) {
            i += 2; // 1-415-555-0134
        }
        int sep;
        if (w.byteAt(i) == '(') {
            if (!areaCode(w, i + 1) || w.byteAt(i + 4) != ')') {
                return -1;
            }
            i += 5;
            sep = w.byteAt(i);
            if (sep == ' ' || sep == '-' || sep == '.') {
                i++;
            }
            if (!digits(w, i, 3) || !ByteClass.digit(w.byteAt(i)) || w.byteAt(i) < '2') {
                return -1;
            }
            i += 3;
            int sep2 = w.byteAt(i);
            if (sep2 != '-' && sep2 != '.' && sep2 != ' ') {
                return -1;
            }
            i++;
        } else {
            if (!areaCode(w, i)) {
                return -1;
            }
            sep = w.byteAt(i + 3);
            if (sep != '-' && sep != '.' && sep != ' ') {
                return -1;
            }
            i += 4;
            if (!digits(w, i, 3) || w.byteAt(i) < '2') {
                return -1;
            }
            i += 3;
            if (w.byteAt(i) != sep) {
                return -1;
            }
            i++;
        }
        if (!digits(w, i, 4)) {
            return -1;
        }
        i += 4;
        if (ByteClass.numberGoesOn(w, i)) {
            return -1;
        }
        return i;
    }

    private static boolean areaCode(ScanWindow w, int i) {
        return digits(w, i, 3) && w.byteAt(i) >= '2';
    }

    private static boolean digits(ScanWindow w, int i, int n) {
        for (int k = 0; k < n; k++) {
            if (!ByteClass.digit(w.byteAt(i + k))) {
                return false;
            }
        }
        return true;
    }
}
