package io.transflux.operators.redact;

/**
 * {@code MAC_ADDRESS}: six hex pairs separated by one kind of separator, ':' or '-'
 * ({@code 00:1A:2B:3C:4D:5E}), or three dot-separated groups of four hex digits ({@code 001a.2b3c.4d5e}).
 */
final class MacAddressDetector implements EntityDetector {

    @Override
    public String entityType() {
        return "MAC_ADDRESS";
    }

    @Override
    public byte[] triggerBytes() {
        return ByteClass.range('0', '9', "abcdefABCDEF");
    }

    @Override
    public boolean wordStartOnly() {
        return true;
    }

    @Override
    public int maxLookaheadBytes() {
        return 18;
    }

    @Override
    public boolean acceptsWord(int wordLength, int nextByte) {
        // 00: 00- 001a.
        return wordLength == 2 && (nextByte == ':' || nextByte == '-') || wordLength == 4 && nextByte == '.';
    }

    @Override
    public long find(ScanWindow w, int at) {
        int end = -1;
        int sep = w.byteAt(at + 2);
        if (sep == ':' || sep == '-') {
            end = at;
            for (int k = 0; k < 6; k++) {
                if (!ByteClass.hex(w.byteAt(end)) || !ByteClass.hex(w.byteAt(end + 1))
                        || k < 5 && w.byteAt(end + 2) != sep) {
                    return NO_MATCH;
                }
                end += k < 5 ? 3 : 2;
            }
        } else if (w.byteAt(at + 4) == '.') {
            end = at;
            for (int k = 0; k < 3; k++) {
                for (int d = 0; d < 4; d++) {
                    if (!ByteClass.hex(w.byteAt(end + d))) {
                        return NO_MATCH;
                    }
                }
                if (k < 2 && w.byteAt(end + 4) != '.') {
                    return NO_MATCH;
                }
                end += k < 2 ? 5 : 4;
            }
        } else {
            return NO_MATCH;
        }
        int next = w.byteAt(end);
        int prev = w.byteAt(at - 1);
        if (ByteClass.word(next) || (next == sep || next == '.') && ByteClass.hex(w.byteAt(end + 1))
                || (prev == sep || prev == '.') && ByteClass.hex(w.byteAt(at - 2))) {
            return NO_MATCH;
        }
        return EntityDetector.span(at, end);
    }
}
