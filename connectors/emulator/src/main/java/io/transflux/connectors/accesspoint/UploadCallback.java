package io.transflux.connectors.accesspoint;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import org.jspecify.annotations.Nullable;

/**
 * A request's upload-callback parameters (docs/protocols.md §5.2–§5.4), checked before anything is stored: the
 * {@code callback} JSON ({@code callbackUrl} with up to {@value #MAX_URLS} URLs separated by {@code ;},
 * {@code callbackHost}, {@code callbackBody}, {@code callbackBodyType}) and the {@code callback-var} JSON of
 * {@code x:} variables. Each travels as header ({@code x-oss-callback}, {@code x-oss-callback-var}), query
 * ({@code callback}, {@code callback-var}) or form field; mixing header and query, a value over
 * {@value #MAX_PARAM_BYTES} bytes, bad Base64 or JSON, a bad URL, an empty body template, an unknown body type,
 * an unclosed {@code ${} or a variable not named {@code x:...} is 400 {@code InvalidArgument}.
 *
 * <p>{@link #body(Map)} fills the template: in form bodies values are URL-encoded; in JSON bodies they are
 * JSON values (strings quoted, {@code size} and {@code imageInfo.width/height} numbers), so templates leave
 * the placeholders unquoted as in the SDK's sample ({@code {"object":${object},"size":${size}}}). Unknown
 * variables are empty.
 */
record UploadCallback(List<URI> urls, @Nullable String host, String template, boolean json, Map<String, String> vars) {

    static final int MAX_PARAM_BYTES = 5 * 1024;
    static final int MAX_URLS = 5;
    static final String FORM = "application/x-www-form-urlencoded";
    static final String JSON_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The callback a request carries, or null; {@code form} holds the fields of a form upload (else empty). */
    static @Nullable UploadCallback of(Request r, Map<String, String> form) {
        String cb = one(r, form, "x-oss-callback", "callback");
        String var = one(r, form, "x-oss-callback-var", "callback-var");
        if (cb == null) {
            return null;
        }
        JsonNode c = json("callback", cb);
        String urls = text(c, "callbackUrl");
        String body = text(c, "callbackBody");
        if (urls == null || urls.isBlank()) {
            throw invalid("callback: callbackUrl missing");
        }
        if (body == null || body.isEmpty()) {
            throw invalid("callback: callbackBody missing or empty");
        }
        String type = text(c, "callbackBodyType");
        boolean isJson = type != null && type.trim().toLowerCase(Locale.ROOT).startsWith(JSON_TYPE);
        if (type != null && !isJson && !type.trim().toLowerCase(Locale.ROOT).startsWith(FORM)) {
            throw invalid("callback: callbackBodyType: expected " + FORM + " or " + JSON_TYPE);
        }
        List<URI> list = new ArrayList<>();
        for (String u : urls.split(";")) {
            list.add(url(u.trim()));
        }
        if (list.size() > MAX_URLS) {
            throw invalid("callback: callbackUrl: " + list.size() + " URLs, expected at most " + MAX_URLS);
        }
        checkTemplate(body);
        Map<String, String> vars = new LinkedHashMap<>();
        if (var != null) {
            JsonNode v = json("callback-var", var);
            if (!v.isObject()) {
                throw invalid("callback-var: expected a JSON object");
            }
            v.fields().forEachRemaining(e -> {
                if (!e.getKey().startsWith("x:") || !e.getValue().isValueNode()) {
                    throw invalid("callback-var: expected {\"x:name\":\"value\",...}");
                }
                vars.put(e.getKey(), e.getValue().asText());
            });
        }
        form.forEach((k, v) -> {
            if (k.startsWith("x:")) {
                vars.put(k, v);
            }
        });
        String host = text(c, "callbackHost");
        if (host != null && !host.isBlank() && !HOST.matcher(host.trim()).matches()) {
            throw invalid("callback: callbackHost: expected host[:port] (letters, digits, '.', '-'), got "
                    + printable(host));
        }
        return new UploadCallback(List.copyOf(list), host == null || host.isBlank() ? null : host.trim(), body, isJson,
                Map.copyOf(vars));
    }

    /** A Host header value: a DNS name or IPv4 address, optional port; nothing that could end a header line. */
    private static final java.util.regex.Pattern HOST =
            java.util.regex.Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?::[0-9]{1,5})?");

    /**
     * Whether {@code value} may be sent as an HTTP header value: no control characters other than tab (a CR or LF
     * would end the header and let the rest be read as further headers or a second request).
     */
    static boolean headerSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** {@code s} with control characters shown as {@code \xNN}, for error messages. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char ch = s.charAt(i);
            b.append(ch < 0x20 || ch == 0x7f ? String.format(Locale.ROOT, "\\x%02x", (int) ch) : String.valueOf(ch));
        }
        return (s.length() > 64 ? b.append("...") : b).toString();
    }

    String contentType() {
        return json ? JSON_TYPE : FORM;
    }

    /** The filled template; {@code system} holds bucket, object, etag, size, mimeType and imageInfo.*. */
    String body(Map<String, String> system) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int start = template.indexOf("${", i);
            if (start < 0) {
                out.append(template, i, template.length());
                break;
            }
            int end = template.indexOf('}', start);
            out.append(template, i, start);
            String name = template.substring(start + 2, end);
            String value = name.startsWith("x:") ? vars.getOrDefault(name, "") : system.getOrDefault(name, "");
            out.append(json ? jsonValue(name, value) : URLEncoder.encode(value, StandardCharsets.UTF_8));
            i = end + 1;
        }
        return out.toString();
    }

    private static String jsonValue(String name, String value) {
        boolean numeric = (name.equals("size") || name.equals("imageInfo.width") || name.equals("imageInfo.height"))
                && value.matches("\\d{1,18}");
        return numeric ? value : new TextNode(value).toString();
    }

    private static void checkTemplate(String body) {
        int i = 0;
        while ((i = body.indexOf("${", i)) >= 0) {
            int end = body.indexOf('}', i);
            if (end < 0 || end == i + 2 || body.substring(i + 2, end).contains("$")) {
                throw invalid("callback: callbackBody: malformed ${...} at offset " + i);
            }
            i = end + 1;
        }
    }

    private static @Nullable String one(Request r, Map<String, String> form, String header, String query) {
        String h = r.header(header);
        String q = r.query().get(query);
        String f = form.get(query);
        int given = (h != null ? 1 : 0) + (q != null ? 1 : 0) + (f != null ? 1 : 0);
        if (given > 1) {
            throw invalid(query + ": give it one way only (header, query or form field)");
        }
        String v = h != null ? h : q != null ? q : f;
        if (v != null && v.length() > MAX_PARAM_BYTES) {
            throw invalid(query + ": " + v.length() + " bytes, expected at most " + MAX_PARAM_BYTES);
        }
        return v;
    }

    private static JsonNode json(String param, String b64) {
        try {
            JsonNode n = JSON.readTree(Base64.getDecoder().decode(b64.trim()));
            if (n == null || !n.isObject()) {
                throw invalid(param + ": expected Base64 of a JSON object");
            }
            return n;
        } catch (IllegalArgumentException | IOException e) {
            throw invalid(param + ": expected Base64 of a JSON object");
        }
    }

    private static @Nullable String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static URI url(String u) {
        try {
            if (!headerSafe(u)) {
                throw invalid("callback: callbackUrl: control character in " + printable(u));
            }
            URI uri = new URI(u);
            String s = uri.getScheme();
            if (s == null || !(s.equals("http") || s.equals("https")) || uri.getHost() == null
                    || uri.getRawUserInfo() != null || uri.getPort() > 65535 || uri.getHost().startsWith("[")) {
                throw invalid("callback: callbackUrl: expected http(s)://host[:port]/path without IPv6 literals");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw invalid("callback: callbackUrl: not a URL");
        }
    }

    private static PlatformError invalid(String message) {
        return new PlatformError(400, "InvalidArgument", message);
    }

    @Override
    public String toString() {
        return "UploadCallback{urls=" + urls.size() + ", json=" + json + '}';
    }
}
