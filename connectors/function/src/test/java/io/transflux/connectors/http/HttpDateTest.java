package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HttpDateTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.transflux.connectors.http.CalendarDays#oneAndTwoDigitDays")
    void formatsImfFixdateWithATwoDigitDay(String label, Clock clock, String expected) {
        assertThat(HttpDate.format(clock.instant())).isEqualTo(expected);
        assertThat(HttpDate.format(clock.instant()).length()).isEqualTo(29);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.transflux.connectors.http.CalendarDays#oneAndTwoDigitDays")
    void parsesWhatItFormats(String label, Clock clock, String expected) {
        assertThat(HttpDate.parse(expected)).isEqualTo(clock.instant());
    }

    @Test
    void formatDropsFractionsOfASecond() {
        assertThat(HttpDate.format(Instant.parse("2026-12-03T06:30:37.999Z"))).isEqualTo("Thu, 03 Dec 2026 06:30:37 GMT");
    }

    @Test
    void parsesTheObsoleteFormsARecipientMustAccept() {
        Instant t = Instant.parse("1994-11-06T08:49:37Z");
        assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(t);
        assertThat(HttpDate.parse("Sun, 6 Nov 1994 08:49:37 GMT")).isEqualTo(t);
        assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(t);
        assertThat(HttpDate.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(t);
    }

    @Test
    void garbageAndAbsenceParseAsNull() {
        assertThat(HttpDate.parse(null)).isNull();
        assertThat(HttpDate.parse("yesterday")).isNull();
        assertThat(HttpDate.parse("")).isNull();
    }
}
