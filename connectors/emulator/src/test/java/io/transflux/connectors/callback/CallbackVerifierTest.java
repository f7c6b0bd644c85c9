package io.transflux.connectors.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Callback signature verification (docs/protocols.md §5.6, docs/reliability.md §9) with a test key pair served by a
 * local key server on an allowed local host.
 */
class CallbackVerifierTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static CallbackKeys keys;
    static CallbackVerifier verifier;

    @BeforeAll
    static void start() throws Exception {
        keys = new CallbackKeys();
        verifier = CallbackVerifier.create(keys.policy(), HttpKeyResolver.create());
    }

    @AfterAll
    static void stop() {
        keys.close();
    }

    static void accepted(CallbackRequest r) {
        verifier.verify(r).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
    }

    static void rejected(CallbackRequest r) {
        rejected(verifier, r);
    }

    static void rejected(CallbackVerifier v, CallbackRequest r) {
        v.verify(r).as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(CallbackVerifier.Rejected.class)
                        .hasMessage("callback signature rejected"))
                .verify(TIMEOUT);
    }

    @Test
    void stringToSignMatchesTheDocumentedExample() {
        byte[] s = CallbackVerifier.stringToSign("/index.php?id=1&index=2",
                "bucket=yonghu-test".getBytes(StandardCharsets.UTF_8)).orElseThrow();

        assertThat(new String(s, StandardCharsets.UTF_8)).isEqualTo("/index.php?id=1&index=2\nbucket=yonghu-test");
    }

    @Test
    void acceptsTheDocumentedExampleSignedWithTheServedKey() throws Exception {
        accepted(keys.request("/index.php?id=1&index=2", "bucket=yonghu-test",
                "/index.php?id=1&index=2\nbucket=yonghu-test"));
    }

    @Test
    void rejectsATamperedPathQueryOrBody() throws Exception {
        String signed = "/index.php?id=1&index=2\nbucket=yonghu-test";

        rejected(keys.request("/index.php?id=1&index=3", "bucket=yonghu-test", signed));
        rejected(keys.request("/other.php?id=1&index=2", "bucket=yonghu-test", signed));
        rejected(keys.request("/index.php?id=1&index=2", "bucket=yonghu-test2", signed));
        rejected(keys.request("/index.php?index=2&id=1", "bucket=yonghu-test", signed));
    }

    @Test
    void decodesOnlyThePathPercentSlashPlusAndUnicode() throws Exception {
        accepted(keys.request("/a%2Fb/c?x=%2F", "b", "/a/b/c?x=%2F\nb"));
        accepted(keys.request("/a+b", "b", "/a b\nb"));
        accepted(keys.request("/%E6%97%A5%E6%9C%AC/cb", "b", "/日本/cb\nb"));

        rejected(keys.request("/a%2Fb/c?x=%2F", "b", "/a%2Fb/c?x=%2F\nb"));
        rejected(keys.request("/a%2Fb/c?x=%2F", "b", "/a/b/c?x=/\nb"));
        rejected(keys.request("/a+b", "b", "/a+b\nb"));
    }

    @Test
    void bareQuestionMarkSignsLikeNoQuery() throws Exception {
        accepted(keys.request("/cb?", "body", "/cb\nbody"));
        accepted(keys.request("/cb", "body", "/cb\nbody"));
        rejected(keys.request("/cb?", "body", "/cb?\nbody"));
        rejected(keys.request("/cb", "body", "/cb?\nbody"));
    }

    @Test
    void rejectsMissingHeaders() throws Exception {
        CallbackRequest ok = keys.request("/cb", "b", "/cb\nb");

        rejected(new CallbackRequest(ok.rawTarget(), null, ok.pubKeyUrl(), null, ok.body()));
        rejected(new CallbackRequest(ok.rawTarget(), ok.authorization(), null, null, ok.body()));
        rejected(new CallbackRequest(ok.rawTarget(), "", ok.pubKeyUrl(), null, ok.body()));
    }

    @Test
    void rejectsInvalidBase64AndWrongSignatureLength() throws Exception {
        CallbackRequest ok = keys.request("/cb", "b", "/cb\nb");

        rejected(new CallbackRequest(ok.rawTarget(), "!!not base64!!", ok.pubKeyUrl(), null, ok.body()));
        rejected(new CallbackRequest(ok.rawTarget(), ok.authorization(), "%%%", null, ok.body()));
        rejected(new CallbackRequest(ok.rawTarget(), ok.authorization().substring(4), ok.pubKeyUrl(), null, ok.body()));
        rejected(new CallbackRequest(ok.rawTarget(), "AAAA" + ok.authorization(), ok.pubKeyUrl(), null, ok.body()));
    }

    @Test
    void rejectsAnOversizedBody() throws Exception {
        String body = "x".repeat(CallbackVerifier.MAX_BODY_BYTES + 1);

        rejected(keys.request("/cb", body, "/cb\n" + body));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://gosspublic.alicdn.com.evil.com/callback_pub_key_v1.pem",
            "https://gosspublic.alicdn.com@evil.com/callback_pub_key_v1.pem",
            "https://evil.com@gosspublic.alicdn.com/callback_pub_key_v1.pem",
            "https://gosspublic.alicdn.com:8443/callback_pub_key_v1.pem",
            "https://gosspublic.alicdn.com/callback_pub_key_v1.pem?x=1",
            "https://gosspublic.alicdn.com/callback_pub_key_v1.pem#f",
            "https://gosspublic.alicdn.com/../callback_pub_key_v1.pem",
            "https://gosspublic.alicdn.com/keys/callback_pub_key_v1.pem",
            "https://gosspublic.alicdn.com/callback_pub_key_v1.txt",
            "ftp://gosspublic.alicdn.com/callback_pub_key_v1.pem",
            "file:///etc/callback_pub_key_v1.pem",
            "http://47.88.1.1/callback_pub_key_v1.pem",
            "http://[::1]/callback_pub_key_v1.pem",
            "http://169.254.169.254/callback_pub_key_v1.pem",
            "gosspublic.alicdn.com/callback_pub_key_v1.pem",
    })
    void keyUrlPolicyRefusesHostileUrls(String url) {
        assertThat(KeyUrlPolicy.ossOnly().allowLocalHost("127.0.0.1:9000").fetchUrl(url)).isEmpty();
    }

    @Test
    void keyUrlPolicyFetchesOssKeysOverHttpsAndLocalKeysAsGiven() {
        KeyUrlPolicy p = KeyUrlPolicy.ossOnly().allowLocalHost("127.0.0.1:9000");

        assertThat(p.fetchUrl("http://gosspublic.alicdn.com/callback_pub_key_v1.pem"))
                .contains(URI.create("https://gosspublic.alicdn.com/callback_pub_key_v1.pem"));
        assertThat(p.fetchUrl("https://GOSSPUBLIC.alicdn.com/callback_pub_key_v1.pem"))
                .contains(URI.create("https://gosspublic.alicdn.com/callback_pub_key_v1.pem"));
        assertThat(p.fetchUrl("http://127.0.0.1:9000/key.pem")).contains(URI.create("http://127.0.0.1:9000/key.pem"));
        assertThat(p.fetchUrl("http://127.0.0.1:9001/key.pem")).isEmpty();
        assertThat(KeyUrlPolicy.ossOnly().fetchUrl("http://127.0.0.1:9000/key.pem")).isEmpty();
    }

    @Test
    void rejectsAKeyUrlOutsideThePolicyEvenWithAValidSignature() throws Exception {
        CallbackRequest ok = keys.request("/cb", "b", "/cb\nb");
        CallbackVerifier strict = CallbackVerifier.create(KeyUrlPolicy.ossOnly(), HttpKeyResolver.create());

        rejected(strict, ok);
        rejected(new CallbackRequest(ok.rawTarget(), ok.authorization(),
                CallbackKeys.b64("http://gosspublic.alicdn.com.evil.com/key.pem"), null, ok.body()));
    }

    @Test
    void rejectsAKeyBehindARedirectOrOverTheSizeCap() throws Exception {
        CallbackRequest ok = keys.request("/cb", "b", "/cb\nb");

        rejected(new CallbackRequest(ok.rawTarget(), ok.authorization(), CallbackKeys.b64(keys.url("/redirect.pem")),
                null, ok.body()));
        rejected(new CallbackRequest(ok.rawTarget(), ok.authorization(), CallbackKeys.b64(keys.url("/huge.pem")),
                null, ok.body()));
        rejected(new CallbackRequest(ok.rawTarget(), ok.authorization(), CallbackKeys.b64(keys.url("/missing.pem")),
                null, ok.body()));
    }

    @Test
    void rejectsASignatureMadeWithAnotherKey() throws Exception {
        try (CallbackKeys other = new CallbackKeys()) {
            CallbackRequest forged = other.request("/cb", "b", "/cb\nb");

            rejected(new CallbackRequest(forged.rawTarget(), forged.authorization(), CallbackKeys.b64(keys.url("/key.pem")),
                    null, forged.body()));
        }
    }

    @Test
    void cachesTheKeyByUrl() throws Exception {
        CallbackVerifier v = CallbackVerifier.create(keys.policy(), HttpKeyResolver.create());
        int before = keys.keyFetches.get();

        for (int i = 0; i < 3; i++) {
            v.verify(keys.request("/cb", "b" + i, "/cb\nb" + i)).as(StepVerifier::create).expectComplete().verify(TIMEOUT);
        }

        assertThat(keys.keyFetches.get() - before).isEqualTo(1);
    }

    @Test
    void aResolverThatTimesOutRejects() throws Exception {
        CallbackVerifier v = CallbackVerifier.create(keys.policy(),
                url -> Mono.<java.security.PublicKey>never().timeout(Duration.ofMillis(200)));

        rejected(v, keys.request("/cb", "b", "/cb\nb"));
    }
}
