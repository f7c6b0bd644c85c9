package io.transflux.operators.redact;

/**
 * {@code CREDIT_DEBIT_NUMBER}: 13 to 19 digits starting 2-6 (the issuer ranges in use), plain or in
 * groups of 3 to 6 digits separated by one kind of separator (space or '-'), passing the Luhn check; a
 * number chunked by fours may end in a shorter group ({@code 4000 4069 8076 9}).
 * When more groups follow, the longest Luhn-valid prefix ending at a group boundary is taken.
 */
final class CreditCardDetector implements EntityDetector {

    private static final int MAX_GROUPS = 8;

    @Override
    public String entityType() {
        return "CREDIT_DEBIT_NUMBER";
    }

    @Override
    public byte[] triggerBytes() {
        return ByteClass.range('2', '6', "");
    }

    @Override
    public boolean wordStartOnly() {
        return true;
    }

    @Override
    public int maxLookaheadBytes() {
        return 19 + 18 + 2;
    }

    @Override
    public boolean acceptsWord(int wordLength, int nextByte) {
        // plain 13-19 digits, or a first group of 4-6 digits
        return wordLength >= 13 && wordLength <= 19 || (wordLength >= 4 && wordLength <= 6)
                && (nextByte == ' ' || nextByte == '-');
    }

    @Override
    public long find(ScanWindow w, int at) {
        if (!ByteClass.digit(w.byteAt(at + 1)) || !ByteClass.digit(w.byteAt(at + 2))
                || !ByteClass.digit(w.byteAt(at + 3)) || ByteClass.continuesNumber(w, at)) {
            return NO_MATCH; // every accepted layout starts with four digits
        }
        int[] groupEnd = new int[MAX_GROUPS];
        int[] digitsAt = new int[MAX_GROUPS];
        int groups = 0;
        int digits = 0;
        int sep = -1;
        int i = at;
        while (groups < MAX_GROUPS) {
            int g = i;
            while (i - g <= 20 && ByteClass.digit(w.byteAt(i))) {
                i++;
            }
            int n = i - g;
            boolean byFours = groups > 0 && n >= 1 && n < 3 && allFours(groupEnd, groups, at)
                    && !(w.byteAt(i) == sep && ByteClass.digit(w.byteAt(i + 1))); // "4000 4069 8076 9" 
            if (groups > 0 && (n < 3 || n > 6) && !byFours) {
                break;
            }
            digits += n;
            if (digits > 19) {
                break;
            }
            groupEnd[groups] = i;
            digitsAt[groups] = digits;
            groups++;
            int c = w.byteAt(i);
            if (groups == 1 && n > 6) {
                break; // a long first group: the plain form, no separators
            }
            if ((c == ' ' || c == '-') && (sep < 0 || sep == c) && ByteClass.digit(w.byteAt(i + 1))) {
                sep = c;
                i++;
            } else {
                break;
            }
        }
        for (int k = groups - 1; k >= 0; k--) {
            int n = digitsAt[k];
            int end = groupEnd[k];
            if (n < 13 || n > 19) {
                continue;
            }
            if (k == groups - 1 && ByteClass.word(w.byteAt(end))) {
                continue;
            }
            if (k == 0 && groups == 1 && ByteClass.numberGoesOn(w, end)) {
                continue;
            }
            if (w.byteAt(end) == '.' && ByteClass.digit(w.byteAt(end + 1))) {
                continue;
            }
            if (luhn(w, at, end)) {
                return EntityDetector.span(at, end);
            }
        }
        return NO_MATCH;
    }

    private static boolean allFours(int[] groupEnd, int groups, int at) {
        int prev = at;
        for (int k = 0; k < groups; k++) {
            if (groupEnd[k] - prev != 4) {
                return false;
            }
            prev = groupEnd[k] + 1;
        }
        return true;
    }

    static boolean luhn(ScanWindow w, int from, int to) {
        int sum = 0;
        boolean dbl = false;
        for (int i = to - 1; i >= from; i--) {
            int c = w.byteAt(i);
            if (!ByteClass.digit(c)) {
                continue;
            }
            int d = c - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }
}
