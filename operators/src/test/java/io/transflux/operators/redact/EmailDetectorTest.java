package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailDetectorTest {

    private final EntityDetector detector = new EmailDetector();

    @ParameterizedTest
    @ValueSource(strings = {"jane.doe@example.com", "j_o-e+tag@mail.example.co.uk", "x@y.io", "CHLOE.ZHANG13@Outlook.COM", "a1@b-c.example.org"})
    void findsWholeEntityInContext(String entity) {
        assertThat(Scan.values(detector, "see " + entity + ", thanks")).containsExactly(entity);
        assertThat(Scan.values(detector, entity)).containsExactly(entity);
        assertThat(Scan.values(detector, "{\"v\":\"" + entity + "\"}")).containsExactly(entity);
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@localhost", "@example.com", "foo@bar", "a@b.c", "name@-bad.com", "version 1.2.3@4", "2024-05-01T12:34:56Z", "123e4567-e89b-12d3-a456-426614174000"})
    void ignoresConfusables(String text) {
        assertThat(Scan.values(detector, "x " + text + " y")).isEmpty();
    }
}
