package io.transflux.connectors.callback;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

/**
 * One accepted callback: the fields of its body (form or JSON, values as text) and the idempotency key
 * (bucket, object, ETag), which the body must carry as {@code bucket}, {@code object} and {@code etag}
 * (a {@code callbackBody} such as {@code bucket=${bucket}&object=${object}&etag=${etag}&size=${size}}).
 */
public record CallbackJob(String bucket, String object, String etag, Map<String, String> fields) {

    /**
     * The request header field of draft-ietf-httpapi-idempotency-key-header-07 that carries
     * {@link #idempotencyKeyField()} with every delivery.
     */
    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private static final ObjectMapper JSON = new ObjectMapper();

    public CallbackJob {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(etag, "etag");
        fields = Map.copyOf(fields);
    }

    /** The idempotency key. */
    public String key() {
        return bucket + "\n" + object + "\n" + etag;
    }

    /**
     * The idempotency key as a token safe in any header or object key: the lowercase hex SHA-256 of {@link #key()}.
     * The same job gives the same token in every process and after every restart.
     */
    public String idempotencyKey() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** The {@value #IDEMPOTENCY_KEY_HEADER} field value: {@link #idempotencyKey()} as a structured-field String. */
    public String idempotencyKeyField() {
        return "\"" + idempotencyKey() + "\"";
    }

    /** Parses a callback body by its content type; fails with {@link IllegalArgumentException} naming the field. */
    public static CallbackJob parse(@Nullable String contentType, byte[] body) {
        Map<String, String> fields = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.UTF_8);
        if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            try {
                JsonNode n = JSON.readTree(text);
                if (n == null || !n.isObject()) {
                    throw new IllegalArgumentException("body: expected a JSON object");
                }
                n.fields().forEachRemaining(e -> fields.put(e.getKey(),
                        e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            } catch (IOException e) {
                throw new IllegalArgumentException("body: not JSON");
            }
        } else {
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                fields.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return new CallbackJob(require(fields, "bucket"), require(fields, "object"), require(fields, "etag"), fields);
    }

    private static String require(Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("body: field " + name + " missing (include ${" + name
                    + "} in callbackBody)");
        }
        return v;
    }
}
