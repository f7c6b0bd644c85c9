package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for an upload's {@code x-oss-callback} and {@code x-oss-callback-var} JSON. Input: the callback
 * JSON, then optionally a NUL byte and the callback-var JSON; the target Base64-encodes each into its header as
 * a client would, so the fuzzer mutates JSON, not Base64. Oracle: a callback with 1..5 http(s) URLs whose body
 * template fills without error, or 400 InvalidArgument; nothing else. Seeds in
 * {@code UploadCallbackFuzzTestInputs/}; how to fuzz for longer: docs/fuzzing.md.
 */
class UploadCallbackFuzzTest {

    private static final Map<String, String> SYSTEM = Map.of("bucket", "b", "object", "photos/cat.jpg", "etag",
            "\"d41d8cd98f00b204e9800998ecf8427e\"", "size", "1024", "mimeType", "image/jpeg", "imageInfo.width", "640",
            "imageInfo.height", "480");

    @FuzzTest(maxDuration = "2m")
    void acceptsWellFormedCallbackOrAnswers400(byte[] input) {
        if (input.length > 2 * UploadCallback.MAX_PARAM_BYTES) {
            return;
        }
        int nul = 0;
        while (nul < input.length && input[nul] != 0) {
            nul++;
        }
        Map<String, String> headers = new HashMap<>();
        headers.put("x-oss-callback", Base64.getEncoder().encodeToString(Arrays.copyOf(input, nul)));
        if (nul < input.length) {
            headers.put("x-oss-callback-var",
                    Base64.getEncoder().encodeToString(Arrays.copyOfRange(input, nul + 1, input.length)));
        }
        Request r = new Request("PUT", "/b/k", "/b/k", "/b/k", Map.of(), headers, headers);
        UploadCallback cb;
        try {
            cb = UploadCallback.of(r, Map.of());
        } catch (PlatformError e) {
            assertThat(e.status).isEqualTo(400);
            assertThat(e.code).isEqualTo("InvalidArgument");
            return;
        }
        assertThat(cb).isNotNull();
        assertThat(cb.urls()).hasSizeBetween(1, UploadCallback.MAX_URLS);
        for (URI u : cb.urls()) {
            assertThat(u.getScheme()).isIn("http", "https");
            assertThat(u.getHost()).isNotNull();
        }
        assertThat(cb.vars().keySet()).allMatch(k -> k.startsWith("x:"));
        String body = cb.body(SYSTEM);
        assertThat(body.getBytes(StandardCharsets.UTF_8)).isNotNull();
        assertThat(cb.contentType()).isIn(UploadCallback.FORM, UploadCallback.JSON_TYPE);
    }
}
