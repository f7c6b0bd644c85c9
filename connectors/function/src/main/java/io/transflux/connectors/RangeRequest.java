package io.transflux.connectors;

import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

/**
 * A caller's {@code Range} or {@code partNumber}, applied to the <em>transformed</em> object. Offsets are
 * {@code long}. Policy (docs/protocols.md §4.3): one {@code bytes} range per request; several ranges, another
 * unit or bad syntax is 400 {@code InvalidRequest}; Range together with partNumber is 400; a range or part
 * that starts at or past the end is 416 {@code InvalidRange}.
 */
final class RangeRequest {

    /** The largest part number S3 allows. */
    static final int MAX_PART_NUMBER = 10_000;

    enum Kind { FROM_TO, FROM, SUFFIX, PART }

    final Kind kind;
    final long first;
    final long last;
    final long partSize;

    private RangeRequest(Kind kind, long first, long last, long partSize) {
        this.kind = kind;
        this.first = first;
        this.last = last;
        this.partSize = partSize;
    }

    /**
     * Parses the caller's request; null when it asked for neither.
     *
     * @throws ConnectorException 400 InvalidRequest for syntax the policy refuses
     */
    static @Nullable RangeRequest parse(@Nullable String range, @Nullable String partNumber, long partSize) {
        boolean hasRange = range != null && !range.isBlank();
        boolean hasPart = partNumber != null && !partNumber.isBlank();
        if (hasRange && hasPart) {
            throw ConnectorException.invalidRequest("Cannot specify both Range and partNumber.");
        }
        if (hasPart) {
            long n = parseDigits(partNumber.trim());
            if (n < 1 || n > MAX_PART_NUMBER) {
                throw ConnectorException.invalidRequest("partNumber must be an integer from 1 to 10000.");
            }
            // A part past Long.MAX_VALUE (only with a huge configured part size) starts after any object: 416.
            long first;
            try {
                first = Math.multiplyExact(n - 1, partSize);
            } catch (ArithmeticException e) {
                first = Long.MAX_VALUE;
            }
            long last = first > Long.MAX_VALUE - partSize + 1 ? Long.MAX_VALUE : first + partSize - 1;
            return new RangeRequest(Kind.PART, first, last, partSize);
        }
        if (!hasRange) {
            return null;
        }
        String r = range.trim();
        if (!r.regionMatches(true, 0, "bytes=", 0, 6)) {
            throw ConnectorException.invalidRequest("Only a single bytes range is supported.");
        }
        String spec = r.substring(6).trim();
        if (spec.indexOf(',') >= 0) {
            throw ConnectorException.invalidRequest("Only a single bytes range is supported.");
        }
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf('-', dash + 1) >= 0) {
            throw ConnectorException.invalidRequest("The Range header is malformed.");
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        if (a.isEmpty()) {
            long n = parseDigits(b);
            return new RangeRequest(Kind.SUFFIX, -1, n, 0);
        }
        long first = parseDigits(a);
        if (b.isEmpty()) {
            return new RangeRequest(Kind.FROM, first, -1, 0);
        }
        long last = parseDigits(b);
        if (last < first) {
            throw ConnectorException.invalidRequest("The Range header is malformed.");
        }
        return new RangeRequest(Kind.FROM_TO, first, last, 0);
    }

    private static long parseDigits(String s) {
        if (s.isEmpty() || s.length() > 19) {
            throw ConnectorException.invalidRequest("The Range header is malformed.");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw ConnectorException.invalidRequest("The Range header is malformed.");
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ConnectorException.invalidRequest("The Range header is malformed.");
        }
    }

    /** Whether serving this needs the total length before the first byte (suffix and open ranges do). */
    boolean needsTotal() {
        return kind == Kind.SUFFIX || kind == Kind.FROM;
    }

    /** The number of parts of an object of {@code total} bytes under this request's part size. */
    long partsCount(long total) {
        return total / partSize + (total % partSize == 0 ? 0 : 1);
    }

    /**
     * The slice of an object of {@code total} bytes.
     *
     * @throws ConnectorException 416 InvalidRange when the slice is empty
     */
    Slice resolve(long total) {
        long start;
        long end;
        switch (kind) {
            case SUFFIX:
                if (last == 0 || total == 0) {
                    throw unsatisfiable(OptionalLong.of(total));
                }
                start = Math.max(0, total - last);
                end = total - 1;
                break;
            case FROM:
                start = first;
                end = total - 1;
                break;
            default:
                start = first;
                end = Math.min(last, total - 1);
                break;
        }
        if (start >= total) {
            throw unsatisfiable(OptionalLong.of(total));
        }
        return new Slice(start, end - start + 1);
    }

    static ConnectorException unsatisfiable(OptionalLong total) {
        return new RangeNotSatisfiable(total);
    }

    /** {@code bytes first-last/total} or with {@code *} for an unknown total. */
    static String contentRange(long start, long length, OptionalLong total) {
        return "bytes " + start + "-" + (start + length - 1) + "/"
                + (total.isPresent() ? Long.toString(total.getAsLong()) : "*");
    }

    /** A resolved slice: {@code length} bytes from {@code start}. */
    record Slice(long start, long length) {
    }

    /** 416 InvalidRange that remembers the total for {@code Content-Range: bytes *}{@code /total}. */
    static final class RangeNotSatisfiable extends ConnectorException {
        private static final long serialVersionUID = 1L;
        private final long total;

        RangeNotSatisfiable(OptionalLong total) {
            super(416, "InvalidRange", "The requested range is not satisfiable.");
            this.total = total.orElse(-1);
        }

        OptionalLong total() {
            return total < 0 ? OptionalLong.empty() : OptionalLong.of(total);
        }
    }
}
