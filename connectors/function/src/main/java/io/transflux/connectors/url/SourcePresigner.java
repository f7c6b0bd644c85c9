package io.transflux.connectors.url;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import io.transflux.connectors.s3.AwsCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Presigns the source request (query-string SigV4 through {@code http-auth-aws}, {@code UNSIGNED-PAYLOAD}, no double
 * encoding, no path normalisation: S3 keys are literal) with the function's role credentials, so that the HTTP
 * source can fetch, and resume with {@code Range} + {@code If-Match}, without re-signing: those headers are not
 * signed. S3 binds the method into the signature, hence one URL per method. The result is a secret.
 */
final class SourcePresigner {

    private final AwsCredentials credentials;
    private final String region;
    private final Duration expiry;
    private final Clock clock;

    SourcePresigner(AwsCredentials credentials, String region, Duration expiry, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.expiry = expiry;
        this.clock = clock;
    }

    String presign(URI uri, SdkHttpMethod method) {
        SdkHttpRequest req = SdkHttpRequest.builder().uri(uri).method(method).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(s -> s
                .identity(credentials.identity())
                .request(req)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expiry)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        return signed.request().getUri().toString();
    }
}
