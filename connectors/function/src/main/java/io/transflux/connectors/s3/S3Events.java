package io.transflux.connectors.s3;

import java.io.IOException;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.transflux.connectors.EventJson;
import io.transflux.connectors.MalformedEventException;
import org.jspecify.annotations.Nullable;

/**
 * Parses and validates S3 Object Lambda events (docs/protocols.md §1.5): unknown fields ignored, protocol major 1
 * only, exactly one context, required fields present, strings bounded. Messages name the field but never
 * its value.
 */
final class S3Events {

    /** The largest event accepted; real events are a few KiB. */
    static final int MAX_EVENT_BYTES = EventJson.MAX_EVENT_BYTES;
    /** The longest string field accepted (presigned URLs with STS tokens stay well under this). */
    static final int MAX_FIELD_CHARS = 16 * 1024;

    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static {
        MAPPER.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(MAX_FIELD_CHARS).maxNestingDepth(32).build());
    }

    enum Kind { GET_OBJECT, HEAD_OBJECT, LIST_OBJECTS, LIST_OBJECTS_V2 }

    record Parsed(S3ObjectLambdaEvent event, Kind kind) {
    }

    private S3Events() {
    }

    static Parsed parse(byte[] json) {
        JsonNode tree = EventJson.readObject(MAPPER, json);
        String route = text(tree.path("getObjectContext").get("outputRoute"));
        String token = text(tree.path("getObjectContext").get("outputToken"));
        if (route != null && !S3WgorClient.isValidRoute(route)) {
            route = null;
        }
        S3ObjectLambdaEvent e;
        try {
            e = MAPPER.treeToValue(tree, S3ObjectLambdaEvent.class);
        } catch (IOException ex) {
            throw new MalformedEventException("event: a field has the wrong type", route, token);
        }
        try {
            return new Parsed(e, validate(e));
        } catch (MalformedEventException ex) {
            throw new MalformedEventException(ex.getMessage(), route, token);
        }
    }

    private static Kind validate(S3ObjectLambdaEvent e) {
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

    private static @Nullable String text(@Nullable JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
