package io.transflux.connectors.callback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A test RSA key pair (generated per run) served as PEM by a local Reactor Netty server on 127.0.0.1:
 * {@code /key.pem} (counted), {@code /redirect.pem} (302 to {@code /key.pem}) and {@code /huge.pem} (over the
 * 16 KiB cap). Signs callbacks the way OSS does.
 */
final class CallbackKeys implements AutoCloseable {

    final KeyPair pair;
    final DisposableServer server;
    final AtomicInteger keyFetches = new AtomicInteger();

    CallbackKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        pair = g.generateKeyPair();
        String pem = HttpKeyResolver.toPem(pair.getPublic());
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r
                        .get("/key.pem", (req, res) -> {
                            keyFetches.incrementAndGet();
                            return res.sendString(reactor.core.publisher.Mono.just(pem));
                        })
                        .get("/redirect.pem", (req, res) -> res.sendRedirect("/key.pem"))
                        .get("/huge.pem", (req, res) -> res.sendString(reactor.core.publisher.Mono.just(
                                pem + "x".repeat(HttpKeyResolver.MAX_KEY_BYTES)))))
                .bindNow(Duration.ofSeconds(10));
    }

    String hostAndPort() {
        return "127.0.0.1:" + server.port();
    }

    String url(String path) {
        return "http://" + hostAndPort() + path;
    }

    KeyUrlPolicy policy() {
        return KeyUrlPolicy.ossOnly().allowLocalHost(hostAndPort());
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Base64 of the MD5withRSA signature of {@code stringToSign}. */
    String sign(byte[] stringToSign) throws GeneralSecurityException {
        Signature s = Signature.getInstance("MD5withRSA");
        s.initSign(pair.getPrivate());
        s.update(stringToSign);
        return Base64.getEncoder().encodeToString(s.sign());
    }

    String sign(String stringToSign) throws GeneralSecurityException {
        return sign(stringToSign.getBytes(StandardCharsets.UTF_8));
    }

    /** A callback for {@code rawTarget} and {@code body}, signed over {@code signedText} with the key at /key.pem. */
    CallbackRequest request(String rawTarget, String body, String signedText) throws GeneralSecurityException {
        return new CallbackRequest(rawTarget, sign(signedText), b64(url("/key.pem")),
                "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
