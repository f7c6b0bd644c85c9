package io.transflux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.transflux.connectors.MalformedEventException;

/**
 * Fuzz target for the S3 Object Lambda event reader: any bytes either give a validated event or fail with
 * {@link MalformedEventException} (400 InvalidRequest), whose message never repeats the output token or the
 * source URL. Seeds in {@code S3EventFuzzTestInputs/}; how to fuzz for longer: docs/fuzzing.md.
 */
class S3EventFuzzTest {

    private static final Pattern TOKEN = Pattern.compile("\"(?:outputToken|inputS3Url)\"\\s*:\\s*\"([^\"\\\\]{8,})\"");

    @FuzzTest(maxDuration = "2m")
    void readsEventOrRejectsAsMalformed(byte[] json) {
        if (json.length > S3Events.MAX_EVENT_BYTES + 1) {
            return;
        }
        try {
            S3Events.Parsed p = S3Events.parse(json);
            assertThat(p.kind()).isNotNull();
            assertThat(p.event().toString()).isNotNull();
        } catch (MalformedEventException e) {
            assertThat(e.getMessage()).isNotBlank();
            Matcher m = TOKEN.matcher(new String(json, StandardCharsets.UTF_8));
            while (m.find()) {
                assertThat(e.getMessage()).doesNotContain(m.group(1));
            }
        }
    }
}
