package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.PipelineSpecException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RedactStageProviderTest {

    @ParameterizedTest
    @ValueSource(strings = {"redact/pii", "redact/detect", "redact/pii,mask-mode_type",
        "redact/pii,pii-entity-types_EMAIL+SSN,mask-mode_partial,keep-last_2",
        "redact/pii,mask-character_#,allow_10.0.0.1+a%2Bb@x.io", "redact/pii,format_json,json-fields_user.email+billing.*",
        "redact/pii,format_text", "redact/pii,format_json,on-malformed_text",
        "redact/detect,pii-entity-types_PHONE,max-spool-bytes_1048576"})
    void canonicalSpecsRoundTrip(String spec) {
        Pipeline p = Pipeline.parse(spec);
        assertThat(p.toString()).isEqualTo(spec);
        assertThat(Pipeline.parse(p.toString())).isEqualTo(p);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redact/pii,mask-mode_MASK|redact/pii",
        "redact/pii,mask-mode_REPLACE_WITH_PII_ENTITY_TYPE|redact/pii,mask-mode_type",
        "redact/pii,pii-entity-types_SSN.EMAIL|redact/pii,pii-entity-types_EMAIL+SSN",
        "redact/pii,pii-entity-types_ALL|redact/pii",
        "redact/pii,keep-last_4,format_auto|redact/pii",
    })
    void aliasesAndDefaultsNormalise(String given, String canonical) {
        assertThat(Pipeline.parse(given).toString()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redact/pii,mask-mode_blur|stage redact/pii: parameter mask-mode: actual 'blur', expected one of [hash, mask, partial, type]",
        "redact/pii,pii-entity-types_EMAIL+NAME|stage redact/pii: parameter pii-entity-types: actual 'NAME'",
        "redact/pii,keep-last_99|stage redact/pii: parameter keep-last: actual 99, expected an integer in [0, 64]",
        "redact/pii,mask-character_ab|stage redact/pii: parameter mask-character: actual 'ab'",
        "redact/pii,format_xml|stage redact/pii: parameter format: actual 'xml', expected one of [auto, json, text]",
        "redact/pii,max-spool-bytes_1|stage redact/pii: unknown parameter 'max-spool-bytes'",
        "redact/detect,mask-mode_type|stage redact/detect: unknown parameter 'mask-mode'",
        "redact/pii,mask-mode_hash|stage redact/pii: parameter mask-mode: actual 'hash', which needs an HMAC key",
    })
    void badParametersFailAtParseTimeNamingStageParameterAndAllowedValues(String spec, String message) {
        assertThatThrownBy(() -> Pipeline.parse(spec)).isInstanceOf(PipelineSpecException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void hashModeTakesTheKeyFromTheEnvironmentNeverFromTheSpec() {
        System.setProperty(RedactionSpec.HMAC_KEY_PROPERTY, "a-key-from-the-environment");
        try {
            Pipeline p = Pipeline.parse("redact/pii,mask-mode_hash");
            assertThat(p.toString()).isEqualTo("redact/pii,mask-mode_hash").doesNotContain("environment");
            String out = run(p, "x a@b.io", ObjectMetadata.empty());
            assertThat(out).matches("x \\[EMAIL:[0-9a-f]{16}\\]");
        } finally {
            System.clearProperty(RedactionSpec.HMAC_KEY_PROPERTY);
        }
    }

    @Test
    void maskKeepsContentLengthAndOtherModesDropIt() {
        ObjectMetadata m = ObjectMetadata.builder().contentLength(8).contentType("text/plain").build();
        ObjectStream in = ObjectStream.of(ByteStreams.fromBytes("x a@b.io".getBytes(StandardCharsets.UTF_8), 512), m);
        assertThat(Pipeline.parse("redact/pii").operators().get(0).apply(in).metadata().contentLength())
                .hasValue(8);
        assertThat(Pipeline.parse("redact/pii,mask-mode_type").operators().get(0).apply(in).metadata()
                .contentLength()).isEmpty();
        assertThat(Pipeline.parse("redact/detect").operators().get(0).apply(in).metadata().contentLength())
                .hasValue(8);
    }

    @Test
    void jsonContentTypeSelectsJsonModeAutomatically() {
        ObjectMetadata json = ObjectMetadata.builder().contentType("application/x-ndjson").build();
        String in = "{\"a@b.io\":\"a@b.io\"}\n";
        assertThat(run(Pipeline.parse("redact/pii"), in, json)).isEqualTo("{\"a@b.io\":\"******\"}\n");
        assertThat(run(Pipeline.parse("redact/pii"), in, ObjectMetadata.empty()))
                .isEqualTo("{\"******\":\"******\"}\n");
    }

    static String run(Pipeline p, String text, ObjectMetadata m) {
        ObjectStream in = ObjectStream.of(ByteStreams.fromBytes(text.getBytes(StandardCharsets.UTF_8), 512), m);
        byte[] out = ByteStreams.toBytes(p.apply(in).content()).block(Duration.ofSeconds(10));
        return new String(out, StandardCharsets.UTF_8);
    }
}
