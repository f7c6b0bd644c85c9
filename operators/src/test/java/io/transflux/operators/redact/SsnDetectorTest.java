package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SsnDetectorTest {

    private final EntityDetector detector = new SsnDetector();

    @ParameterizedTest
    @ValueSource(strings = {"123-45-6789", "078-05-1120", "123 45 6789", "899-99-9999"})
    void findsWholeEntityInContext(String entity) {
        assertThat(Scan.values(detector, "see " + entity + ", thanks")).containsExactly(entity);
        assertThat(Scan.values(detector, entity)).containsExactly(entity);
        assertThat(Scan.values(detector, "{\"v\":\"" + entity + "\"}")).containsExactly(entity);
    }

    @ParameterizedTest
    @ValueSource(strings = {"000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "123456789", "2024-05-01", "123-45-67890", "1-123-45-6789", "415-555-0134"})
    void ignoresConfusables(String text) {
        assertThat(Scan.values(detector, "x " + text + " y")).isEmpty();
    }
}
