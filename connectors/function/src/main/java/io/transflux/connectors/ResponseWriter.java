package io.transflux.connectors;

import reactor.core.publisher.Mono;

/**
 * Sends the one answer of a GetObject invocation: the platform's WriteGetObjectResponse, bound to one
 * route and token. Implemented by the S3 and OSS WGOR clients, and by tests.
 */
public interface ResponseWriter {

    /**
     * Sends {@code response}, streaming its body. Completes when the platform accepted the whole answer.
     *
     * <p><b>Errors:</b> when the body fails part-way the request is aborted (the connection closes without
     * the final chunk) and the returned {@code Mono} fails with the body's error; a refused request fails
     * with a {@link ConnectorException}.
     */
    Mono<Void> write(ObjectResponse response);

    /** Whether the platform needs {@code Content-Length} (OSS documents it as required). */
    default boolean requiresContentLength() {
        return false;
    }

    /** The forwarded header that carries a checksum of the returned bytes, e.g. {@code x-amz-checksum-crc32c}. */
    String checksumHeaderName(String algorithmId);
}
