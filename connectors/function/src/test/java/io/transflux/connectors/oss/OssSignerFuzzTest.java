package io.transflux.connectors.oss;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target for OSS signature verification (V1 {@code OSS id:sig} and V4 {@code OSS4-HMAC-SHA256}) as the
 * local access point runs it on object requests and WriteGetObjectResponse. Input: {@code METHOD
 * canonical-resource} then {@code Name: value} header lines (name case kept). Every key id is known (secret
 * {@value #SECRET}) except {@code UNKNOWN}. Oracle: a yes or no, never an exception. Seeds in
 * {@code OssSignerFuzzTestInputs/} (recipe in their README); how to fuzz for longer: docs/fuzzing.md.
 */
class OssSignerFuzzTest {

    static final String SECRET = "oss-fuzz-secret-0123456789";

    @FuzzTest(maxDuration = "2m")
    void verifiesOrRefusesWithoutThrowing(byte[] input) {
        if (input.length > 16 * 1024) {
            return;
        }
        Head h = Head.of(input);
        boolean object = OssSigner.verifies(h.method, h.resource, h.headers, OssSignerFuzzTest::secret);
        boolean wgor = OssSigner.verifiesWgor(h.headers, OssSignerFuzzTest::secret);
        if (object || wgor) {
            assertThat(h.headers.values()).noneMatch(v -> v.contains("OSS UNKNOWN:"));
        }
    }

    @Test
    void signedSeedVerifies() throws IOException {
        try (InputStream in = OssSignerFuzzTest.class.getResourceAsStream(
                "OssSignerFuzzTestInputs/verifiesOrRefusesWithoutThrowing/v1Get")) {
            Head h = Head.of(in.readAllBytes());
            assertThat(OssSigner.verifies(h.method, h.resource, h.headers, OssSignerFuzzTest::secret)).isTrue();
        }
    }

    private static OssCredentials secret(String id) {
        return id.equals("UNKNOWN") ? null : new OssCredentials(id, SECRET, null);
    }

    /** The input's request head. */
    record Head(String method, String resource, Map<String, String> headers) {
        static Head of(byte[] input) {
            String[] lines = new String(input, StandardCharsets.UTF_8).split("\r?\n", -1);
            String[] start = lines[0].split(" ", 2);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.merge(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim(),
                            (a, b) -> a + "," + b);
                }
            }
            return new Head(start[0], start.length > 1 ? start[1] : "/", headers);
        }
    }
}
