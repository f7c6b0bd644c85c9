package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.OSSObject;
import io.netty.buffer.Unpooled;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.PayloadPolicy;
import io.transflux.connectors.http.HostGuard;
import io.transflux.connectors.http.HttpSourceSpec;
import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.connectors.s3.S3ObjectLambda;
import io.transflux.connectors.s3.S3WgorClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** The OSS flavour with the unmodified {@code aliyun-sdk-oss} client, and a function behind {@code --function-url}. */
class LocalAccessPointOssAndRemoteTest {

    @TempDir
    Path root;

    private void objects() throws IOException {
        Files.createDirectories(root.resolve("bkt"));
        Files.writeString(root.resolve("bkt/hello.txt"), "hello from oss");
    }

    @Test
    void ossClientGetObjectGoesThroughTheObjectFcFlow() throws Exception {
        objects();
        try (LocalAccessPoint ap = LocalAccessPoint.builder().root(root).port(0)
                .defaultAccessPoint(AccessPointSpec.builder().flavor(Flavor.OSS).features(EnumSet.allOf(Feature.class))
                        .build())
                .start()) {
            ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
            conf.setSLDEnabled(true);
            OSS oss = new OSSClientBuilder().build(ap.endpoint(), LocalAccessPoint.DEFAULT_ACCESS_KEY_ID,
                    LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY, conf);
            try {
                OSSObject o = oss.getObject("bkt", "hello.txt");
                try (InputStream in = o.getObjectContent()) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello from oss");
                }
                assertThatThrownBy(() -> oss.getObject("bkt", "missing.txt"))
                        .isInstanceOf(OSSException.class)
                        .satisfies(e -> assertThat(((OSSException) e).getErrorCode()).isEqualTo("NoSuchKey"));
            } finally {
                oss.shutdown();
            }
            OSS wrong = new OSSClientBuilder().build(ap.endpoint(), LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, "wrong", conf);
            try {
                assertThatThrownBy(() -> wrong.getObject("bkt", "hello.txt"))
                        .isInstanceOf(OSSException.class)
                        .satisfies(e -> assertThat(((OSSException) e).getErrorCode()).isEqualTo("SignatureDoesNotMatch"));
            } finally {
                wrong.shutdown();
            }
        }
    }

    @Test
    void functionUrlReceivesTheEventAndItsWgorReachesTheCaller() throws Exception {
        objects();
        AtomicInteger invocations = new AtomicInteger();
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        ObjectLambdaFunction fn = ObjectLambdaFunction.builder().payloadPolicy(PayloadPolicy.APPLY)
                .sourceOpener(HttpSourceOpener.create(HttpSourceSpec.builder()
                        .hostGuard(HostGuard.publicOnly().allowLoopback()).build()))
                .build();
        S3ObjectLambda lambda = S3ObjectLambda.create(fn, S3WgorClient.create("us-east-1", AwsCredentials.of(
                LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY, null))
                .endpointOverride(endpoint));
        DisposableServer function = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> req.receive().aggregate().asByteArray()
                        .doOnNext(b -> invocations.incrementAndGet())
                        .flatMap(lambda::handle)
                        .flatMap(r -> res.header("Content-Type", "application/json")
                                .send(Mono.just(Unpooled.wrappedBuffer(r.replyJson().getBytes(StandardCharsets.UTF_8))))
                                .then()))
                .bindNow();
        try (LocalAccessPoint ap = LocalAccessPoint.builder().root(root).port(port)
                .functionUrl(URI.create("http://127.0.0.1:" + function.port() + "/2015-03-31/functions/f/invocations"))
                .accessPoints(List.of())
                .start()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ap.endpoint() + "/bkt/hello.txt"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from oss");
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(ap.endpoint() + "/bkt?list-type=2"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.body()).contains("<Key>hello.txt</Key>");
            // An external function handles GetObject unless configured otherwise: the listing comes from the store.
            assertThat(invocations.get()).isEqualTo(1);
        } finally {
            function.disposeNow();
        }
    }
}
