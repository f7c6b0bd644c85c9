package io.transflux.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class ObjectMetadataTest {

    @Test
    void builderRoundTripsEveryField() {
        ObjectMetadata m = ObjectMetadata.builder()
                .contentLength(42)
                .contentType("text/plain")
                .contentEncoding("gzip")
                .eTag("\"abc\"")
                .lastModified(Instant.parse("2026-01-02T03:04:05Z"))
                .cacheControl("no-cache")
                .contentDisposition("attachment; filename=a.txt")
                .putUserMetadata("owner", "ops")
                .build();

        assertThat(m.toBuilder().build()).isEqualTo(m).hasSameHashCodeAs(m);
        assertThat(m.contentLength()).hasValue(42);
        assertThat(m.userMetadata()).containsExactly(java.util.Map.entry("owner", "ops"));
    }

    @Test
    void negativeLengthMeansUnknown() {
        assertThat(ObjectMetadata.builder().contentLength(-5).build().contentLength()).isEmpty();
        assertThat(ObjectMetadata.empty().contentLength()).isEmpty();
    }

    @Test
    void userMetadataIsImmutable() {
        ObjectMetadata m = ObjectMetadata.builder().putUserMetadata("a", "b").build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.userMetadata().put("c", "d"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
