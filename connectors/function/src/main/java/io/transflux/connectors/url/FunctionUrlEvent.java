package io.transflux.connectors.url;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.transflux.connectors.ConnectorException;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a function-URL event (payload format 2.0, docs/protocols.md §11.1) the handler reads: method,
 * raw path, raw query, request id and the headers, by lower-case name (function URLs lower-case them and join
 * repeated ones with commas).
 */
record FunctionUrlEvent(String method, String rawPath, String rawQueryString, String requestId,
        Map<String, String> headers) {

    /** Events are small; a larger one is refused before parsing. */
    static final int MAX_EVENT_BYTES = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    static FunctionUrlEvent parse(byte[] event) {
        if (event.length > MAX_EVENT_BYTES) {
            throw malformed("event larger than " + MAX_EVENT_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(event);
        } catch (IOException e) {
            throw malformed("event is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw malformed("event is not a JSON object");
        }
        String version = text(root, "version");
        if (!"2.0".equals(version)) {
            throw malformed("version: expected 2.0");
        }
        JsonNode ctx = root.path("requestContext");
        String method = text(ctx.path("http"), "method");
        String rawPath = text(root, "rawPath");
        if (method == null || rawPath == null) {
            throw malformed("requestContext.http.method and rawPath are required");
        }
        String q = text(root, "rawQueryString");
        String id = text(ctx, "requestId");
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = root.path("headers");
        if (h.isObject()) {
            h.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText());
                }
            });
        }
        return new FunctionUrlEvent(method.toUpperCase(Locale.ROOT), rawPath, q == null ? "" : q,
                id == null ? "" : id, Map.copyOf(headers));
    }

    /** Never prints header values: they may carry the caller's signature. */
    @Override
    public String toString() {
        return "FunctionUrlEvent{" + method + " " + rawPath + ", requestId=" + requestId + ", headers=" + headers.keySet()
                + '}';
    }

    @Nullable String header(String lowerName) {
        return headers.get(lowerName);
    }

    /** The first value of a query parameter, percent-decoded; null when absent. */
    @Nullable String queryParameter(String name) {
        for (String pair : rawQueryString.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (k.equals(name)) {
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                try {
                    return java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new ConnectorException(400, "InvalidArgument", "Malformed query parameter " + name + ".");
                }
            }
        }
        return null;
    }

    private static @Nullable String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static ConnectorException malformed(String why) {
        return new ConnectorException(400, "MalformedEvent", "The function URL event is malformed: " + why + ".");
    }
}
