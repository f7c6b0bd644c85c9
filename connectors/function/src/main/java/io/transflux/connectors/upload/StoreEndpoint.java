package io.transflux.connectors.upload;

import java.util.Map;
import java.util.SortedMap;

import io.transflux.pipeline.internal.uri.PercentEncoding;
import org.jspecify.annotations.Nullable;

/**
 * Where a store request goes and how it is signed: the part that differs between S3 (SigV4) and OSS
 * (OSS4-HMAC-SHA256 or V1). Implementations are immutable and thread-safe.
 */
public interface StoreEndpoint {

    /**
     * Builds the URL and signs the headers of one request.
     *
     * @param method  {@code GET}, {@code PUT}, {@code POST} or {@code DELETE}
     * @param bucket  the bucket
     * @param key     the object key, not encoded
     * @param query   sub-resources such as {@code uploads} (null value), {@code partNumber}, {@code uploadId}; not
     *                encoded
     * @param headers request headers, including {@code Content-Length} and {@code Content-Type} when sent
     * @return the URL to send to, byte-exact, and the headers to send (signed)
     */
    Prepared prepare(String method, String bucket, String key, SortedMap<String, @Nullable String> query,
            Map<String, String> headers);

    /**
     * A URL presigned for {@code method} ({@code GET} or {@code HEAD}) on the object, valid for {@code expiry}: what
     * {@code HttpObjectSource} reads, since it never sends an {@code Authorization} header of its own. The URL
     * carries a signature: never log it.
     *
     * @param query sub-resources to sign into the URL, e.g. {@code versionId}; not encoded
     */
    default String presign(String method, String bucket, String key, SortedMap<String, @Nullable String> query,
            java.time.Duration expiry) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not presign");
    }

    /** The name reported in {@code SinkResult.location()}, e.g. {@code s3://bucket/key}; never a URL. */
    String location(String bucket, String key);

    /** The prefix of user-metadata headers: {@code x-amz-meta-} or {@code x-oss-meta-}. */
    String userMetadataPrefix();

    /**
     * RFC 3986 percent-encoding of UTF-8 bytes as both S3 and OSS sign it: unreserved characters
     * ({@code A-Z a-z 0-9 - . _ ~}) stay, {@code /} stays when {@code keepSlash}, everything else becomes
     * {@code %XX} with upper-case hex.
     */
    static String encode(String s, boolean keepSlash) {
        return PercentEncoding.encode(s, keepSlash);
    }

    /** {@code name[=value]&...} in the given order, encoded with {@link #encode(String, boolean)}. */
    static String encodeQuery(Map<String, ? extends @Nullable Object> query) {
        StringBuilder b = new StringBuilder();
        query.forEach((k, v) -> {
            java.util.List<?> values = v instanceof java.util.List<?> l ? l : java.util.Collections.singletonList(v);
            for (Object value : values) {
                if (b.length() > 0) {
                    b.append('&');
                }
                b.append(encode(k, false));
                if (value != null) {
                    b.append('=').append(encode(value.toString(), false));
                }
            }
        });
        return b.toString();
    }

    /** A signed request ready to send. */
    record Prepared(String url, Map<String, String> headers) {
    }
}
