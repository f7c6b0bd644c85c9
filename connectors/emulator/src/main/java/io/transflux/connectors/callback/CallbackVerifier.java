package io.transflux.connectors.callback;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

import reactor.core.publisher.Mono;

/**
 * Verifies an OSS upload callback's signature (docs/protocols.md §5.6, docs/reliability.md §9):
 * <ol>
 *   <li>Base64-decode {@code x-oss-pub-key-url}; the {@link KeyUrlPolicy} must allow it.</li>
 *   <li>Fetch the key through the {@link KeyResolver} (timeout and cache are the resolver's).</li>
 *   <li>Base64-decode {@code authorization}; its length must equal the RSA modulus length.</li>
 *   <li>String to sign: the path URL-decoded as OSS's Java and PHP samples do ({@code URLDecoder}, so
 *       {@code +} becomes a space and {@code %2F} a slash), then {@code ?} and the raw query when the query
 *       is not empty (a bare {@code ?} signs like no query, as in the Java sample), then {@code \n}, then the
 *       raw body bytes.</li>
 *   <li>{@code MD5withRSA} (PKCS#1 v1.5 over MD5: weak, but what OSS signs).</li>
 * </ol>
 * The body is capped at {@value #MAX_BODY_BYTES} bytes. Every failure is the same {@link Rejected} with no
 * input in it; a server answers it with 403 and an empty body. Immutable and thread-safe.
 */
public final class CallbackVerifier {

    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final KeyUrlPolicy policy;
    private final KeyResolver keys;

    private CallbackVerifier(KeyUrlPolicy policy, KeyResolver keys) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    public static CallbackVerifier create(KeyUrlPolicy policy, KeyResolver keys) {
        return new CallbackVerifier(policy, keys);
    }

    /** Completes when {@code request} is authentic; fails with {@link Rejected} otherwise. */
    Mono<Void> verify(CallbackRequest request) {
        return Mono.defer(() -> {
            if (request.body().length > MAX_BODY_BYTES || request.authorization() == null
                    || request.pubKeyUrl() == null) {
                return Mono.error(Rejected.INSTANCE);
            }
            Optional<byte[]> signature = base64(request.authorization());
            Optional<URI> keyUrl = base64(request.pubKeyUrl())
                    .flatMap(b -> policy.fetchUrl(new String(b, StandardCharsets.UTF_8)));
            Optional<byte[]> toSign = stringToSign(request.rawTarget(), request.body());
            if (signature.isEmpty() || keyUrl.isEmpty() || toSign.isEmpty()) {
                return Mono.error(Rejected.INSTANCE);
            }
            return keys.resolve(keyUrl.get())
                    .onErrorMap(e -> Rejected.INSTANCE)
                    .switchIfEmpty(Mono.error(Rejected.INSTANCE))
                    .flatMap(key -> check(key, toSign.get(), signature.get()) ? Mono.<Void>empty()
                            : Mono.error(Rejected.INSTANCE));
        });
    }

    /** The bytes OSS signs for {@code rawTarget} and {@code body}; empty when the target is malformed. */
    public static Optional<byte[]> stringToSign(String rawTarget, byte[] body) {
        if (rawTarget.isEmpty() || rawTarget.charAt(0) != '/') {
            return Optional.empty();
        }
        int q = rawTarget.indexOf('?');
        String rawPath = q < 0 ? rawTarget : rawTarget.substring(0, q);
        String query = q < 0 ? "" : rawTarget.substring(q + 1);
        String path;
        try {
            path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(rawTarget.length() + body.length + 2);
        out.writeBytes(path.getBytes(StandardCharsets.UTF_8));
        if (!query.isEmpty()) {
            out.write('?');
            out.writeBytes(query.getBytes(StandardCharsets.UTF_8));
        }
        out.write('\n');
        out.writeBytes(body);
        return Optional.of(out.toByteArray());
    }

    private static boolean check(PublicKey key, byte[] data, byte[] signature) {
        if (!(key instanceof RSAPublicKey rsa) || signature.length != (rsa.getModulus().bitLength() + 7) / 8) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("MD5withRSA");
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<byte[]> base64(String value) {
        try {
            return Optional.of(Base64.getDecoder().decode(value.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "CallbackVerifier{" + policy + '}';
    }

    /** The callback is not authentic. Deliberately without detail: answer 403 with an empty body. */
    public static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Rejected INSTANCE = new Rejected();

        private Rejected() {
            super("callback signature rejected", null, false, false);
        }
    }
}
