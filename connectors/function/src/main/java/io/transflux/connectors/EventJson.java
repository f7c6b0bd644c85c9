package io.transflux.connectors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

/**
 * The first, format-neutral step of reading an S3 or OSS event: a bounded JSON object, or a typed failure.
 *
 * <p>{@link #readObject(JsonFactory, byte[])} reads with Jackson's streaming parser only, into plain maps: the
 * function's cold start does not pay for databind (about 550 classes and its introspection) on the S3 path.
 */
public final class EventJson {

    /** Largest event accepted; real events are a few KiB. */
    public static final int MAX_EVENT_BYTES = 256 * 1024;

    private EventJson() {
    }

    /** Parses {@code json} as one JSON object of at most {@value #MAX_EVENT_BYTES} bytes. */
    public static JsonNode readObject(ObjectMapper mapper, byte[] json) {
        if (json.length > MAX_EVENT_BYTES) {
            throw new MalformedEventException("event: larger than " + MAX_EVENT_BYTES + " bytes", null, null);
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (IOException e) {
            throw new MalformedEventException("event: not valid JSON", null, null);
        }
        if (tree == null || !tree.isObject()) {
            throw new MalformedEventException("event: expected a JSON object", null, null);
        }
        return tree;
    }

    /**
     * Like {@link #readObject(ObjectMapper, byte[])}, with {@code factory}'s read constraints, as plain values:
     * see {@link #readTree(JsonParser)}.
     */
    public static Map<String, @Nullable Object> readObject(JsonFactory factory, byte[] json) {
        if (json.length > MAX_EVENT_BYTES) {
            throw new MalformedEventException("event: larger than " + MAX_EVENT_BYTES + " bytes", null, null);
        }
        Object tree;
        try (JsonParser p = factory.createParser(json)) {
            tree = readTree(p);
        } catch (IOException e) {
            throw new MalformedEventException("event: not valid JSON", null, null);
        }
        if (!(tree instanceof Map<?, ?>)) {
            throw new MalformedEventException("event: expected a JSON object", null, null);
        }
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> object = (Map<String, @Nullable Object>) tree;
        return object;
    }

    /**
     * The first JSON value from {@code p}, as databind's {@code readTree} reads it (content after it is not read):
     * objects as {@link LinkedHashMap} (a repeated key keeps its first position and its last value), arrays as
     * {@link List}, strings, numbers ({@link Long}, {@link java.math.BigInteger} beyond a long, {@link Double}),
     * booleans, JSON {@code null} as {@code null}; {@link #MISSING} for empty input.
     *
     * @throws IOException for malformed JSON or a broken read constraint
     */
    public static @Nullable Object readTree(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        return t == null ? MISSING : value(p, t);
    }

    /** What {@link #readTree} returns for input with no value at all. */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "MISSING";
        }
    };

    private static @Nullable Object value(JsonParser p, @Nullable JsonToken t) throws IOException {
        if (t == null) {
            throw new IOException("unexpected end of input");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, @Nullable Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<@Nullable Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(value(p, e));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue()
                        : p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected token " + t);
        }
    }

    /** A field of the wrong JSON type for the record it is read into; its message is left to the caller. */
    public static final class WrongType extends Exception {
        private static final long serialVersionUID = 1L;

        WrongType() {
            super(null, null, false, false);
        }
    }

    // Typed reads of a readTree object with databind's rules for these records: a string field takes a string or
    // null (numbers and booleans are not coerced), an object field an object or null.

    /** {@code o[name]}: a string, or null. */
    public static @Nullable String string(Map<String, @Nullable Object> o, String name) throws WrongType {
        Object v = o.get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new WrongType();
    }

    /** {@code o[name]}: an object, or null. */
    @SuppressWarnings("unchecked")
    public static @Nullable Map<String, @Nullable Object> object(Map<String, @Nullable Object> o, String name)
            throws WrongType {
        Object v = o.get(name);
        if (v == null || v instanceof Map<?, ?>) {
            return (Map<String, @Nullable Object>) v;
        }
        throw new WrongType();
    }

    /**
     * {@code userRequest.headers}: values are strings (AWS, repeated headers comma-joined) or arrays of strings
     * (MinIO serialises Go's {@code http.Header}); arrays are joined with {@code ", "}, which means the same in
     * HTTP. A null value is skipped.
     */
    public static @Nullable Map<String, String> headers(@Nullable Object v) throws WrongType {
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new WrongType();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> h : m.entrySet()) {
            Object value = h.getValue();
            if (value instanceof String s) {
                out.put((String) h.getKey(), s);
            } else if (value instanceof List<?> l) {
                StringBuilder sb = new StringBuilder();
                for (Object e : l) {
                    if (!(e instanceof String s)) {
                        throw new WrongType();
                    }
                    if (sb.length() > 0) {
                        sb.append(", ");
                    }
                    sb.append(s);
                }
                out.put((String) h.getKey(), sb.toString());
            } else if (value != null) {
                throw new WrongType();
            }
        }
        return out;
    }

}
