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

    final EntityDetector[] detectors;
    final long[] anywhere = new long[256];
    final long[] wordStart = new long[256];
    final int lookahead;
    final int lookbehind;

    DetectorSet(List<EntityDetector> list) {
        if (list.size() > MAX_DETECTORS) {
            throw new IllegalArgumentException("detectors: actual " + list.size() + ", expected at most " + MAX_DETECTORS);
        }
        this.detectors = list.toArray(new EntityDetector[0]);
        int ahead = 1;
        int behind = 2;
        for (int d = 0; d < detectors.length; d++) {
            EntityDetector det = detectors[d];
            long[] table = det.wordStartOnly() ? wordStart : anywhere;
            for (byte b : det.triggerBytes()) {
                table[b & 0xff] |= 1L << d;
            }
            ahead = Math.max(ahead, det.maxLookaheadBytes() + 1);
            behind = Math.max(behind, det.maxLookbehindBytes() + 1);
        }
        this.lookahead = ahead;
        this.lookbehind = behind;
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
