package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.SourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SSRF and URL rules end to end: a refused URL never reaches the origin. */
class HttpObjectSourceGuardTest extends OriginTestBase {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]"})
    void refusesLoopbackWithoutTheExplicitAllowance(String host) {
        origin.otherwise(FaultOrigin.object(new byte[] {1}, ETAG));
        String url = "http://" + host + ":" + origin.port() + "/o";

        expectRefused(url, HttpSourceSpec.defaults(), "loopback");
        assertThat(origin.requests()).isEmpty();
        assertThat(origin.connectionsOpened()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/iam/", "http://10.0.0.8/o", "http://[fd00:ec2::254]/",
        "http://100.64.1.1/o", "http://0.0.0.0:80/o", "http://192.168.0.1/o"})
    void refusesMetadataAndPrivateTargetsBeforeConnecting(String url) {
        long start = System.nanoTime();

        expectRefused(url, spec(b -> b), "address is");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void connectsToLocalhostOnceLoopbackIsAllowed() {
        origin.then(FaultOrigin.object(new byte[] {5, 6}, ETAG));
        HttpObjectSource source = HttpObjectSource.builder("http://localhost:" + origin.port() + "/o")
                .client(client).spec(spec(b -> b)).build();

        assertThat(readAll(source.open().block(WAIT))).containsExactly(5, 6);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://user:secret@127.0.0.1:%d/o",
        "http://allowed.example@127.0.0.1:%d/o",
        "http://127.0.0.1:%d/o#frag",
        "http://127.0.0.1:%d\\@evil.example/o",
        "http://127.0.0.1:%d/o?a=b c",
        "ftp://127.0.0.1:%d/o",
        "file:///etc/passwd",
        "//127.0.0.1:%d/o",
        "http:///o",
    })
    void refusesUrlsBreakingTheRules(String template) {
        origin.otherwise(FaultOrigin.object(new byte[] {1}, ETAG));

        expectRefused(String.format(template, origin.port()), spec(b -> b), "refused");
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void refusesPlainHttpWhenHttpsOnly() {
        expectRefused(origin.url("/o"), spec(b -> b.httpsOnly(true)), "expected https");
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void refusesHostsOutsideThePatterns() {
        expectRefused(origin.url("/o"), spec(b -> b.hostGuard(HostGuard.publicOnly().allowLoopback()
                .allowHosts("[a-z0-9-]+\\.oss-cn-hangzhou\\.aliyuncs\\.com"))), "allowed host patterns");
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void reachesTheTlsHandshakeForHttpsAndReportsItsFailure() {
        // The origin speaks plain HTTP, so the handshake fails: what matters is a typed error that names TLS
        // (not retryable, #12 §5) rather than Reactor Netty's TLS set-up blowing up (it probes for QUIC classes).
        HttpObjectSource source = HttpObjectSource.builder("https://127.0.0.1:" + origin.port() + "/o")
                .client(client).spec(spec(b -> b.maxResumes(0))).build();

        assertThatThrownBy(() -> source.open().block(WAIT))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.code()).isEqualTo(
                        ErrorCode.SOURCE_TLS_FAILED));
    }

    private void expectRefused(String url, HttpSourceSpec spec, String reason) {
        HttpObjectSource source = HttpObjectSource.builder(url).client(client).spec(spec).build();
        assertThatThrownBy(() -> source.open().block(WAIT))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_NOT_ALLOWED);
                    assertThat(e.status()).isZero();
                    assertThat(e).hasMessageContaining(reason);
                    assertThat(e).hasMessageNotContaining("secret");
                });
    }
}
