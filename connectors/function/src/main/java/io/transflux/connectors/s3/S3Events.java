package io.transflux.connectors.s3;

import static io.transflux.connectors.EventJson.headers;
import static io.transflux.connectors.EventJson.object;
import static io.transflux.connectors.EventJson.string;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.transflux.connectors.EventJson;
import io.transflux.connectors.MalformedEventException;
import org.jspecify.annotations.Nullable;

/**
 * Parses and validates S3 Object Lambda events (docs/protocols.md §1.5): unknown fields ignored, protocol major 1
 * only, exactly one context, required fields present, strings bounded. Messages name the field but never
 * its value.
 *
 * <p>Jackson's streaming parser and generator only, no databind: this runs in every cold start's first
 * invocation. The typing rules are databind's for these records: a string field takes a string or null
 * (numbers and booleans are not coerced), an object field an object or null, unknown fields of any type are
 * ignored, and a repeated key's last value wins.
 */
final class S3Events {

    /** The largest event accepted; real events are a few KiB. */
    static final int MAX_EVENT_BYTES = EventJson.MAX_EVENT_BYTES;
    /** The longest string field accepted (presigned URLs with STS tokens stay well under this). */
    static final int MAX_FIELD_CHARS = 16 * 1024;

    static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(MAX_FIELD_CHARS).maxNestingDepth(32).build()).build();

    enum Kind { GET_OBJECT, HEAD_OBJECT, LIST_OBJECTS, LIST_OBJECTS_V2 }

    record Parsed(S3ObjectLambdaEvent event, Kind kind) {
    }

    private S3Events() {
    }

    static Parsed parse(byte[] json) {
        Map<String, @Nullable Object> tree = EventJson.readObject(JSON, json);
        Object g = tree.get("getObjectContext");
        String route = g instanceof Map<?, ?> gm && gm.get("outputRoute") instanceof String r ? r : null;
        String token = g instanceof Map<?, ?> gm && gm.get("outputToken") instanceof String t ? t : null;
        if (route != null && !S3WgorClient.isValidRoute(route)) {
            route = null;
        }
        S3ObjectLambdaEvent e;
        try {
            e = event(tree);
        } catch (EventJson.WrongType ex) {
            throw new MalformedEventException("event: a field has the wrong type", route, token);
        }
        try {
            return new Parsed(e, validate(e));
        } catch (MalformedEventException ex) {
            throw new MalformedEventException(ex.getMessage(), route, token);
        }
    }

    private static S3ObjectLambdaEvent event(Map<String, @Nullable Object> o) throws EventJson.WrongType {
        Map<String, @Nullable Object> g = object(o, "getObjectContext");
        Map<String, @Nullable Object> c = object(o, "configuration");
        Map<String, @Nullable Object> u = object(o, "userRequest");
        Map<String, @Nullable Object> i = object(o, "userIdentity");
        return new S3ObjectLambdaEvent(string(o, "xAmzRequestId"), string(o, "protocolVersion"),
                g == null ? null : new S3ObjectLambdaEvent.GetObjectContext(string(g, "inputS3Url"),
                        string(g, "outputRoute"), string(g, "outputToken")),
                input(o, "headObjectContext"), input(o, "listObjectsContext"), input(o, "listObjectsV2Context"),
                c == null ? null : new S3ObjectLambdaEvent.Configuration(string(c, "accessPointArn"),
                        string(c, "supportingAccessPointArn"), string(c, "payload")),
                u == null ? null : new S3ObjectLambdaEvent.UserRequest(string(u, "url"), headers(u.get("headers"))),
                i == null ? null : new S3ObjectLambdaEvent.UserIdentity(string(i, "type"), string(i, "principalId"),
                        string(i, "arn"), string(i, "accountId"), string(i, "accessKeyId")));
    }

    private static S3ObjectLambdaEvent.@Nullable InputContext input(Map<String, @Nullable Object> o, String name)
            throws EventJson.WrongType {
        Map<String, @Nullable Object> m = object(o, name);
        return m == null ? null : new S3ObjectLambdaEvent.InputContext(string(m, "inputS3Url"));
    }

    /** A reply object of numbers, strings, nulls and string maps, written as databind would write it. */
    static String toJson(Map<String, ?> json) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, json);
        } catch (IOException e) {
            throw new IllegalStateException("a map of strings and numbers always serialises", e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, @Nullable Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Integer n) {
            g.writeNumber(n);
        } else if (v instanceof Long n) {
            g.writeNumber(n);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            throw new IOException("not a reply value: " + v.getClass().getName());
        }
    }

    static Kind validate(S3ObjectLambdaEvent e) {
        String v = e.protocolVersion();
        if (v == null) {
            throw missing("protocolVersion");
        }
        if (!v.matches("1\\.\\d{1,4}")) {
            throw new MalformedEventException("protocolVersion: expected major version 1", null, null);
        }
        int contexts = (e.getObjectContext() != null ? 1 : 0) + (e.headObjectContext() != null ? 1 : 0)
                + (e.listObjectsContext() != null ? 1 : 0) + (e.listObjectsV2Context() != null ? 1 : 0);
        if (contexts != 1) {
            throw new MalformedEventException("event: expected exactly one of getObjectContext, headObjectContext, "
                    + "listObjectsContext, listObjectsV2Context, found " + contexts, null, null);
        }
        if (e.getObjectContext() != null) {
            S3ObjectLambdaEvent.GetObjectContext g = e.getObjectContext();
            require(g.inputS3Url(), "getObjectContext.inputS3Url");
            require(g.outputRoute(), "getObjectContext.outputRoute");
            require(g.outputToken(), "getObjectContext.outputToken");
            if (!S3WgorClient.isValidRoute(g.outputRoute())) {
                throw new MalformedEventException("getObjectContext.outputRoute: expected one DNS label "
                        + "[a-zA-Z0-9-]{1,63}", null, null);
            }
            return Kind.GET_OBJECT;
        }
        if (e.headObjectContext() != null) {
            require(e.headObjectContext().inputS3Url(), "headObjectContext.inputS3Url");
            return Kind.HEAD_OBJECT;
        }
        if (e.listObjectsContext() != null) {
            require(e.listObjectsContext().inputS3Url(), "listObjectsContext.inputS3Url");
            return Kind.LIST_OBJECTS;
        }
        require(e.listObjectsV2Context().inputS3Url(), "listObjectsV2Context.inputS3Url");
        return Kind.LIST_OBJECTS_V2;
    }

    private static void require(@Nullable String value, String field) {
        if (value == null || value.isEmpty()) {
            throw missing(field);
        }
        if (field.endsWith("Url") && !(value.startsWith("https://") || value.startsWith("http://"))) {
            throw new MalformedEventException(field + ": expected an absolute http(s) URL", null, null);
        }
    }

    private static MalformedEventException missing(String field) {
        return new MalformedEventException(field + ": required, missing", null, null);
    }

}
