package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AwsSecretKeyDetectorTest {

    private final EntityDetector detector = new AwsSecretKeyDetector();

    @ParameterizedTest
    @ValueSource(strings = {"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"})
    void findsWholeEntityInContext(String entity) {
        assertThat(Scan.values(detector, "see " + entity + ", thanks")).containsExactly(entity);
        assertThat(Scan.values(detector, entity)).containsExactly(entity);
        assertThat(Scan.values(detector, "{\"v\":\"" + entity + "\"}")).containsExactly(entity);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE", "da39a3ee5e6b4b0d3255bfef95601890afd80709", "/api/v1/users/wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY", "ThisIsAFortyCharacterLongIdentifierNameX"})
    void ignoresConfusables(String text) {
        assertThat(Scan.values(detector, "x " + text + " y")).isEmpty();
    }
}
