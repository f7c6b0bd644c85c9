package io.transflux.connectors.accesspoint;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a write through the access point recorded about an object: its ETag (quoted, S3 and OSS rules: the MD5 of
 * the content, or of the parts' MD5s followed by {@code -N} for a multipart upload), its Content-Type and its user
 * metadata (lower-case names without {@code x-amz-meta-} / {@code x-oss-meta-}).
 */
record ObjectRecord(String etag, @Nullable String contentType, Map<String, String> userMetadata) {

    ObjectRecord {
        userMetadata = Map.copyOf(userMetadata);
    }
}
