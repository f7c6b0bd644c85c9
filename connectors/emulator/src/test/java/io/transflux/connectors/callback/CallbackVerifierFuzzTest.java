package io.transflux.connectors.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;
import reactor.core.publisher.Mono;

/**
 * Fuzz targets for the receiving side of OSS upload callbacks. Input of {@link #verifiesOrRejects}: the raw
 * request target, the {@code authorization} header, the {@code x-oss-pub-key-url} header (one line each; an
 * empty line is absent), then the body after the next newline. The key resolver answers one fixed RSA key
 * for any allowed URL. Oracle: the verification completes or fails with {@link CallbackVerifier.Rejected},
 * nothing else, within 5 s. {@link #parsesPemOrRefuses} feeds a fetched key body to the PEM reader. Seeds in
 * {@code CallbackVerifierFuzzTestInputs/}; how to fuzz for longer: docs/fuzzing.md.
 */
class CallbackVerifierFuzzTest {

    private static final PublicKey KEY;

    static {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(1024);
            KEY = g.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final CallbackVerifier VERIFIER = CallbackVerifier.create(KeyUrlPolicy.ossOnly(), url -> Mono.just(KEY));

    @FuzzTest(maxDuration = "2m")
    void verifiesOrRejects(byte[] input) {
        if (input.length > CallbackVerifier.MAX_BODY_BYTES + 4096) {
            return;
        }
        String[] head = new String[3];
        int pos = 0;
        for (int i = 0; i < 3; i++) {
            int nl = indexOf(input, pos);
            int end = nl < 0 ? input.length : nl;
            head[i] = new String(input, pos, end - pos, StandardCharsets.UTF_8);
            pos = nl < 0 ? input.length : nl + 1;
        }
        byte[] body = Arrays.copyOfRange(input, pos, input.length);
        CallbackRequest request = new CallbackRequest(head[0], head[1].isEmpty() ? null : head[1],
                head[2].isEmpty() ? null : head[2], "application/x-www-form-urlencoded", body);

        Optional<byte[]> toSign = CallbackVerifier.stringToSign(request.rawTarget(), body);
        toSign.ifPresent(s -> assertThat(s.length).isGreaterThan(body.length));
        try {
            VERIFIER.verify(request).block(Duration.ofSeconds(5));
        } catch (CallbackVerifier.Rejected expected) {
            // the one failure the server answers with 403
        }
    }

    @FuzzTest(maxDuration = "2m")
    void parsesPemOrRefuses(byte[] pem) {
        try {
            assertThat(HttpKeyResolver.parsePem(pem).getAlgorithm()).isEqualTo("RSA");
        } catch (IllegalStateException e) {
            assertThat(e).hasMessageStartingWith("key: ");
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @org.junit.jupiter.api.Test
    void pemOfTheKeyParses() {
        assertThat(HttpKeyResolver.parsePem(HttpKeyResolver.toPem(KEY).getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(KEY);
        assertThatThrownBy(() -> HttpKeyResolver.parsePem(new byte[HttpKeyResolver.MAX_KEY_BYTES + 1]))
                .isInstanceOf(IllegalStateException.class);
    }
}
