package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RedactionModesTest {

    private static final byte[] KEY = "0123456789abcdef-key".getBytes(StandardCharsets.US_ASCII);

    @Test
    void maskReplacesEveryByteWithTheMaskCharacter() {
        assertThat(Scan.redact(RedactionSpec.defaults(), "mail jane@example.com now"))
                .isEqualTo("mail **************** now");
    }

    @Test
    void maskWithNonAsciiCharacterReplacesPerCodePoint() {
        RedactionSpec spec = RedactionSpec.builder().maskCharacter(0x2588).build();
        assertThat(Scan.redact(spec, "ip 10.0.0.1")).isEqualTo("ip ████████");
        assertThat(spec.preservesByteLength()).isFalse();
    }

    @Test
    void typeModeWritesTheEntityType() {
        RedactionSpec spec = RedactionSpec.builder().mode(RedactionMode.TYPE).build();
        assertThat(Scan.redact(spec, "card 4111 1111 1111 1111, ssn 123-45-6789"))
                .isEqualTo("card [CREDIT_DEBIT_NUMBER], ssn [SSN]");
    }

    @Test
    void hashModeIsStableAcrossObjectsAndDependsOnTheKey() {
        RedactionSpec spec = RedactionSpec.builder().mode(RedactionMode.HASH).hmacKey(KEY).build();
        String a = Scan.redact(spec, "from jane@example.com");
        String b = Scan.redact(spec, "to: jane@example.com!");
        assertThat(a).matches("from \\[EMAIL:[0-9a-f]{16}\\]");
        assertThat(a.substring(5)).isEqualTo(b.substring(4, b.length() - 1));
        RedactionSpec other = spec.toBuilder().hmacKey("another-key-of-16+bytes".getBytes(StandardCharsets.US_ASCII))
                .build();
        assertThat(Scan.redact(other, "from jane@example.com")).isNotEqualTo(a);
        assertThat(Scan.redact(spec, "from john@example.com")).isNotEqualTo(a);
    }

    @Test
    void partialKeepsTheLastCharactersAndPunctuation() {
        RedactionSpec spec = RedactionSpec.builder().mode(RedactionMode.PARTIAL).build();
        assertThat(Scan.redact(spec, "card 4111-1111-1111-1111.")).isEqualTo("card ****-****-****-1111.");
        RedactionSpec two = spec.toBuilder().keepLast(2).build();
        assertThat(Scan.redact(two, "ssn 123-45-6789")).isEqualTo("ssn ***-**-**89");
    }

    @Test
    void allowListedValuesAreNeverRedacted() {
        RedactionSpec spec = RedactionSpec.builder().allow("support@example.com").build();
        assertThat(Scan.redact(spec, "support@example.com and jane@example.com"))
                .isEqualTo("support@example.com and ****************");
    }

    @Test
    void entityTypeSelectionLeavesOtherTypes() {
        RedactionSpec spec = RedactionSpec.builder().entityTypes("SSN").build();
        assertThat(Scan.redact(spec, "jane@example.com 123-45-6789")).isEqualTo("jane@example.com ***********");
    }

    @Test
    void invalidUtf8PassesThroughByteForByte() {
        byte[] in = {(byte) 0xff, 'a', (byte) 0xc3, ' ', 'x', '@', 'y', '.', 'i', 'o', ' ', (byte) 0xe2, (byte) 0x82};
        byte[] out = Scan.redact(RedactionSpec.defaults(), false, in, new int[] {2, 3, 12}, 512);
        byte[] expected = in.clone();
        for (int i = 4; i < 10; i++) {
            expected[i] = '*';
        }
        assertThat(out).isEqualTo(expected);
    }

    @Test
    void multiByteTextAroundMatchesIsKept() {
        assertThat(Scan.redact(RedactionSpec.defaults(), "電話 +86 138 1234 5678 Zoë"))
                .isEqualTo("電話 ***************** Zoë");
    }

    @Test
    void userDetectorsRunBesideTheBuiltIns() {
        EntityDetector orderIds = new EntityDetector() {
            @Override
            public String entityType() {
                return "ORDER_ID";
            }

            @Override
            public byte[] triggerBytes() {
                return new byte[] {'O'};
            }

            @Override
            public boolean wordStartOnly() {
                return true;
            }

            @Override
            public int maxLookaheadBytes() {
                return 12;
            }

            @Override
            public long find(ScanWindow w, int at) {
                return w.byteAt(at + 1) == 'R' && w.byteAt(at + 2) == 'D' && w.byteAt(at + 3) == '-'
                        ? EntityDetector.span(at, at + 12) : NO_MATCH;
            }
        };
        RedactionSpec spec = RedactionSpec.builder().mode(RedactionMode.TYPE).addDetector(orderIds).build();
        assertThat(Scan.redact(spec, "ORD-12345678 by a@b.io")).isEqualTo("[ORDER_ID] by [EMAIL]");
    }
}
