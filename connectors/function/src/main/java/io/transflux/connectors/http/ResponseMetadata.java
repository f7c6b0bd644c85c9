package io.transflux.connectors.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.transflux.pipeline.ObjectMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Maps the first reply's headers to {@link ObjectMetadata}: Content-Length, Content-Type,
 * Content-Encoding (reported, never decoded), ETag, Last-Modified (RFC 1123; unparsable values are
 * dropped), Cache-Control, Content-Disposition, and {@code x-amz-meta-*} / {@code x-oss-meta-*} as user
 * metadata under their lower-cased suffix (repeated headers joined with {@code ,}).
 */
final class ResponseMetadata {

    private static final String[] USER_PREFIXES = {"x-amz-meta-", "x-oss-meta-"};

    private ResponseMetadata() {
    }

    static ObjectMetadata of(HttpHeaders h, long contentLength) {
        ObjectMetadata.Builder b = ObjectMetadata.builder()
                .contentLength(contentLength)
                .contentType(h.get(HttpHeaderNames.CONTENT_TYPE))
                .contentEncoding(h.get(HttpHeaderNames.CONTENT_ENCODING))
                .eTag(h.get(HttpHeaderNames.ETAG))
                .lastModified(httpDate(h.get(HttpHeaderNames.LAST_MODIFIED)))
                .cacheControl(h.get(HttpHeaderNames.CACHE_CONTROL))
                .contentDisposition(h.get(HttpHeaderNames.CONTENT_DISPOSITION));
        Map<String, String> user = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : h) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            for (String prefix : USER_PREFIXES) {
                if (name.startsWith(prefix) && name.length() > prefix.length()) {
                    user.merge(name.substring(prefix.length()), e.getValue(), (a, c) -> a + "," + c);
                }
            }
        }
        return b.userMetadata(user).build();
    }

    /** Content-Length as a non-negative long, or -1 when absent or malformed. */
    static long contentLength(HttpHeaders h) {
        String v = h.get(HttpHeaderNames.CONTENT_LENGTH);
        if (v == null || v.isEmpty() || v.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    static @Nullable Instant httpDate(@Nullable String value) {
        return HttpDate.parse(value);
    }
}
