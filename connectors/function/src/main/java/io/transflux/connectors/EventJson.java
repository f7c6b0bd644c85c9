package io.transflux.connectors;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The first, format-neutral step of reading an S3 or OSS event: a bounded JSON object, or a typed failure. */
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
}
