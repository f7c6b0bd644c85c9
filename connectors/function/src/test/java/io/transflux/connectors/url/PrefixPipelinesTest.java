package io.transflux.connectors.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;

import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.PipelineException;
import org.junit.jupiter.api.Test;

/** {@value UrlFunctionSpec#PIPELINES_ENV}: path prefix to pipeline, longest prefix wins, bad configs refused at start. */
class PrefixPipelinesTest {

    static Map<String, String> env(String pipelines) {
        return Map.of("TRANSFLUX_URL_BUCKETS", "data,logs", "AWS_REGION", "us-east-1", UrlFunctionSpec.PIPELINES_ENV, pipelines);
    }

    @Test
    void theLongestMatchingPrefixWinsAndUnmatchedPathsGetTheDefault() {
        UrlFunctionSpec spec = UrlFunctionSpec.fromEnvironment(env(
                "{\"data/\": \"decompress/gzip\", \"data/raw/\": \"\", \"logs/app\": \"decompress/auto\"}"));
        Pipeline dflt = Pipeline.parse("decompress/auto|redact/pii");
        assertThat(spec.pipelineFor(ObjectPath.parse("/data/x.gz", spec), dflt).toString()).isEqualTo("decompress/gzip");
        assertThat(spec.pipelineFor(ObjectPath.parse("/data/raw/x.gz", spec), dflt).toString()).isEmpty();
        assertThat(spec.pipelineFor(ObjectPath.parse("/logs/app-1.log", spec), dflt).toString()).isEqualTo("decompress/auto");
        assertThat(spec.pipelineFor(ObjectPath.parse("/logs/other.log", spec), dflt)).isSameAs(dflt);
        assertThat(spec.pipelines()).extracting(Map.Entry::getKey).containsExactly("data/raw/", "logs/app", "data/");
    }

    @Test
    void prefixesMatchTheDecodedPathWithoutTheConfiguredKeyPrefix() {
        UrlFunctionSpec spec = UrlFunctionSpec.fromEnvironment(Map.of("TRANSFLUX_URL_BUCKET", "data",
                "TRANSFLUX_URL_KEY_PREFIX", "public/", "AWS_REGION", "us-east-1",
                UrlFunctionSpec.PIPELINES_ENV, "{\"a b/\": \"decompress/gzip\"}"));
        ObjectPath p = ObjectPath.parse("/a%20b/x.gz", spec);
        assertThat(p.key()).isEqualTo("public/a b/x.gz");
        assertThat(spec.pipelineFor(p, Pipeline.empty()).toString()).isEqualTo("decompress/gzip");
        assertThat(spec.pipelineFor(ObjectPath.parse("/public/a%20b/x.gz", spec), Pipeline.empty())).isEqualTo(Pipeline.empty());
    }

    @Test
    void withoutTheVariableEveryPathGetsTheDefault() {
        UrlFunctionSpec spec = UrlFunctionSpec.builder().bucket("data").region("us-east-1").build();
        Pipeline dflt = Pipeline.parse("decompress/gzip");
        assertThat(spec.pipelineFor(ObjectPath.parse("/x", spec), dflt)).isSameAs(dflt);
        assertThat(spec.pipelines()).isEmpty();
    }

    @Test
    void notAJsonObjectIsRefusedNamingTheVariable() {
        for (String bad : new String[] {"decompress/gzip", "[\"a\"]", "{\"a/\": ", "42"}) {
            assertThatThrownBy(() -> UrlFunctionSpec.fromEnvironment(env(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(UrlFunctionSpec.PIPELINES_ENV + ": expected a JSON object");
        }
    }

    @Test
    void aValueThatIsNotASpecStringIsRefusedNamingThePrefix() {
        assertThatThrownBy(() -> UrlFunctionSpec.fromEnvironment(env("{\"logs/\": 3}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(UrlFunctionSpec.PIPELINES_ENV + ": prefix 'logs/': expected a pipeline spec string, got NUMBER");
    }

    @Test
    void emptyOrSlashLeadingPrefixesAreRefused() {
        assertThatThrownBy(() -> UrlFunctionSpec.fromEnvironment(env("{\"\": \"decompress/gzip\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a non-empty path prefix");
        assertThatThrownBy(() -> UrlFunctionSpec.fromEnvironment(env("{\"/data/\": \"decompress/gzip\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actual '/data/'")
                .hasMessageContaining("without a leading '/'");
        assertThatThrownBy(() -> UrlFunctionSpec.fromEnvironment(env("{\"a\\u0000\": \"\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
    }

    @Test
    void anUnknownStageIsThePipelinesOwnTypedError() {
        assertThatThrownBy(() -> UrlFunctionSpec.fromEnvironment(env("{\"data/\": \"no/such-stage\"}")))
                .isInstanceOf(PipelineException.class).hasMessageContaining("no/such-stage");
    }

    @Test
    void theSpecDescribesItsRoutesForTheStartUpLog() {
        UrlFunctionSpec spec = UrlFunctionSpec.builder().bucketsInPath(Set.of("data")).region("us-east-1")
                .pipelineForPrefix("data/logs/", Pipeline.parse("decompress/gzip")).build();
        assertThat(spec.toString()).contains("pipelines=[data/logs/=decompress/gzip]");
    }
}
