package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.transflux.pipeline.UnsupportedFormatException;
import org.junit.jupiter.api.Test;

class JsonRedactionTest {

    private static final RedactionSpec JSON = RedactionSpec.builder().format(RedactionSpec.Format.JSON).build();

    @Test
    void redactsOnlyInsideStringValuesAndKeepsEveryOtherByte() {
        String in = "{ \"10.0.0.1\" : \"from 10.0.0.1\",\n  \"n\": 4111111111111111, \"e\":\"a@b.io\" }";
        String out = Scan.redactJson(JSON, in);
        assertThat(out).isEqualTo("{ \"10.0.0.1\" : \"from ********\",\n  \"n\": 4111111111111111, \"e\":\"******\" }");
        assertValidJson(out);
    }

    @Test
    void namedFieldsAreAlwaysRedactedWhole() {
        RedactionSpec spec = JSON.toBuilder().mode(RedactionMode.TYPE).jsonFields("user.name", "billing.*", "/a/0")
                .build();
        String in = "{\"user\":{\"name\":\"Zoë Ñúñez\",\"id\":7},\"billing\":{\"zip\":\"02139\",\"x\":[\"q\"]},"
                + "\"a\":[\"first\",\"second\"],\"name\":\"kept\"}";
        String out = Scan.redactJson(spec, in);
        assertThat(out).isEqualTo("{\"user\":{\"name\":\"[REDACTED]\",\"id\":7},\"billing\":{\"zip\":\"[REDACTED]\","
                + "\"x\":[\"[REDACTED]\"]},\"a\":[\"[REDACTED]\",\"second\"],\"name\":\"kept\"}");
        assertValidJson(out);
    }

    @Test
    void namedFieldsMatchAtAnyDepthWithDoubleStar() {
        RedactionSpec spec = JSON.toBuilder().jsonFields("**.secret").build();
        String out = Scan.redactJson(spec, "{\"a\":{\"b\":{\"secret\":\"xyz\"}},\"secret\":\"pq\"}\n");
        assertThat(out).isEqualTo("{\"a\":{\"b\":{\"secret\":\"***\"}},\"secret\":\"**\"}\n");
    }

    @Test
    void escapedQuotesAndBackslashesStayValid() {
        String in = "{\"m\":\"say \\\"hi\\\" to a@b.io\\\\n\",\"p\":\"password=\\\"x\\\"\"}";
        String out = Scan.redactJson(JSON.toBuilder().mode(RedactionMode.TYPE).build(), in);
        assertThat(out).isEqualTo("{\"m\":\"say \\\"hi\\\" to [EMAIL]\\\\n\",\"p\":\"password=\\\"x\\\"\"}");
        assertValidJson(out);
    }

    @Test
    void jsonLinesStayOneRecordPerLine() {
        String in = "{\"e\":\"a@b.io\"}\n{\"e\":\"c@d.io\"}\n[1,2]\n\"x@y.io\"\n";
        String out = Scan.redactJson(JSON, in);
        assertThat(out).isEqualTo("{\"e\":\"******\"}\n{\"e\":\"******\"}\n[1,2]\n\"******\"\n");
    }

    @Test
    void malformedJsonFailsWithOffsetByDefault() {
        assertThatThrownBy(() -> Scan.redactJson(JSON, "{\"a\":1,}"))
                .isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("malformed JSON at byte offset 7")
                .hasMessageContaining("on-malformed_text");
    }

    @Test
    void malformedJsonFallsBackToTextWhenConfigured() {
        RedactionSpec spec = JSON.toBuilder().onMalformedJson(RedactionSpec.OnMalformedJson.TEXT).build();
        assertThat(Scan.redactJson(spec, "{\"a\":\"x@y.io\"} not json: z@w.io"))
                .isEqualTo("{\"a\":\"******\"} not json: ******");
    }

    private static void assertValidJson(String s) {
        try (JsonParser p = new JsonFactory().createParser(s)) {
            while (p.nextToken() != null) {
                // consume
            }
        } catch (IOException e) {
            throw new AssertionError("invalid JSON: " + e.getMessage(), e);
        }
    }
}
