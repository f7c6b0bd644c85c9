package io.transflux.connectors;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;

/**
 * {@code userRequest.headers}: a map whose values are strings (AWS, repeated headers comma-joined) or arrays
 * of strings (MinIO serialises Go's {@code http.Header}); arrays are joined with {@code ", "}, which means
 * the same in HTTP.
 */
public final class HeaderMapDeserializer extends JsonDeserializer<Map<String, String>> {

    @Override
    public Map<String, String> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return ctxt.reportInputMismatch(Map.class, "userRequest.headers: expected an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_STRING) {
                out.put(name, p.getText());
            } else if (v == JsonToken.START_ARRAY) {
                StringBuilder sb = new StringBuilder();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    if (e != JsonToken.VALUE_STRING) {
                        return ctxt.reportInputMismatch(Map.class, "userRequest.headers: expected string values");
                    }
                    if (sb.length() > 0) {
                        sb.append(", ");
                    }
                    sb.append(p.getText());
                }
                out.put(name, sb.toString());
            } else if (v == JsonToken.VALUE_NULL) {
                continue;
            } else {
                return ctxt.reportInputMismatch(Map.class, "userRequest.headers: expected string values");
            }
        }
        return out;
    }
}
