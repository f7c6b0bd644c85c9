package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.ObjectMetadata;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.aliyun.oss.model.PutObjectRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A {@code callbackHost} or {@code callbackUrl} holding CR/LF must not let an uploader write extra headers or a
 * second (smuggled) request to the callback target: it is 400 InvalidArgument, nothing is stored, and a real
 * callback target counts zero requests.
 */
class CallbackHeaderInjectionTest {

    @TempDir
    Path root;

    private LocalAccessPoint ap;
    private OSS oss;
    private DisposableServer target;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        Files.createDirectories(root.resolve("bkt"));
        ap = LocalAccessPoint.builder().root(root).port(0)
                .defaultAccessPoint(AccessPointSpec.builder().flavor(Flavor.OSS).features(EnumSet.allOf(Feature.class))
                        .build())
                .accessLog(line -> { })
                .start();
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setSLDEnabled(true);
        oss = new OSSClientBuilder().build(ap.endpoint(), LocalAccessPoint.DEFAULT_ACCESS_KEY_ID,
                LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY, conf);
        target = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> req.receive().then(Mono.defer(() -> {
                    received.add(req.method() + " " + req.uri() + " host=" + req.requestHeaders().get("Host"));
                    return res.status(200).header("Content-Type", "application/json")
                            .sendString(Mono.just("{\"Status\":\"OK\"}")).then();
                })))
                .bindNow(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        oss.shutdown();
        ap.close();
        target.disposeNow(Duration.ofSeconds(10));
    }

    /**
     * A put whose {@code x-oss-callback} is well-formed JSON (the SDK's own {@code Callback} does not escape CR/LF,
     * so its JSON would already be refused as malformed; an attacker writes the header directly).
     */
    private PutObjectRequest put(String key, String host) {
        ObjectNode cb = JsonNodeFactory.instance.objectNode()
                .put("callbackUrl", "http://127.0.0.1:" + target.port() + "/cb")
                .put("callbackHost", host)
                .put("callbackBody", "bucket=${bucket}&object=${object}");
        ObjectMetadata meta = new ObjectMetadata();
        meta.setHeader("x-oss-callback",
                Base64.getEncoder().encodeToString(cb.toString().getBytes(StandardCharsets.UTF_8)));
        return new PutObjectRequest("bkt", key, new ByteArrayInputStream("body".getBytes(StandardCharsets.UTF_8)), meta);
    }

    @Test
    void aCallbackHostWithCrLfIsInvalidArgumentAndTheTargetReceivesNoRequest() throws Exception {
        String smuggling = "h\r\nContent-Length: 0\r\n\r\nGET /secret-smuggled HTTP/1.1\r\nHost: h";
        assertThatThrownBy(() -> oss.putObject(put("smuggle.txt", smuggling)))
                .isInstanceOf(OSSException.class)
                .satisfies(e -> assertThat(((OSSException) e).getErrorCode()).isEqualTo("InvalidArgument"));
        Thread.sleep(300);
        assertThat(received).isEmpty();
        assertThat(root.resolve("bkt/smuggle.txt")).doesNotExist();
    }

    @Test
    void aCallbackHostWithABareLineFeedIsInvalidArgument() {
        assertThatThrownBy(() -> oss.putObject(put("lf.txt", "h\nX-Injected: 1")))
                .isInstanceOf(OSSException.class)
                .satisfies(e -> assertThat(((OSSException) e).getErrorCode()).isEqualTo("InvalidArgument"));
        assertThat(received).isEmpty();
        assertThat(root.resolve("bkt/lf.txt")).doesNotExist();
    }

    @Test
    void aPlainCallbackHostReachesTheTargetAsExactlyOneRequest() throws Exception {
        oss.putObject(put("plain.txt", "callbacks.example.com:8080"));
        assertThat(received).containsExactly("POST /cb host=callbacks.example.com:8080");
    }
}
