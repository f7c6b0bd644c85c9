package io.transflux.connectors;

import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import io.transflux.pipeline.internal.secret.LogSafe;

/**
 * A GetObject invocation, platform-neutral: where the original object is, what to send when fetching it,
 * and what the caller asked for. The S3 and OSS adapters build it from their events.
 *
 * @param requestId          the platform's request id, for logs; may be null
 * @param sourceUrl          the presigned URL of the original object (a secret: never log it raw)
 * @param sourceHeaders      headers to send on the source GET (signed and conditional caller headers)
 * @param range              the caller's {@code Range} (header or query), or null
 * @param partNumber         the caller's {@code partNumber}, or null
 * @param checksumRequested  whether the caller asked for checksum validation ({@code x-amz-checksum-mode: ENABLED})
 */
public record GetObjectRequest(@Nullable String requestId, String sourceUrl, Map<String, String> sourceHeaders,
        @Nullable String range, @Nullable String partNumber, boolean checksumRequested) {

    public GetObjectRequest {
        Objects.requireNonNull(sourceUrl, "sourceUrl");
        sourceHeaders = Map.copyOf(sourceHeaders);
    }

    /** Never prints the URL's query or the headers' values. */
    @Override
    public String toString() {
        return "GetObjectRequest{requestId=" + requestId + ", source=" + LogSafe.url(sourceUrl)
                + ", range=" + range + ", partNumber=" + partNumber + ", checksumRequested=" + checksumRequested
                + '}';
    }
}
