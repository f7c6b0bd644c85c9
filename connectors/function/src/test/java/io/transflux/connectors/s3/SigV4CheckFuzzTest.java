package io.transflux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target for SigV4 verification of received requests, header ({@code Authorization}) and query
 * (presigned URL) forms. Input: a request head as text, {@code METHOD raw-uri} then {@code name: value} lines
 * (names lower-cased, repeats joined with {@code ,} as the access point does). Every key id is known (secret
 * {@value #SECRET}) except {@code UNKNOWN}, and the clock stands at {@value #NOW}, so seeds signed then reach
 * the signature comparison. Oracle: a verdict, never an exception. Seeds in {@code SigV4CheckFuzzTestInputs/}
 * (recipe in their README); how to fuzz for longer: docs/fuzzing.md.
 */
class SigV4CheckFuzzTest {

    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String NOW = "2026-12-03T09:00:00Z";
    private static final Clock CLOCK = Clock.fixed(Instant.parse(NOW), ZoneOffset.UTC);

    @FuzzTest(maxDuration = "2m")
    void verifiesOrRefusesWithAVerdict(byte[] input) {
        if (input.length > 16 * 1024) {
            return;
        }
        Request r = Request.of(input);
        check(SigV4Check.verifyHeader(r.method, r.rawUri, r.headers, SigV4CheckFuzzTest::secret, CLOCK));
        check(SigV4Check.verifyQuery(r.method, r.rawUri, r.headers, SigV4CheckFuzzTest::secret, CLOCK));
    }

    @Test
    void signedSeedsReachAValidVerdict() throws Exception {
        for (String seed : new String[] {"headerAuthGet", "headerAuthWgor"}) {
            Request r = Request.of(seed(seed));
            assertThat(SigV4Check.verifyHeader(r.method, r.rawUri, r.headers, SigV4CheckFuzzTest::secret, CLOCK).status())
                    .as(seed).isEqualTo(SigV4Check.Status.VALID);
        }
        Request r = Request.of(seed("presignedGet"));
        assertThat(SigV4Check.verifyQuery(r.method, r.rawUri, r.headers, SigV4CheckFuzzTest::secret, CLOCK).status())
                .isEqualTo(SigV4Check.Status.VALID);
    }

    private static byte[] seed(String name) throws java.io.IOException {
        try (var in = SigV4CheckFuzzTest.class.getResourceAsStream(
                "SigV4CheckFuzzTestInputs/verifiesOrRefusesWithAVerdict/" + name)) {
            return in.readAllBytes();
        }
    }

    /** The input's request head. */
    record Request(String method, String rawUri, Map<String, String> headers) {
        static Request of(byte[] input) {
            String[] lines = new String(input, StandardCharsets.UTF_8).split("\r?\n", -1);
            String[] start = lines[0].split(" ", 2);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim(), (a, b) -> a + "," + b);
                }
            }
            return new Request(start[0], start.length > 1 ? start[1] : "/", headers);
        }
    }

    private static void check(SigV4Check.Verdict v) {
        assertThat(v).isNotNull();
        assertThat(v.status()).isNotNull();
        if (v.valid()) {
            assertThat(v.accessKeyId()).isNotEqualTo("UNKNOWN");
        }
    }

    private static AwsCredentials secret(String id) {
        return id.equals("UNKNOWN") ? null : AwsCredentials.of(id, SECRET, null);
    }
}
