package io.transflux.connectors.process;

import java.util.Objects;

/**
 * The answer to a process-and-save request, as OSS returns it:
 * {@code {"bucket":"b","fileSize":3267,"object":"k.jpg","status":"OK"}} (docs/protocols.md §6.4).
 */
public record ProcessResult(String bucket, long fileSize, String object, String status) {

    public static final String OK = "OK";

    public ProcessResult {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(status, "status");
    }

    /** The JSON body, fields in OSS's order. */
    public String toJson() {
        return "{\"bucket\":" + quote(bucket) + ",\"fileSize\":" + fileSize + ",\"object\":" + quote(object)
                + ",\"status\":" + quote(status) + "}";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
