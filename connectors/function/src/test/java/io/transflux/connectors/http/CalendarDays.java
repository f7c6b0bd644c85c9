package io.transflux.connectors.http;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/**
 * Fixed clocks for every test that writes or reads an HTTP date: one on a one-digit day and one on a
 * two-digit day, so a formatter that drops the leading zero fails on any day the suite runs, not only on
 * days 1–9 of a month.
 */
public final class CalendarDays {

    public static final Instant ONE_DIGIT_DAY = Instant.parse("2026-12-03T06:30:37Z");
    public static final Instant TWO_DIGIT_DAY = Instant.parse("2026-11-23T18:05:09Z");

    private CalendarDays() {
    }

    /** Arguments (label, clock, the IMF-fixdate that clock's instant must be written as). */
    public static Stream<Arguments> oneAndTwoDigitDays() {
        return Stream.of(
                Arguments.of("one-digit day", Clock.fixed(ONE_DIGIT_DAY, ZoneOffset.UTC), "Thu, 03 Dec 2026 06:30:37 GMT"),
                Arguments.of("two-digit day", Clock.fixed(TWO_DIGIT_DAY, ZoneOffset.UTC), "Mon, 23 Nov 2026 18:05:09 GMT"));
    }
}
