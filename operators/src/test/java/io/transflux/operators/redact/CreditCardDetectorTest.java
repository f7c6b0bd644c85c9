package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CreditCardDetectorTest {

    private final EntityDetector detector = new CreditCardDetector();

    @ParameterizedTest
    @ValueSource(strings = {"4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "5454-1458-6850-1423", "378282246310005", "3782 822463 10005", "6011111111111117", "4222222222222", "2221000000000009", "6011534874016407"})
    void findsWholeEntityInContext(String entity) {
        assertThat(Scan.values(detector, "see " + entity + ", thanks")).containsExactly(entity);
        assertThat(Scan.values(detector, entity)).containsExactly(entity);
        assertThat(Scan.values(detector, "{\"v\":\"" + entity + "\"}")).containsExactly(entity);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111111111111112", "1234567812345678", "4111 1111-1111 1111", "41111111111111111111", "1700000000028", "4111111111111111.5", "ORD-4111111111111111x", "123e4567-e89b-12d3-a456-426614174000", "9111111111111111"})
    void ignoresConfusables(String text) {
        assertThat(Scan.values(detector, "x " + text + " y")).isEmpty();
    }
}
