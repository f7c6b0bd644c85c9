package io.transflux.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the caller's {@code Range} and {@code partNumber}. Input: four lines, {@code Range} value,
 * {@code partNumber} value (an empty line is absent), the configured part size and the object's total length
 * (decimal; unparsable means 8 MiB and 0). Oracle: parsing fails only with 400 InvalidRequest, resolving only
 * with 416 InvalidRange, and a resolved slice lies inside the object and is not empty. Seeds in
 * {@code RangeRequestFuzzTestInputs/}; how to fuzz for longer: docs/fuzzing.md.
 */
class RangeRequestFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void parsesAndResolvesInsideTheObjectOrFailsTyped(byte[] input) {
        if (input.length > 4096) {
            return;
        }
        String[] f = new String(input, StandardCharsets.UTF_8).split("\n", -1);
        String range = field(f, 0);
        String part = field(f, 1);
        long partSize = Math.max(1, number(field(f, 2), ObjectLambdaFunction.DEFAULT_PART_SIZE));
        long total = Math.max(0, number(field(f, 3), 0));
        RangeRequest r;
        try {
            r = RangeRequest.parse(range, part, partSize);
        } catch (ConnectorException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.errorCode()).isEqualTo("InvalidRequest");
            return;
        }
        if (r == null) {
            assertThat((range == null || range.isBlank()) && (part == null || part.isBlank())).isTrue();
            return;
        }
        if (r.kind == RangeRequest.Kind.PART) {
            assertThat(r.partsCount(total)).isNotNegative();
        }
        RangeRequest.Slice s;
        try {
            s = r.resolve(total);
        } catch (ConnectorException e) {
            assertThat(e.status()).isEqualTo(416);
            assertThat(e).isInstanceOf(RangeRequest.RangeNotSatisfiable.class);
            return;
        }
        assertThat(s.start()).isNotNegative();
        assertThat(s.length()).isPositive();
        assertThat(s.start() + s.length()).isLessThanOrEqualTo(total);
        assertThat(RangeRequest.contentRange(s.start(), s.length(), java.util.OptionalLong.of(total)))
                .startsWith("bytes " + s.start() + "-");
    }

    private static String field(String[] f, int i) {
        return i < f.length && !f[i].isEmpty() ? f[i] : null;
    }

    private static long number(String s, long otherwise) {
        try {
            return s == null ? otherwise : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
