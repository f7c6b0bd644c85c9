package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordDetectorTest {

    private final EntityDetector detector = new PasswordDetector();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "password=hunter2 user=bob|hunter2",
        "db_password: 'c0rrect horse'|c0rrect horse",
        "{\"password\":\"s3cr3t!\"}|s3cr3t!",
        "{\"Password\" : \"x y z\"}|x y z",
        "PASSWD=abc123;next|abc123",
        "login?user=a&pwd=Zz9%21&x=1|Zz9%21",
        "pass: t0p|t0p",
        "passphrase='open sesame'|open sesame",
        "passwd :hunter2|hunter2",
    })
    void findsTheValueOnly(String text, String value) {
        assertThat(Scan.values(detector, text)).containsExactly(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"password reset requested", "passwords=", "password=", "compass=north", "passage: x",
        "password: \"unterminated"})
    void ignoresKeysWithoutValues(String text) {
        assertThat(Scan.values(detector, text)).isEmpty();
    }
}
