package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The upload-callback parameters: transports, validation and template filling (docs/protocols.md §5.2–§5.4). */
class UploadCallbackTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Request put(Map<String, String> query, Map<String, String> headers) {
        return new Request("PUT", "/b/k", "/b/k", "/b/k", query, headers, headers);
    }

    private static final Map<String, String> SYSTEM = Map.of("bucket", "b", "object", "dir/a b.png", "etag", "e1",
            "size", "42", "mimeType", "image/png", "imageInfo.width", "", "imageInfo.height", "", "imageInfo.format", "");

    @Test
    void headerCallbackFillsAFormBodyWithUrlEncodedValues() {
        UploadCallback cb = UploadCallback.of(put(Map.of(), Map.of(
                "x-oss-callback", b64("{\"callbackUrl\":\"http://h:8080/p?q=1;http://h2/p\","
                        + "\"callbackBody\":\"object=${object}&size=${size}&v=${x:v}&w=${imageInfo.width}\"}"),
                "x-oss-callback-var", b64("{\"x:v\":\"1&2\"}"))), Map.of());
        assertThat(cb).isNotNull();
        assertThat(cb.urls()).containsExactly(URI.create("http://h:8080/p?q=1"), URI.create("http://h2/p"));
        assertThat(cb.contentType()).isEqualTo(UploadCallback.FORM);
        assertThat(cb.body(SYSTEM)).isEqualTo("object=dir%2Fa+b.png&size=42&v=1%262&w=");
    }

    @Test
    void queryCallbackWithJsonTypeSubstitutesJsonValues() {
        UploadCallback cb = UploadCallback.of(put(Map.of("callback", b64("{\"callbackUrl\":\"http://h/\","
                + "\"callbackBody\":\"{\\\"object\\\":${object},\\\"size\\\":${size},\\\"w\\\":${imageInfo.width}}\","
                + "\"callbackBodyType\":\"application/json\"}")), Map.of()), Map.of());
        assertThat(cb.contentType()).isEqualTo(UploadCallback.JSON_TYPE);
        assertThat(cb.body(SYSTEM)).isEqualTo("{\"object\":\"dir/a b.png\",\"size\":42,\"w\":\"\"}");
    }

    @Test
    void noCallbackIsNull() {
        assertThat(UploadCallback.of(put(Map.of(), Map.of()), Map.of())).isNull();
    }

    @Test
    void invalidParametersAreInvalidArgument() {
        String ok = b64("{\"callbackUrl\":\"http://h/\",\"callbackBody\":\"a=${bucket}\"}");
        Map<String, Map<String, String>> bad = new LinkedHashMap<>();
        bad.put("not base64", Map.of("x-oss-callback", "%%%"));
        bad.put("not json", Map.of("x-oss-callback", b64("nope")));
        bad.put("no url", Map.of("x-oss-callback", b64("{\"callbackBody\":\"a\"}")));
        bad.put("empty body", Map.of("x-oss-callback", b64("{\"callbackUrl\":\"http://h/\",\"callbackBody\":\"\"}")));
        bad.put("bad type", Map.of("x-oss-callback", b64("{\"callbackUrl\":\"http://h/\",\"callbackBody\":\"a\","
                + "\"callbackBodyType\":\"text/plain\"}")));
        bad.put("ftp url", Map.of("x-oss-callback", b64("{\"callbackUrl\":\"ftp://h/\",\"callbackBody\":\"a\"}")));
        bad.put("six urls", Map.of("x-oss-callback", b64("{\"callbackUrl\":\"http://a/;http://b/;http://c/;"
                + "http://d/;http://e/;http://f/\",\"callbackBody\":\"a\"}")));
        bad.put("unclosed", Map.of("x-oss-callback", b64("{\"callbackUrl\":\"http://h/\",\"callbackBody\":\"a=${b\"}")));
        bad.put("var without x:", Map.of("x-oss-callback", ok, "x-oss-callback-var", b64("{\"v\":\"1\"}")));
        bad.put("too long", Map.of("x-oss-callback", "A".repeat(UploadCallback.MAX_PARAM_BYTES + 4)));
        bad.forEach((name, headers) -> assertThatThrownBy(() -> UploadCallback.of(put(Map.of(), headers), Map.of()))
                .as(name)
                .isInstanceOfSatisfying(PlatformError.class, e -> {
                    assertThat(e.status).isEqualTo(400);
                    assertThat(e.code).isEqualTo("InvalidArgument");
                }));
        assertThatThrownBy(() -> UploadCallback.of(put(Map.of("callback", ok), Map.of("x-oss-callback", ok)), Map.of()))
                .isInstanceOfSatisfying(PlatformError.class, e -> assertThat(e.getMessage()).contains("one way only"));
    }
}
