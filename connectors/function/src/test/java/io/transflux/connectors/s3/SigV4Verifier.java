package io.transflux.connectors.s3;

import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

import io.transflux.connectors.WgorEndpoint;

/**
 * Checks a WGOR request's SigV4 signature with {@link SigV4Check} (the AWS SDK signer recomputes it from the
 * headers the request says it signed and the secret the test knows), and that the payload is unsigned and the
 * session token is the one given.
 */
final class SigV4Verifier implements Function<WgorEndpoint.Request, Boolean> {

    final String secret;
    final String token;
    volatile String lastService = "";

    SigV4Verifier(String secret, String token) {
        this.secret = secret;
        this.token = token;
    }

    @Override
    public Boolean apply(WgorEndpoint.Request r) {
        SigV4Check.Verdict v = SigV4Check.verifyHeader(r.method(), r.uri(), r.headers(),
                id -> AwsCredentials.of(id, secret, null), Clock.systemUTC());
        if (v.service() != null) {
            lastService = v.service();
        }
        return v.valid() && "UNSIGNED-PAYLOAD".equals(r.headers().get("x-amz-content-sha256"))
                && token.equals(r.headers().get("x-amz-security-token"));
    }

    static Map<String, String> env(String endpoint, String secret, String token) {
        return Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIDTEST", "AWS_SECRET_ACCESS_KEY", secret,
                "AWS_SESSION_TOKEN", token, S3WgorClient.ENDPOINT_ENV, endpoint);
    }
}
