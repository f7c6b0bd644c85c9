package io.transflux.connectors.http;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * HTTP dates (RFC 9110 §5.6.7). Every date Transflux sends ({@code Date}, {@code Last-Modified}, the OSS V1
 * string-to-sign) is written as IMF-fixdate, {@code Thu, 03 Dec 2026 06:30:37 GMT}: a two-digit day, always.
 * {@link DateTimeFormatter#RFC_1123_DATE_TIME} writes {@code 3 Dec} on days 1–9, which OSS and S3 signers do
 * not produce, so it must never be used to format. Parsing accepts the three forms a recipient must accept:
 * IMF-fixdate (with a one- or two-digit day, as RFC 1123 allows), the obsolete RFC 850 form and asctime.
 */
public final class HttpDate {

    /** IMF-fixdate; the {@code 'GMT'} literal is only correct because every instant is formatted in UTC. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** RFC 850 after its weekday, which is dropped: a two-digit year can't be checked against it. */
    private static final DateTimeFormatter RFC_850_AFTER_WEEKDAY = new DateTimeFormatterBuilder()
            .appendPattern("dd-MMM-")
            // RFC 9110: a year more than 50 years ahead means the previous century.
            .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.now(ZoneOffset.UTC).minusYears(49))
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US);
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    private HttpDate() {
    }

    /** {@code t} as IMF-fixdate, truncated to the second. */
    public static String format(Instant t) {
        return IMF_FIXDATE.format(t);
    }

    /** The instant of an HTTP date in any of the three forms, or {@code null} for absent or unparseable. */
    public static @Nullable Instant parse(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        try {
            return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException ignored) {
            // fall through to the obsolete forms
        }
        int comma = v.indexOf(", ");
        if (comma > 0) {
            try {
                return LocalDateTime.parse(v.substring(comma + 2), RFC_850_AFTER_WEEKDAY).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                // fall through
            }
        }
        try {
            return LocalDateTime.parse(v, ASCTIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
