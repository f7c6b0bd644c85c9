package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.SourceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/** HEAD mode: S3 binds the method into a presigned URL, so HeadObject's URL only answers a real HEAD. */
class HttpObjectSourceHeadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<String> methods = new CopyOnWriteArrayList<>();
    private DisposableServer server;
    private HttpSourceClient client;

    @BeforeEach
    void start() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r
                        .head("/bkt/present", (req, res) -> {
                            methods.add("HEAD");
                            return res.header("Content-Length", "12345").header("ETag", "\"e1\"")
                                    .header("Content-Type", "application/gzip").header("x-amz-meta-owner", "ops").send();
                        })
                        .head("/bkt/missing", (req, res) -> {
                            methods.add("HEAD");
                            return res.status(404).send();
                        })
                        .get("/**", (req, res) -> {
                            methods.add("GET");
                            return res.status(403).sendString(reactor.core.publisher.Mono.just(
                                    "<Error><Code>SignatureDoesNotMatch</Code></Error>"));
                        }))
                .bindNow(WAIT);
        client = HttpSourceClient.create();
    }

    @AfterEach
    void stop() {
        client.dispose();
        server.disposeNow(WAIT);
    }

    private HttpObjectSource head(String path) {
        return HttpObjectSource.builder("http://127.0.0.1:" + server.port() + path + "?X-Amz-Signature=CANARY")
                .client(client)
                .spec(HttpSourceSpec.builder().hostGuard(HostGuard.publicOnly().allowLoopback()).build())
                .head()
                .build();
    }

    @Test
    void sendsAHeadAndCarriesTheMetadataWithEmptyContent() {
        ObjectStream s = head("/bkt/present").open().block(WAIT);

        assertThat(methods).containsExactly("HEAD");
        assertThat(s.metadata().contentLength()).hasValue(12345);
        assertThat(s.metadata().eTag()).isEqualTo("\"e1\"");
        assertThat(s.metadata().contentType()).isEqualTo("application/gzip");
        assertThat(s.metadata().userMetadata()).containsEntry("owner", "ops");
        StepVerifier.create(s.content()).expectComplete().verify(WAIT);
    }

    @Test
    void aMissingObjectIsATypedSourceErrorWithoutTheQuery() {
        StepVerifier.create(head("/bkt/missing").open())
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOfSatisfying(SourceException.class, se -> {
                            assertThat(se.code()).isEqualTo(ErrorCode.SOURCE_ERROR);
                            assertThat(se.status()).isEqualTo(404);
                        })
                        .hasMessageNotContaining("CANARY"))
                .verify(WAIT);
        assertThat(methods).containsExactly("HEAD");
    }
}
