package io.transflux.connectors.s3;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.transflux.connectors.WgorEndpoint;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Recomputes a WGOR request's SigV4 signature with the AWS SDK signer from the headers the endpoint received
 * (only those the request says it signed) and the secret the test knows, and compares Authorization.
 */
final class SigV4Verifier implements Function<WgorEndpoint.Request, Boolean> {

    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");
    private static final Set<String> SIGNER_ADDS = Set.of("host", "x-amz-date", "x-amz-content-sha256",
            "x-amz-security-token");

    final String secret;
    final String token;
    volatile String lastService = "";

    SigV4Verifier(String secret, String token) {
        this.secret = secret;
        this.token = token;
    }

    @Override
    public Boolean apply(WgorEndpoint.Request r) {
        String auth = r.headers().get("authorization");
        if (auth == null) {
            return false;
        }
        Matcher m = AUTH.matcher(auth);
        if (!m.matches()) {
            return false;
        }
        lastService = m.group(4);
        LocalDateTime at = LocalDateTime.parse(r.headers().get("x-amz-date"),
                DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        SdkHttpRequest.Builder req = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(r.method()))
                .uri(URI.create("http://" + r.headers().get("host") + r.uri()));
        for (String name : m.group(5).split(";")) {
            if (!SIGNER_ADDS.contains(name)) {
                req.putHeader(name, r.headers().get(name));
            }
        }
        SignedRequest signed = AwsV4HttpSigner.create().sign(s -> s
                .identity(AwsSessionCredentialsIdentity.create(m.group(1), secret, token))
                .request(req.build())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, m.group(4))
                .putProperty(AwsV4HttpSigner.REGION_NAME, m.group(3))
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at.toInstant(ZoneOffset.UTC), ZoneOffset.UTC)));
        String expected = signed.request().firstMatchingHeader("Authorization").orElse("");
        return expected.equals(auth) && "UNSIGNED-PAYLOAD".equals(r.headers().get("x-amz-content-sha256"))
                && token.equals(r.headers().get("x-amz-security-token"));
    }

    static Map<String, String> env(String endpoint, String secret, String token) {
        return Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIDTEST", "AWS_SECRET_ACCESS_KEY", secret,
                "AWS_SESSION_TOKEN", token, S3WgorClient.ENDPOINT_ENV, endpoint);
    }
}
