package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlCredentialsDetectorTest {

    private final EntityDetector detector = new UrlCredentialsDetector();

    @ParameterizedTest
    @ValueSource(strings = {"https://user:secret@example.com", "postgres://admin:p%40ss@db.internal:5432", "ftp://anonymous@ftp.example.org", "redis://:hunter2@10.0.0.5:6379"})
    void findsWholeEntityInContext(String entity) {
        assertThat(Scan.values(detector, "see " + entity + ", thanks")).containsExactly(entity);
        assertThat(Scan.values(detector, entity)).containsExactly(entity);
        assertThat(Scan.values(detector, "{\"v\":\"" + entity + "\"}")).containsExactly(entity);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/path", "mailto:someone@example.com", "https://example.com/a@b", "http://", "https://@example.com"})
    void ignoresConfusables(String text) {
        assertThat(Scan.values(detector, "x " + text + " y")).isEmpty();
    }
}
