package io.transflux.connectors;

import java.util.LinkedHashMap;
import java.util.Map;

import io.transflux.pipeline.ObjectMetadata;

/**
 * The entity headers that describe the returned bytes, by their HTTP names: what the response carries (not
 * {@code http.ForwardedHeaders}, which picks the caller's headers sent on to the source). After a transform the
 * source's ETag no longer identifies the bytes, so it is only forwarded by the empty pipeline; checksum headers
 * of the source are never forwarded (ObjectMetadata does not carry them).
 */
final class EntityHeaders {

    private EntityHeaders() {
    }

    /** Content-Type, Content-Encoding, Cache-Control, Content-Disposition, ETag, Last-Modified, x-amz-meta-*. */
    static Map<String, String> describe(ObjectMetadata m, boolean transformed) {
        Map<String, String> h = entity(m, transformed);
        m.userMetadata().forEach((k, v) -> h.put("x-amz-meta-" + k, v));
        return h;
    }

    /** The same without user metadata. */
    static Map<String, String> entity(ObjectMetadata m, boolean transformed) {
        Map<String, String> h = new LinkedHashMap<>();
        put(h, "Content-Type", m.contentType());
        put(h, "Content-Encoding", m.contentEncoding());
        put(h, "Cache-Control", m.cacheControl());
        put(h, "Content-Disposition", m.contentDisposition());
        if (!transformed) {
            put(h, "ETag", m.eTag());
        }
        if (m.lastModified() != null) {
            h.put("Last-Modified", io.transflux.connectors.http.HttpDate.format(m.lastModified()));
        }
        return h;
    }

    private static void put(Map<String, String> h, String name, @org.jspecify.annotations.Nullable String value) {
        if (value != null && !value.isEmpty()) {
            h.put(name, value);
        }
    }
}
