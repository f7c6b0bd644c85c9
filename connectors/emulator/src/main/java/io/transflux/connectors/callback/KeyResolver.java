package io.transflux.connectors.callback;

import java.net.URI;
import java.security.PublicKey;

import reactor.core.publisher.Mono;

/**
 * Fetches the RSA public key a callback names. {@link HttpKeyResolver} is the network implementation; tests
 * and deployments that pin OSS's known keys supply their own.
 */
@FunctionalInterface
public interface KeyResolver {

    /** The key at {@code url} (already allowed by a {@link KeyUrlPolicy}); fails when it cannot be fetched. */
    Mono<PublicKey> resolve(URI url);
}
