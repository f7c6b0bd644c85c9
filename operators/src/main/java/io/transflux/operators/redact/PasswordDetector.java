package io.transflux.operators.redact;

/**
 * {@code PASSWORD}: the value of a key/value pair whose key is {@code password}, {@code passwd},
 * {@code pwd}, {@code pass} or {@code passphrase} (any case, possibly prefixed as in {@code db_password}),
 * written {@code key=value}, {@code key: value}, {@code "key": "value"} or {@code key='value'}. Only the
 * value is reported; it ends at its closing quote, or unquoted at white space, ',', ';', '&' or a quote.
 */
final class PasswordDetector implements EntityDetector {

    static final int MAX_VALUE = 128;
    private static final String[] KEYS = {"passphrase", "password", "passwd", "pass", "pwd"};

    @Override
    public String entityType() {
        return "PASSWORD";
    }

    @Override
    public byte[] triggerBytes() {
        return new byte[] {'p', 'P'};
    }

    @Override
    public boolean wordStartOnly() {
        return true;
    }

    @Override
    public int maxLookaheadBytes() {
        return 10 + 8 + MAX_VALUE + 1;
    }

    @Override
    public boolean acceptsWord(int wordLength, int nextByte) {
        // a whole key (pwd, pass, passwd, password, passphrase), then a quote, space or the separator
        return (wordLength == 3 || wordLength == 4 || wordLength == 6 || wordLength == 8 || wordLength == 10)
                && nextByte != '-' && nextByte != '.' && nextByte != '/' && nextByte != '+' && nextByte >= 0
                && !ByteClass.word(nextByte);
    }

    @Override
    public long find(ScanWindow w, int at) {
        int i = -1;
        for (String k : KEYS) {
            if (keyAt(w, at, k)) {
                i = at + k.length();
                break;
            }
        }
        if (i < 0 || ByteClass.word(w.byteAt(i))) {
            return NO_MATCH;
        }
        int keyQuote = w.byteAt(i);
        if (keyQuote == '"' || keyQuote == '\'') {
            i++;
        }
        while (w.byteAt(i) == ' ') {
            i++;
        }
        int sep = w.byteAt(i);
        if (sep != '=' && sep != ':') {
            return NO_MATCH;
        }
        i++;
        while (w.byteAt(i) == ' ') {
            i++;
        }
        int quote = w.byteAt(i);
        int s;
        int e;
        if (quote == '"' || quote == '\'') {
            s = i + 1;
            e = s;
            while (e - s <= MAX_VALUE && w.byteAt(e) != quote && w.byteAt(e) != '\\' && w.byteAt(e) >= 0
                    && w.byteAt(e) != '\n') {
                e++;
            }
            if (w.byteAt(e) != quote) {
                return NO_MATCH;
            }
        } else {
            s = i;
            e = s;
            while (e - s <= MAX_VALUE && valueChar(w.byteAt(e))) {
                e++;
            }
        }
        if (e == s || e - s > MAX_VALUE) {
            return NO_MATCH;
        }
        return EntityDetector.span(s, e);
    }

    private static boolean keyAt(ScanWindow w, int at, String key) {
        for (int k = 0; k < key.length(); k++) {
            int c = w.byteAt(at + k);
            if (c < 0 || (c | 0x20) != key.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueChar(int c) {
        return c > 0x20 && c != ',' && c != ';' && c != '&' && c != '"' && c != '\'' && c != '\\' && c != 0x7f;
    }
}
