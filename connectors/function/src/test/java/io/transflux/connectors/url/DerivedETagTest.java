package io.transflux.connectors.url;

import static org.assertj.core.api.Assertions.assertThat;

import io.transflux.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

class DerivedETagTest {

    @Test
    void sameSourceVersionAndPipelineGiveTheSameTagAndEitherChangingChangesIt() {
        Pipeline gz = Pipeline.parse("decompress/gzip");
        String t = DerivedETag.of("\"abc\"", gz);
        assertThat(t).matches("\"[0-9a-f]{32}\"").isEqualTo(DerivedETag.of("\"abc\"", Pipeline.parse("decompress/gzip")));
        assertThat(DerivedETag.of("\"abd\"", gz)).isNotEqualTo(t);
        assertThat(DerivedETag.of("\"abc\"", Pipeline.parse("decompress/zstd"))).isNotEqualTo(t);
    }

    @Test
    void theEmptyPipelineKeepsTheSourceTagAndWeakStaysWeak() {
        assertThat(DerivedETag.of("\"abc\"", Pipeline.empty())).isEqualTo("\"abc\"");
        assertThat(DerivedETag.of("W/\"abc\"", Pipeline.parse("decompress/gzip"))).startsWith("W/\"");
        assertThat(DerivedETag.of(null, Pipeline.parse("decompress/gzip"))).isNull();
    }

    @Test
    void ifNoneMatchUsesWeakComparisonListsAndStar() {
        assertThat(DerivedETag.noneMatchHits("\"x\", W/\"t\"", "\"t\"")).isTrue();
        assertThat(DerivedETag.noneMatchHits("*", "\"t\"")).isTrue();
        assertThat(DerivedETag.noneMatchHits("\"x\"", "\"t\"")).isFalse();
        assertThat(DerivedETag.noneMatchHits(null, "\"t\"")).isFalse();
    }
}
