package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressDetectorTest {

    private final EntityDetector detector = new MacAddressDetector();

    @ParameterizedTest
    @ValueSource(strings = {"00:1a:2b:3c:4d:5e", "00-1A-2B-3C-4D-5E", "001a.2b3c.4d5e", "FF:FF:FF:FF:FF:FF"})
    void findsWholeEntityInContext(String entity) {
        assertThat(Scan.values(detector, "see " + entity + ", thanks")).containsExactly(entity);
        assertThat(Scan.values(detector, entity)).containsExactly(entity);
        assertThat(Scan.values(detector, "{\"v\":\"" + entity + "\"}")).containsExactly(entity);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00:1a:2b:3c:4d", "00:1a:2b:3c:4d:5e:6f", "00:1a-2b:3c:4d:5e", "12:34:56", "2001:db8::1", "zz:1a:2b:3c:4d:5e"})
    void ignoresConfusables(String text) {
        assertThat(Scan.values(detector, "x " + text + " y")).isEmpty();
    }
}
