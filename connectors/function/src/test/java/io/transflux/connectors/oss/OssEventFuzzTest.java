package io.transflux.connectors.oss;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.transflux.connectors.MalformedEventException;

/**
 * Fuzz target for the OSS Object FC event reader: any bytes either give an event with its three required
 * fields or fail with {@link MalformedEventException} (400 InvalidRequest), whose message never repeats the
 * output token or the source URL. Seeds in {@code OssEventFuzzTestInputs/}; how to fuzz for longer:
 * docs/fuzzing.md.
 */
class OssEventFuzzTest {

    private static final Pattern SECRET = Pattern.compile("\"(?:outputToken|inputOssUrl)\"\\s*:\\s*\"([^\"\\\\]{8,})\"");

    @FuzzTest(maxDuration = "2m")
    void readsEventOrRejectsAsMalformed(byte[] json) {
        if (json.length > OssObjectFc.MAX_EVENT_BYTES + 1) {
            return;
        }
        try {
            OssObjectFcEvent e = OssObjectFc.parse(json);
            OssObjectFcEvent.GetObjectContext g = e.getObjectContext();
            assertThat(g).isNotNull();
            assertThat(g.outputRoute()).isNotEmpty();
            assertThat(g.outputToken()).isNotEmpty();
            assertThat(g.inputOssUrl()).startsWith("http");
            assertThat(e.toString()).isNotNull();
        } catch (MalformedEventException e) {
            assertThat(e.getMessage()).isNotBlank();
            Matcher m = SECRET.matcher(new String(json, StandardCharsets.UTF_8));
            while (m.find()) {
                assertThat(e.getMessage()).doesNotContain(m.group(1));
            }
        }
    }
}
