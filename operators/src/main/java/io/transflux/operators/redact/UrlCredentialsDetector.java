package io.transflux.operators.redact;

/**
 * {@code URL}: a URL whose authority carries credentials, {@code scheme://user:password@host[:port]}
 * (RFC 3986 section 3.2.1). The match runs from the scheme to the end of the authority, so the secret is
 * covered while path and query stay readable. URLs without user information are not reported.
 */
final class UrlCredentialsDetector implements EntityDetector {

    static final int MAX_SCHEME = 32;
    static final int MAX_USERINFO = 256;
    static final int MAX_HOST = 262;

    @Override
    public String entityType() {
        return "URL";
    }

    @Override
    public byte[] triggerBytes() {
        return new byte[] {':'};
    }

    @Override
    public boolean wordStartOnly() {
        return false;
    }

    @Override
    public int maxLookaheadBytes() {
        return 3 + MAX_USERINFO + MAX_HOST + 1;
    }

    @Override
    public int maxLookbehindBytes() {
        return MAX_SCHEME + 1;
    }

    @Override
    public boolean acceptsWord(int wordLength, int nextByte) {
        return nextByte == '/'; // "://"
    }

    @Override
    public long find(ScanWindow w, int at) {
        if (w.byteAt(at + 1) != '/' || w.byteAt(at + 2) != '/') {
            return NO_MATCH;
        }
        int s = at;
        while (at - s < MAX_SCHEME && schemeChar(w.byteAt(s - 1))) {
            s--;
        }
        while (s < at && !ByteClass.alpha(w.byteAt(s))) {
            s++;
        }
        if (s == at || schemeChar(w.byteAt(s - 1)) && ByteClass.alpha(w.byteAt(s - 1))) {
            return NO_MATCH;
        }
        int u = at + 3;
        int i = u;
        int at2 = -1;
        while (i - u <= MAX_USERINFO) {
            int c = w.byteAt(i);
            if (c == '@') {
                at2 = i;
            } else if (c < 0x21 || c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>'
                    || c == '\\' || c == '[' && at2 >= 0 || c == 0x7f) {
                break;
            }
            if (at2 >= 0) {
                break;
            }
            i++;
        }
        if (at2 <= u) {
            return NO_MATCH;
        }
        int h = at2 + 1;
        int e = h;
        if (w.byteAt(e) == '[') {
            while (e - h < 48 && w.byteAt(e) != ']' && w.byteAt(e) >= 0) {
                e++;
            }
            if (w.byteAt(e) != ']') {
                return NO_MATCH;
            }
            e++;
        } else {
            while (e - h < 255 && (ByteClass.word(w.byteAt(e)) || w.byteAt(e) == '-' || w.byteAt(e) == '.'
                    || w.byteAt(e) == '_' || w.byteAt(e) == '%')) {
                e++;
            }
        }
        if (e == h) {
            return NO_MATCH;
        }
        if (w.byteAt(e) == ':' && ByteClass.digit(w.byteAt(e + 1))) {
            e++;
            while (e - h < MAX_HOST && ByteClass.digit(w.byteAt(e))) {
                e++;
            }
        }
        while (w.byteAt(e - 1) == '.') {
            e--;
        }
        return EntityDetector.span(s, e);
    }

    private static boolean schemeChar(int c) {
        return ByteClass.word(c) || c == '+' || c == '-' || c == '.';
    }
}
