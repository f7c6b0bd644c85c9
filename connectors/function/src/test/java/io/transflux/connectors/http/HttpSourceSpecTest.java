package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class HttpSourceSpecTest {

    @Test
    void startsFromTheDocumentedDefaults() {
        HttpSourceSpec spec = HttpSourceSpec.defaults();

        assertThat(spec.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.responseTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.idleReadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.totalDeadline()).isEqualTo(Duration.ofSeconds(55));
        assertThat(spec.maxResumes()).isEqualTo(3);
        assertThat(spec.resumeBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(spec.maxResumeBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(spec.chunkBytes()).isEqualTo(64 * 1024);
        assertThat(spec.hostGuard()).isEqualTo(HostGuard.publicOnly());
        assertThat(spec.httpsOnly()).isFalse();
    }

    @Test
    void copiesThroughItsBuilderAndComparesByValue() {
        HttpSourceSpec spec = HttpSourceSpec.builder().totalDeadline(Duration.ofSeconds(9)).httpsOnly(true)
                .hostGuard(HostGuard.publicOnly().allowLoopback()).chunkBytes(4096).build();

        assertThat(spec.toBuilder().build()).isEqualTo(spec).hasSameHashCodeAs(spec);
        assertThat(spec.toBuilder().maxResumes(0).build()).isNotEqualTo(spec);
    }

    @Test
    void refusesOutOfRangeSettingsNamingThem() {
        assertThatThrownBy(() -> HttpSourceSpec.builder().maxResumes(11))
                .hasMessage("maxResumes: actual 11, expected [0, 10]");
        assertThatThrownBy(() -> HttpSourceSpec.builder().chunkBytes(100))
                .hasMessage("chunkBytes: actual 100, expected [512, 8388608]");
        assertThatThrownBy(() -> HttpSourceSpec.builder().idleReadTimeout(Duration.ZERO))
                .hasMessage("idleReadTimeout: actual PT0S, expected > 0");
        assertThatThrownBy(() -> HttpSourceSpec.builder().resumeBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("expected 0 <= first <= max");
    }

    @Test
    void backsOffExponentiallyWithJitterUpToTheCap() {
        ResumeState state = new ResumeState(5, Duration.ofMillis(100), Duration.ofMillis(300));

        assertThat(state.tryConsume()).isTrue();
        assertThat(state.backoff()).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(state.tryConsume()).isTrue();
        assertThat(state.backoff()).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(state.tryConsume()).isTrue();
        assertThat(state.backoff()).isBetween(Duration.ofMillis(150), Duration.ofMillis(300));
        assertThat(state.tryConsume()).isTrue();
        assertThat(state.tryConsume()).isTrue();
        assertThat(state.backoff()).isBetween(Duration.ofMillis(150), Duration.ofMillis(300));
        assertThat(state.tryConsume()).isFalse();
    }
}
