package io.transflux.operators.redact;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The detectors of one configuration, compiled into trigger tables: for each byte value, a bit set of
 * the detectors it fires anywhere and of those it fires at a word start. Immutable and shareable.
 */
final class DetectorSet {

    /** Most detectors one configuration may hold (one bit each). */
    static final int MAX_DETECTORS = 64;

    static final int URL = 0;
    static final int EMAIL = 1;
    static final int PASSWORD = 2;
    static final int ACCESS_KEY = 3;
    static final int SECRET_KEY = 4;
    static final int IBAN = 5;
    static final int CARD = 6;
    static final int SSN = 7;
    static final int PHONE = 8;
    static final int MAC = 9;
    static final int IP = 10;
    static final int OTHER = -1;

    /** ASCII letters and digits: the bytes a word-start trigger must not follow. */
    static final boolean[] WORD = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            WORD[c] = ByteClass.word(c);
        }
    }

    /** Word lengths the built-in prefilters distinguish: 0..40, and 41 for anything longer. */
    static final int LENGTH_BUCKETS = 42;
    /** Classes of the byte after a word that the built-in prefilters distinguish. */
    private static final int[] NEXT_CLASS = new int[257];
    private static final int NEXT_CLASSES = 10;
    private static final int[] NEXT_REPRESENTATIVE = {'"', '-', '.', ' ', ':', '/', '+', -1, '0', 'a'};

    static {
        String classes = "-. :/+";
        for (int i = 0; i < classes.length(); i++) {
            NEXT_CLASS[classes.charAt(i) + 1] = i + 1;
        }
        NEXT_CLASS[0] = 7; // end of input
        for (int c = '0'; c <= '9'; c++) {
            NEXT_CLASS[c + 1] = 8;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            NEXT_CLASS[c + 1] = 9;
            NEXT_CLASS[c + 'a' - 'A' + 1] = 9;
        }
    }

    /** {@link #kind} values: a byte that triggers nothing, a letter or digit, any other trigger. */
    static final byte KIND_PLAIN = 0;
    static final byte KIND_WORD = 1;
    static final byte KIND_TRIGGER = 2;

    final EntityDetector[] detectors;
    final int[] builtIn;
    /** Per byte value: how the scanner treats it (see KIND_*). */
    final byte[] kind = new byte[256];
    /**
     * For each (word length bucket, next-byte class), the word-start detectors whose
     * {@link EntityDetector#acceptsWord} prefilter passes: built-ins precomputed, others always set
     * (they are asked directly).
     */
    final long[] wordAccept = new long[LENGTH_BUCKETS * NEXT_CLASSES];
    /** Detectors that are not built in: their prefilter is called, not tabulated. */
    final long otherDetectors;
    /** The built-in phone and IP detectors' bits (0 when absent): the scanner checks a digit word's shape for them. */
    final long phoneBit;
    final long ipBit;
    /** Whether a detector fires anywhere on a letter or digit; the scanner then cannot skip whole words. */
    final boolean anywhereOnWordBytes;
    final long[] anywhere = new long[256];
    final long[] wordStart = new long[256];
    final int lookahead;
    final int lookbehind;

    DetectorSet(List<EntityDetector> list) {
        if (list.size() > MAX_DETECTORS) {
            throw new IllegalArgumentException("detectors: actual " + list.size() + ", expected at most " + MAX_DETECTORS);
        }
        this.detectors = list.toArray(new EntityDetector[0]);
        this.builtIn = new int[detectors.length];
        int ahead = 1;
        int behind = 2;
        for (int d = 0; d < detectors.length; d++) {
            EntityDetector det = detectors[d];
            long[] table = det.wordStartOnly() ? wordStart : anywhere;
            for (byte b : det.triggerBytes()) {
                table[b & 0xff] |= 1L << d;
            }
            builtIn[d] = builtInId(det);
            ahead = Math.max(ahead, det.maxLookaheadBytes() + 1);
            behind = Math.max(behind, det.maxLookbehindBytes() + 1);
        }
        this.lookahead = ahead;
        this.lookbehind = behind;
        long others = 0;
        for (int d = 0; d < detectors.length; d++) {
            if (builtIn[d] == OTHER) {
                others |= 1L << d;
            }
        }
        this.otherDetectors = others;
        long phone = 0;
        long ip = 0;
        for (int d = 0; d < detectors.length; d++) {
            if (builtIn[d] == PHONE) {
                phone |= 1L << d;
            } else if (builtIn[d] == IP) {
                ip |= 1L << d;
            }
        }
        this.phoneBit = phone;
        this.ipBit = ip;
        for (int len = 0; len < LENGTH_BUCKETS; len++) {
            for (int k = 0; k < NEXT_CLASSES; k++) {
                long ok = others;
                for (int d = 0; d < detectors.length; d++) {
                    if (builtIn[d] != OTHER && detectors[d].acceptsWord(len, NEXT_REPRESENTATIVE[k])) {
                        ok |= 1L << d;
                    }
                }
                wordAccept[len * NEXT_CLASSES + k] = ok;
            }
        }
        boolean wordAnywhere = false;
        for (int c = 0; c < 256; c++) {
            wordAnywhere |= WORD[c] && anywhere[c] != 0;
        }
        this.anywhereOnWordBytes = wordAnywhere;
        for (int c = 0; c < 256; c++) {
            if (WORD[c] && !wordAnywhere) {
                kind[c] = KIND_WORD;
            } else if (anywhere[c] != 0 || wordStart[c] != 0) {
                kind[c] = KIND_TRIGGER;
            } else {
                kind[c] = KIND_PLAIN;
            }
        }
    }

    /** The detectors whose word prefilter passes for a word of {@code length} followed by {@code next}. */
    long wordAccept(int length, int next) {
        return wordAccept[Math.min(length, LENGTH_BUCKETS - 1) * NEXT_CLASSES + NEXT_CLASS[next + 1]];
    }

    private static int builtInId(EntityDetector d) {
        if (d instanceof UrlCredentialsDetector) {
            return URL;
        } else if (d instanceof EmailDetector) {
            return EMAIL;
        } else if (d instanceof PasswordDetector) {
            return PASSWORD;
        } else if (d instanceof AwsAccessKeyDetector) {
            return ACCESS_KEY;
        } else if (d instanceof AwsSecretKeyDetector) {
            return SECRET_KEY;
        } else if (d instanceof IbanDetector) {
            return IBAN;
        } else if (d instanceof CreditCardDetector) {
            return CARD;
        } else if (d instanceof SsnDetector) {
            return SSN;
        } else if (d instanceof PhoneDetector) {
            return PHONE;
        } else if (d instanceof MacAddressDetector) {
            return MAC;
        } else if (d instanceof IpAddressDetector) {
            return IP;
        }
        return OTHER;
    }

    /** The built-in detectors, in a fixed order, restricted to {@code types} (all when empty). */
    static List<EntityDetector> builtIns(Set<String> types) {
        List<EntityDetector> all = List.of(new UrlCredentialsDetector(), new EmailDetector(), new PasswordDetector(),
                new AwsAccessKeyDetector(), new AwsSecretKeyDetector(), new IbanDetector(), new CreditCardDetector(),
                new SsnDetector(), new PhoneDetector(), new MacAddressDetector(), new IpAddressDetector());
        List<EntityDetector> out = new ArrayList<>();
        for (EntityDetector d : all) {
            if (types.isEmpty() || types.contains(d.entityType())) {
                out.add(d);
            }
        }
        return out;
    }
}
