package io.transflux.connectors.accesspoint;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerRequest;

/**
 * A received request, parsed once: method, raw URI (for signature checks), decoded path and query, headers
 * lower-cased (repeated values joined with {@code ,}) and with their original case (for events).
 */
record Request(String method, String rawUri, String rawPath, String path, Map<String, String> query,
        Map<String, String> headers, Map<String, String> originalHeaders) {

    /** @throws PlatformError 400 InvalidURI when the path or query is not valid percent-encoding */
    static Request of(HttpServerRequest req) {
        Map<String, String> h = new LinkedHashMap<>();
        Map<String, String> orig = new LinkedHashMap<>();
        req.requestHeaders().forEach(e -> {
            h.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(), (a, b) -> a + "," + b);
            orig.merge(e.getKey(), e.getValue(), (a, b) -> a + "," + b);
        });
        return parse(req.method().name(), req.uri(), h, orig);
    }

    /**
     * The request with target {@code raw} (path and query as on the wire).
     *
     * @throws PlatformError 400 InvalidURI when the path or query is not valid percent-encoding
     */
    static Request parse(String method, String raw, Map<String, String> headers, Map<String, String> originalHeaders) {
        int q = raw.indexOf('?');
        String rawPath = q < 0 ? raw : raw.substring(0, q);
        Map<String, String> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : raw.substring(q + 1).split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
        }
        return new Request(method, raw, rawPath, decode(rawPath), query, headers, originalHeaders);
    }

    @Nullable String header(String lowerName) {
        return headers.get(lowerName);
    }

    /** {@code Range} from the header or the {@code range} query parameter. */
    @Nullable String range() {
        String r = headers.get("range");
        return r != null ? r : query.get("Range") != null ? query.get("Range") : query.get("range");
    }

    @Nullable String partNumber() {
        return query.get("partNumber");
    }

    /** @throws PlatformError 400 InvalidURI on a bad {@code %} escape, as S3 answers it */
    static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new PlatformError(400, "InvalidURI", "Couldn't parse the specified URI.");
        }
    }
}
