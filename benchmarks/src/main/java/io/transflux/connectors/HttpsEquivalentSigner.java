package io.transflux.connectors;

import java.util.concurrent.CompletableFuture;

import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * The SDK's own SigV4 signer, shown the request as {@code https}. Over plain {@code http} the SDK always signs
 * the payload, which means reading (and, for a one-shot stream, buffering) the whole body before the first byte
 * is sent; over {@code https}, as against the real WGOR endpoint, it sends {@code UNSIGNED-PAYLOAD} and
 * streams. The scheme is not part of the signature, so only the signer sees the change: the benchmark measures
 * the SDK as it behaves in production, on a loopback endpoint without TLS.
 */
final class HttpsEquivalentSigner implements HttpSigner<AwsCredentialsIdentity> {

    private final AwsV4HttpSigner delegate = AwsV4HttpSigner.create();

    /** The {@code aws.auth#sigv4} scheme with this signer, for {@code S3Client.builder().putAuthScheme}. */
    static AuthScheme<AwsCredentialsIdentity> scheme() {
        HttpsEquivalentSigner signer = new HttpsEquivalentSigner();
        return new AuthScheme<>() {
            @Override
            public String schemeId() {
                return "aws.auth#sigv4";
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return providers.identityProvider(AwsCredentialsIdentity.class);
            }

            @Override
            public HttpSigner<AwsCredentialsIdentity> signer() {
                return signer;
            }
        };
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        String scheme = request.request().protocol();
        SignedRequest signed = delegate.sign(request.copy(b -> b.request(request.request().copy(r -> r.protocol("https")))));
        return signed.copy(b -> b.request(signed.request().copy(r -> r.protocol(scheme))));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        throw new UnsupportedOperationException("the benchmarks use the synchronous S3Client");
    }
}
