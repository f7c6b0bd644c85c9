package io.transflux.connectors.s3;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Header-based SigV4 with {@code UNSIGNED-PAYLOAD} through {@code http-auth-aws}, as every request we send
 * signs it (WGOR, PutObject, multipart): no double URL-encoding and no path normalisation (S3 keys are
 * literal). Returns the headers to send, without {@code Host}, which the HTTP client sets.
 */
final class SigV4Headers {

    private SigV4Headers() {
    }

    static Map<String, String> sign(SdkHttpRequest request, AwsCredentials credentials, String service,
            String region, Clock clock) {
        SignedRequest signed = AwsV4HttpSigner.create().sign(s -> s
                .identity(credentials.identity())
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : signed.request().headers().entrySet()) {
            if (!"Host".equalsIgnoreCase(e.getKey())) {
                out.put(e.getKey(), String.join(",", e.getValue()));
            }
        }
        return out;
    }
}
