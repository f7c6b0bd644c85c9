package io.transflux.operators.redact;

/**
 * {@code INTERNATIONAL_BANK_ACCOUNT_NUMBER}: a country code with its registered IBAN length (ISO 13616
 * registry), two check digits and the BBAN, upper case, plain or in groups of four separated by single
 * spaces, valid under the ISO 7064 mod-97-10 check.
 */
final class IbanDetector implements EntityDetector {

    /** Registered IBAN length per two-letter country code, indexed (first - 'A') * 26 + (second - 'A'); 0 = none. */
    private static final byte[] LENGTHS = new byte[26 * 26];

    /** Shortest and longest registered IBAN lengths in {@link #LENGTHS}. */
    private static final int MIN_LENGTH;
    private static final int MAX_LENGTH;

    static {
        String table = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 "
                + "EE20 EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 "
                + "JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 "
                + "PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 "
                + "VG24 XK20";
        for (String e : table.split(" ")) {
            LENGTHS[(e.charAt(0) - 'A') * 26 + e.charAt(1) - 'A'] = (byte) Integer.parseInt(e.substring(2));
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (byte n : LENGTHS) {
            if (n > 0) {
                min = Math.min(min, n);
                max = Math.max(max, n);
            }
        }
        MIN_LENGTH = min;
        MAX_LENGTH = max;
    }

    @Override
    public String entityType() {
        return "INTERNATIONAL_BANK_ACCOUNT_NUMBER";
    }

    @Override
    public byte[] triggerBytes() {
        return ByteClass.range('A', 'Z', "");
    }

    @Override
    public boolean wordStartOnly() {
        return true;
    }

    @Override
    public int maxLookaheadBytes() {
        return 34 + 8 + 1;
    }

    @Override
    public boolean acceptsWord(int wordLength, int nextByte) {
        // the whole plain IBAN (15 to 32 characters) is one word; a grouped one starts with a word of four and a space
        return wordLength >= MIN_LENGTH && wordLength <= MAX_LENGTH || wordLength == 4 && nextByte == ' ';
    }

    @Override
    public long find(ScanWindow w, int at) {
        int c0 = w.byteAt(at);
        int c1 = w.byteAt(at + 1);
        if (!ByteClass.upper(c0) || !ByteClass.upper(c1) || !ByteClass.digit(w.byteAt(at + 2)) || !ByteClass.digit(w.byteAt(at + 3))) {
            return NO_MATCH;
        }
        int length = LENGTHS[(c0 - 'A') * 26 + c1 - 'A'];
        if (length == 0) {
            return NO_MATCH;
        }
        char[] iban = new char[length];
        int n = 0;
        int i = at;
        boolean grouped = w.byteAt(at + 4) == ' ';
        while (n < length) {
            int c = w.byteAt(i);
            if (grouped && n > 0 && n % 4 == 0) {
                if (c != ' ') {
                    return NO_MATCH;
                }
                i++;
                c = w.byteAt(i);
            }
            if (!ByteClass.upper(c) && !ByteClass.digit(c)) {
                return NO_MATCH;
            }
            iban[n++] = (char) c;
            i++;
        }
        if (ByteClass.word(w.byteAt(i))) {
            return NO_MATCH;
        }
        return mod97(iban) == 1 ? EntityDetector.span(at, i) : NO_MATCH;
    }

    static int mod97(char[] iban) {
        int r = 0;
        for (int k = 0; k < iban.length; k++) {
            char c = iban[(k + 4) % iban.length];
            if (c <= '9') {
                r = (r * 10 + c - '0') % 97;
            } else {
                r = (r * 100 + c - 'A' + 10) % 97;
            }
        }
        return r;
    }
}
