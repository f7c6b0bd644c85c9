package io.transflux.operators.redact;

/**
 * {@code IP_ADDRESS}: dotted-quad IPv4 (each part 0-255, no leading zeros, not part of a longer dotted
 * number) and IPv6 in full, compressed ({@code ::}) and IPv4-suffixed forms (RFC 4291 section 2.2, RFC
 * 5952). A lone {@code ::} is not reported.
 */
final class IpAddressDetector implements EntityDetector {

    @Override
    public String entityType() {
        return "IP_ADDRESS";
    }

    @Override
    public byte[] triggerBytes() {
        return ByteClass.range('0', '9', "abcdefABCDEF:");
    }

    @Override
    public boolean wordStartOnly() {
        return true;
    }

    @Override
    public int maxLookaheadBytes() {
        return 46;
    }

    @Override
    public boolean acceptsWord(int wordLength, int nextByte) {
        // an IPv4 part or an IPv6 group
        if (wordLength == 0) {
            return nextByte == ':'; // "::1"
        }
        return wordLength <= 3 && nextByte == '.' || wordLength <= 4 && nextByte == ':';
    }

    @Override
    public long find(ScanWindow w, int at) {
        int c = w.byteAt(at);
        if (c == ':' && w.byteAt(at - 1) == ':') {
            return NO_MATCH;
        }
        int h = at;
        while (h - at < 5 && ByteClass.hex(w.byteAt(h))) {
            h++;
        }
        int after = w.byteAt(h);
        if (after != ':' && (after != '.' || h - at > 3)) {
            return NO_MATCH; // IPv6 groups are at most 4 hex digits and a ':'; IPv4 parts at most 3 digits and a '.'
        }
        if (ByteClass.digit(c)) {
            int end = ipv4(w, at);
            if (end > 0) {
                // A ':' after a dotted quad is a port (host:8080), never more IPv6: an embedded IPv4 ends the address.
                if (ByteClass.continuesNumber(w, at)
                        || ByteClass.word(w.byteAt(end)) || w.byteAt(end) == '.' && ByteClass.digit(w.byteAt(end + 1))) {
                    return NO_MATCH;
                }
                return EntityDetector.span(at, end);
            }
        }
        int end = ipv6(w, at);
        if (end < 0) {
            return NO_MATCH;
        }
        int p = w.byteAt(at - 1);
        if (p == ':' || p == '.' && ByteClass.hex(w.byteAt(at - 2))) {
            return NO_MATCH;
        }
        return EntityDetector.span(at, end);
    }

    /** End of a dotted quad at {@code at}, or -1. */
    static int ipv4(ScanWindow w, int at) {
        int i = at;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (w.byteAt(i) != '.') {
                    return -1;
                }
                i++;
            }
            int g = i;
            int v = 0;
            while (i - g < 3 && ByteClass.digit(w.byteAt(i))) {
                v = v * 10 + w.byteAt(i) - '0';
                i++;
            }
            int n = i - g;
            if (n == 0 || v > 255 || n > 1 && w.byteAt(g) == '0' || ByteClass.digit(w.byteAt(i))) {
                return -1;
            }
        }
        return i;
    }

    private static int ipv6(ScanWindow w, int at) {
        int i = at;
        int groups = 0;
        boolean compressed = false;
        int end = -1;
        if (w.byteAt(i) == ':') {
            if (w.byteAt(i + 1) != ':') {
                return -1;
            }
            compressed = true;
            i += 2;
            end = i;
        }
        while (groups < 8) {
            int g = i;
            while (i - g < 5 && ByteClass.hex(w.byteAt(i))) {
                i++;
            }
            int n = i - g;
            if (n == 0) {
                break;
            }
            if (n > 4) {
                return -1;
            }
            if (w.byteAt(i) == '.' && groups <= 6 && (compressed || groups == 6)) {
                int v4 = ipv4(w, g); // ::ffff:192.0.2.1
                if (v4 < 0) {
                    return -1;
                }
                groups += 2;
                i = v4;
                end = i;
                break;
            }
            groups++;
            end = i;
            if (w.byteAt(i) == ':' && w.byteAt(i + 1) == ':') {
                if (compressed) {
                    return -1;
                }
                compressed = true;
                i += 2;
                end = i;
            } else if (w.byteAt(i) == ':' && ByteClass.hex(w.byteAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        if (end < 0 || groups == 0) {
            return -1;
        }
        int next = w.byteAt(end);
        if (ByteClass.word(next) || next == ':' && (ByteClass.hex(w.byteAt(end + 1)) || w.byteAt(end + 1) == ':')
                || next == '.' && ByteClass.digit(w.byteAt(end + 1))) {
            return -1;
        }
        boolean digit = false;
        for (int k = at; k < end && !digit; k++) {
            digit = ByteClass.digit(w.byteAt(k));
        }
        if (!digit) {
            return -1; // "dead::beef", "Add::Bad": words, not addresses
        }
        if (compressed ? groups > 7 : groups != 8) {
            return -1;
        }
        return end;
    }
}
