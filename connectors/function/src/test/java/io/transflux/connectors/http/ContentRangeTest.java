package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContentRangeTest {

    @Test
    void parsesASatisfiedRange() {
        assertThat(ContentRange.parse("bytes 1048576-4194303/4194304")).isEqualTo(new ContentRange(1048576, 4194303, 4194304));
        assertThat(ContentRange.parse("Bytes 0-0/1")).isEqualTo(new ContentRange(0, 0, 1));
        assertThat(ContentRange.parse("bytes 5-9/*")).isEqualTo(new ContentRange(5, 9, ContentRange.UNKNOWN_TOTAL));
        assertThat(ContentRange.parse("bytes 8589934592-8589934599/8589934600").length()).isEqualTo(8);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "bytes", "bytes */100", "bytes 5-4/10", "bytes 0-10/10", "bytes -1-5/10", "bytes 1-2",
        "items 0-1/2", "bytes 0-1/2x", "bytes 0x1-2/3", "bytes 0-99999999999999999999/1", "bytes 1-2/-3"})
    void refusesAnythingElse(String header) {
        assertThat(ContentRange.parse(header)).isNull();
    }
}
