package io.transflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;

import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A source or WGOR endpoint with a bad certificate (issue 12 §5): the error names TLS and its cause on its
 * {@code error:} line, without {@code -Djavax.net.debug}, and is a 4xx-class refusal, not a retryable 503.
 * Certificates are made by the JDK's {@code keytool} in the test; the private CA is trusted the documented way
 * ({@code -Djavax.net.ssl.trustStore}).
 */
class TlsErrorsTest {

    @TempDir
    static Path dir;
    static DisposableServer localhost;
    static DisposableServer otherName;
    static Path trustOther;

    @BeforeAll
    static void start() throws Exception {
        Path ks1 = keystore("local", "dns:localhost,ip:127.0.0.1");
        Path ks2 = keystore("other", "dns:other.example");
        trustOther = dir.resolve("trust-other.p12");
        keytool("-exportcert", "-alias", "other", "-keystore", ks2.toString(), "-storepass", "changeit", "-rfc",
                "-file", dir.resolve("other.pem").toString());
        keytool("-importcert", "-noprompt", "-alias", "other", "-file", dir.resolve("other.pem").toString(),
                "-keystore", trustOther.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        localhost = serve(ks1);
        otherName = serve(ks2);
    }

    @AfterAll
    static void stop() {
        localhost.disposeNow();
        otherName.disposeNow();
    }

    static Path keystore(String alias, String san) throws Exception {
        Path ks = dir.resolve(alias + ".p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias,
                "-ext", "SAN=" + san, "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        return ks;
    }

    static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", args[0], out).isZero();
    }

    static DisposableServer serve(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        var ssl = SslContextBuilder.forServer(kmf).build();
        return HttpServer.create().host("127.0.0.1").port(0).secure(s -> s.sslContext(ssl))
                .handle((req, res) -> res.header("Content-Length", "5").sendString(Mono.just("hello")))
                .bindNow(Duration.ofSeconds(10));
    }

    record Result(int exit, String err) {
        /** The first line on stderr, which must be the typed error. */
        String firstLine() {
            return err.lines().findFirst().orElse("(no output)");
        }
    }

    static Result child(List<String> jvm, Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(jvm, args));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (java.io.IOException e) {
                // the child ended
            }
        });
        t.start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        t.join(10_000);
        return new Result(p.exitValue(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSelfSignedSourceIsRefusedAsUntrustedOnTheErrorLine() throws Exception {
        Result r = child(List.of("-Xmx128m"), Map.of(), "run", "--pipeline", "", "--allow-private-hosts",
                "--in", "https://127.0.0.1:" + localhost.port() + "/x", "--out", dir.resolve("o1").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().findFirst().orElse("")).as(r.err()).startsWith("error: SourceTlsFailed: ")
                .contains("TLS").contains("not trusted");
    }

    @Test
    void aTrustedCertificateForAnotherNameIsANameMismatch() throws Exception {
        Result r = child(List.of("-Xmx128m", "-Djavax.net.ssl.trustStore=" + trustOther,
                        "-Djavax.net.ssl.trustStorePassword=changeit", "-Djavax.net.ssl.trustStoreType=PKCS12"), Map.of(),
                "run", "--pipeline", "", "--allow-private-hosts",
                "--in", "https://127.0.0.1:" + otherName.port() + "/x", "--out", dir.resolve("o2").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().findFirst().orElse("")).as(r.err()).startsWith("error: SourceTlsFailed: ")
                .contains("does not match the host name");
    }

    @Test
    void invokeNamesAnUntrustedWgorEndpointAndAnUntrustedSourceWithoutAskingForARetry() throws Exception {
        DisposableServer plain = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.header("Content-Length", "5").sendString(Mono.just("hello")))
                .bindNow(Duration.ofSeconds(10));
        try {
            Map<String, String> env = Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIDTEST",
                    "AWS_SECRET_ACCESS_KEY", "secret", "AWS_ENDPOINT_URL_S3", "https://127.0.0.1:" + localhost.port());
            // The source is fine, the WGOR endpoint's certificate is not trusted.
            Result wgor = child(List.of("-Xmx128m"), env, "invoke", "--flavor", "s3", "--allow-source-host", "127.0.0.1",
                    "--event", event("http://127.0.0.1:" + plain.port() + "/k").toString());
            assertThat(wgor.exit()).isEqualTo(1);
            assertThat(wgor.firstLine()).as(wgor.err()).startsWith("error: WgorTlsUntrusted: ");

            // The WGOR endpoint is fine, the source's certificate is not trusted: a 403, which clients do not retry.
            Map<String, String> plainWgor = Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIDTEST",
                    "AWS_SECRET_ACCESS_KEY", "secret", "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + plain.port());
            Result source = child(List.of("-Xmx128m"), plainWgor, "invoke", "--flavor", "s3", "--allow-source-host",
                    "127.0.0.1", "--event", event("https://127.0.0.1:" + localhost.port() + "/k").toString());
            assertThat(source.exit()).isEqualTo(1);
            assertThat(source.firstLine()).as(source.err()).startsWith("error: SourceTlsUntrusted: ").contains("403")
                    .doesNotContain("ServiceUnavailable");
        } finally {
            plain.disposeNow();
        }
    }

    static Path event(String url) throws Exception {
        return Files.writeString(dir.resolve("event-" + System.nanoTime() + ".json"),
                "{\"xAmzRequestId\":\"r1\",\"protocolVersion\":\"1.00\",\"getObjectContext\":{\"inputS3Url\":\"" + url
                        + "\",\"outputRoute\":\"io-local-1\",\"outputToken\":\"tok\"},"
                        + "\"userRequest\":{\"url\":\"https://x/k\",\"headers\":{}}}");
    }
}
