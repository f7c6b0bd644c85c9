package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneDetectorTest {

    private final EntityDetector detector = new PhoneDetector();

    @ParameterizedTest
    @ValueSource(strings = {"415-555-0134", "212-200-0000", "1.415.555.0134", "1 415 555 0134", "(415) 555-0134", "(415)555-0134", "415.555.0134", "415 555 0134", "1-415-555-0134", "+1 (415) 555-0134", "+14155550134", "+44 20 7946 0958", "+44 7911 123456", "+33 1 23 45 67 89", "+49 (0)30 1234567", "+86 138 1234 5678", "+86 13812345678", "+81 3-1234-5678", "+91 98765 43210", "+61 2 9374 4000"})
    void findsWholeEntityInContext(String entity) {
        assertThat(Scan.values(detector, "see " + entity + ", thanks")).containsExactly(entity);
        assertThat(Scan.values(detector, entity)).containsExactly(entity);
        assertThat(Scan.values(detector, "{\"v\":\"" + entity + "\"}")).containsExactly(entity);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ORD-12345678", "1700000000.028", "2024-05-01", "12:34:56", "123-45-6789", "5551234567", "415-155-0134", "112-555-0134", "415-055-0134", "2a5-555-0134", "4155-550-134", "1.2.3", "+12 34", "v2.11.0", "10.47.150.57", "4111 1111 1111 1111", "+1234567890123456"})
    void ignoresConfusables(String text) {
        assertThat(Scan.values(detector, "x " + text + " y")).isEmpty();
    }
}
