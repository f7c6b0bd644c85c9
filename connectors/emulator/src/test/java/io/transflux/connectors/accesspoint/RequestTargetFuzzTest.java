package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

import io.transflux.connectors.oss.OssCredentials;
import io.transflux.connectors.oss.OssSigner;
import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.connectors.s3.SigV4Check;

/**
 * Fuzz target for what the access point reads from every request before routing it: the request target's
 * percent-encoded path and query, then the signature checks over them (SigV4 header and presigned query, OSS
 * with the canonical resource of its sub-resources). Input: {@code METHOD target} then {@code Name: value}
 * lines. Oracle: a parsed request or 400 InvalidURI, then verdicts, never another exception. Seeds in
 * {@code RequestTargetFuzzTestInputs/}; how to fuzz for longer: docs/fuzzing.md.
 */
class RequestTargetFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T09:00:00Z"), ZoneOffset.UTC);

    @FuzzTest(maxDuration = "2m")
    void parsesTargetAndVerifiesOrAnswers400(byte[] input) {
        if (input.length > 16 * 1024) {
            return;
        }
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\r?\n", -1);
        String[] start = lines[0].split(" ", 2);
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> original = new LinkedHashMap<>();
        for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                String name = lines[i].substring(0, colon).trim();
                String value = lines[i].substring(colon + 1).trim();
                headers.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + "," + b);
                original.merge(name, value, (a, b) -> a + "," + b);
            }
        }
        Request r;
        try {
            r = Request.parse(start[0], start.length > 1 ? start[1] : "/", headers, original);
        } catch (PlatformError e) {
            assertThat(e.status).isEqualTo(400);
            assertThat(e.code).isEqualTo("InvalidURI");
            return;
        }
        assertThat(r.path()).isNotNull();
        String[] bucketKey = r.path().substring(Math.min(1, r.path().length())).split("/", 2);
        String resource = CallerFront.ossResource(bucketKey[0], bucketKey.length > 1 ? bucketKey[1] : "", r);
        assertThat(resource).startsWith("/");
        OssCredentials oss = new OssCredentials("LTAIfuzz", "oss-fuzz-secret-0123456789", null);
        OssSigner.verifies(r.method(), resource, r.headers(), id -> id.equals(oss.accessKeyId()) ? oss : null);
        AwsCredentials aws = AwsCredentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null);
        assertThat(SigV4Check.verifyHeader(r.method(), r.rawUri(), r.headers(), id -> aws, CLOCK)).isNotNull();
        assertThat(SigV4Check.verifyQuery(r.method(), r.rawUri(), r.headers(), id -> aws, CLOCK)).isNotNull();
    }

    @Test
    void badPercentEscapeInPathOrQueryIsInvalidUri() {
        for (String target : new String[] {"/b/%zz", "/b/k?x=%", "/b/k?%G1=v"}) {
            assertThatThrownBy(() -> Request.parse("GET", target, Map.of(), Map.of()))
                    .as(target)
                    .isInstanceOfSatisfying(PlatformError.class, e -> {
                        assertThat(e.status).isEqualTo(400);
                        assertThat(e.code).isEqualTo("InvalidURI");
                    });
        }
        assertThat(Request.parse("GET", "/b/a+b%20c?x-oss-process=image%2Finfo", Map.of(), Map.of()).path())
                .isEqualTo("/b/a+b c");
    }
}
