package io.transflux.operators.redact;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes the replacement of one match. One instance per subscription: it holds a {@link Mac} in hash mode.
 * With an ASCII mask character, {@code mask} and {@code partial} replace byte for byte, so the byte length
 * (and Content-Length) is preserved; with any other mask character they replace code point for code point.
 */
final class Replacer {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final RedactionMode mode;
    private final byte[] mask;
    private final int keepLast;
    private final Set<String> allow;
    private final Mac mac;

    Replacer(RedactionSpec spec) {
        this.mode = spec.mode();
        this.mask = new String(Character.toChars(spec.maskCharacter())).getBytes(StandardCharsets.UTF_8);
        this.keepLast = spec.keepLast();
        this.allow = new HashSet<>();
        for (String a : spec.allowList()) {
            allow.add(new String(a.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        }
        if (mode == RedactionMode.HASH) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(spec.hmacKeyBytes(), "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        } else {
            mac = null;
        }
    }

    boolean allowed(byte[] b, int s, int e) {
        return !allow.isEmpty() && allow.contains(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
    }

    void write(RedactionScanner out, String type, byte[] b, int s, int e) {
        switch (mode) {
            case MASK:
                mask(out, b, s, e, false);
                break;
            case PARTIAL:
                int keepFrom = e;
                int chars = 0;
                while (keepFrom > s && chars < keepLast) {
                    keepFrom--;
                    if ((b[keepFrom] & 0xc0) != 0x80) {
                        chars++;
                    }
                }
                mask(out, b, s, keepFrom, true);
                out.write(b, keepFrom, e);
                break;
            case TYPE:
                typeTag(out, type);
                break;
            case HASH:
                mac.update(b, s, e - s);
                pseudonym(out, type);
                break;
            default:
                throw new IllegalStateException(mode.name());
        }
    }

    /** Writes part {@code [s, e)} of a named JSON field's value, which is redacted whole. */
    void writeForced(RedactionScanner out, String type, byte[] b, int s, int e, boolean first, boolean last) {
        switch (mode) {
            case MASK:
            case PARTIAL:
                mask(out, b, s, e, false);
                break;
            case TYPE:
                if (first) {
                    typeTag(out, type);
                }
                break;
            case HASH:
                mac.update(b, s, e - s);
                if (last) {
                    pseudonym(out, type);
                }
                break;
            default:
                throw new IllegalStateException(mode.name());
        }
    }

    /** {@code [TYPE]}. */
    private static void typeTag(RedactionScanner out, String type) {
        out.write('[');
        ascii(out, type);
        out.write(']');
    }

    /** {@code [TYPE:<first 64 bits of the HMAC, hex>]}, finishing the MAC fed so far. */
    private void pseudonym(RedactionScanner out, String type) {
        byte[] h = mac.doFinal();
        out.write('[');
        ascii(out, type);
        out.write(':');
        for (int i = 0; i < 8; i++) {
            out.write(HEX[(h[i] >> 4) & 0xf]);
            out.write(HEX[h[i] & 0xf]);
        }
        out.write(']');
    }

    private void mask(RedactionScanner out, byte[] b, int s, int e, boolean keepPunctuation) {
        if (!keepPunctuation && mask.length == 1) {
            out.fill(mask[0], e - s); // byte for byte
            return;
        }
        for (int i = s; i < e; i++) {
            int c = b[i] & 0xff;
            if (keepPunctuation && c < 0x80 && !ByteClass.word(c)) {
                out.write(c);
            } else if (mask.length == 1) {
                out.write(mask[0]);
            } else if ((c & 0xc0) != 0x80) {
                out.write(mask, 0, mask.length);
            }
        }
    }

    private static void ascii(RedactionScanner out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }
}
