package io.transflux.connectors.accesspoint;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;

import io.netty.buffer.Unpooled;
import io.transflux.connectors.callback.CallbackVerifier;
import io.transflux.connectors.callback.HttpKeyResolver;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends upload callbacks as OSS does (docs/protocols.md §5.5): {@code POST} to each {@code callbackUrl} in turn until
 * one answers 200, with the filled body, {@code authorization} = Base64 of the {@code MD5withRSA} signature over
 * {@link CallbackVerifier#stringToSign} (the receiving side's own definition, so both agree) and
 * {@code x-oss-pub-key-url} = Base64 of {@link #KEY_PATH} on this access point, which serves the PEM of an RSA
 * key pair generated at start-up. The whole exchange has the access point's callback timeout (OSS: 5 s); the answer is capped at
 * {@value #MAX_ANSWER_BYTES} bytes.
 */
final class CallbackSender {

    /** Where the public key is served: one segment, so {@code KeyUrlPolicy} accepts it; not a bucket name. */
    static final String KEY_PATH = "/transflux_callback_pub_key.pem";
    static final int MAX_ANSWER_BYTES = 1024 * 1024;
    static final int KEY_BITS = 2048;

    private final KeyPair keys;
    private final byte[] pem;
    private final Duration timeout;
    private final ConnectionProvider pool;
    private final HttpClient client;

    CallbackSender(Duration timeout) {
        this.timeout = timeout;
        this.pool = ConnectionProvider.builder("transflux-callbacks").maxConnections(16)
                .pendingAcquireTimeout(timeout).build();
        this.client = HttpClient.create(pool).followRedirect(false).responseTimeout(timeout);
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(KEY_BITS);
            this.keys = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation is part of every JDK", e);
        }
        this.pem = HttpKeyResolver.toPem(keys.getPublic()).getBytes(StandardCharsets.US_ASCII);
    }

    /** The PEM the key URL serves. */
    byte[] pem() {
        return pem.clone();
    }

    /** The callback server's answer. */
    record Answer(int status, String contentType, byte[] body) {
    }

    /** Posts {@code body}; fails (error or timeout) when no URL answers 200 within the timeout. */
    Mono<Answer> send(UploadCallback cb, String body, String endpoint) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String keyUrl = Base64.getEncoder().encodeToString((endpoint + KEY_PATH).getBytes(StandardCharsets.UTF_8));
        return Flux.fromIterable(cb.urls())
                .concatMap(u -> post(u, cb, bytes, keyUrl).onErrorResume(e -> Mono.empty()))
                .filter(a -> a.status() == 200)
                .next()
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("no callback URL answered 200")))
                .timeout(timeout);
    }

    private Mono<Answer> post(URI url, UploadCallback cb, byte[] body, String keyUrl) {
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        String signature = sign(CallbackVerifier.stringToSign(target, body)
                .orElseThrow(() -> new IllegalStateException("callbackUrl: path does not start with /")));
        String hostHeader = cb.host() != null ? cb.host() : url.getRawAuthority();
        if (!UploadCallback.headerSafe(hostHeader) || !UploadCallback.headerSafe(target)) {
            // UploadCallback checked these already; never let a line break reach the wire
            return Mono.error(new IllegalStateException("callback: header value with a control character"));
        }
        return client.headers(h -> h.set("Host", hostHeader).set("Content-Type", cb.contentType())
                        .set("Content-Length", Integer.toString(body.length)).set("authorization", signature)
                        .set("x-oss-pub-key-url", keyUrl))
                .post()
                .uri(url.getScheme() + "://" + url.getRawAuthority() + target)
                .send(Mono.just(Unpooled.wrappedBuffer(body)))
                .response((res, content) -> content.asByteArray()
                        .reduce(new ByteArrayOutputStream(), (acc, b) -> {
                            if (acc.size() + b.length > MAX_ANSWER_BYTES) {
                                throw new IllegalStateException("callback answer over " + MAX_ANSWER_BYTES + " bytes");
                            }
                            acc.writeBytes(b);
                            return acc;
                        })
                        .map(acc -> new Answer(res.status().code(),
                                res.responseHeaders().get("Content-Type", "application/json"), acc.toByteArray())))
                .next();
    }

    private String sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("MD5withRSA");
            s.initSign(keys.getPrivate());
            s.update(data);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5withRSA is part of every JDK", e);
        }
    }

    /** Releases the connection pool. */
    void close() {
        pool.dispose();
    }

    @Override
    public String toString() {
        return "CallbackSender{" + KEY_PATH + ", timeout=" + timeout + '}';
    }
}
