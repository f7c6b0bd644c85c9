package io.transflux.connectors.url;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import io.transflux.connectors.ConnectorException;

/**
 * The bucket and key a request path names, checked so that no request reads outside the configured bucket and
 * prefix. The raw path is percent-decoded once; refused with 400 {@code InvalidURI}: encoded slashes or
 * backslashes ({@code %2F}, {@code %5C}), a {@code .} or {@code ..} segment, empty segments, control characters
 * (C0, DEL, C1), invalid UTF-8 or percent escapes, and keys over 1024 bytes (S3's limit).
 *
 * @param bucket the bucket to read
 * @param key    the object key, including the configured prefix
 */
record ObjectPath(String bucket, String key) {

    /** S3's key length limit, in UTF-8 bytes. */
    static final int MAX_KEY_BYTES = 1024;

    /**
     * @param rawPath the request's raw path, still percent-encoded (function URL {@code rawPath})
     * @param spec    bucket, prefix and path style
     */
    static ObjectPath parse(String rawPath, UrlFunctionSpec spec) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            throw invalid("the path must start with '/'");
        }
        String lower = rawPath.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || rawPath.indexOf('\\') >= 0) {
            throw invalid("encoded slashes and backslashes are not allowed");
        }
        String path = decode(rawPath.substring(1));
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                throw invalid("control characters are not allowed");
            }
        }
        String bucket;
        String rest;
        if (spec.bucketInPath()) {
            int slash = path.indexOf('/');
            if (slash <= 0) {
                throw invalid("expected /{bucket}/{key}");
            }
            bucket = path.substring(0, slash);
            rest = path.substring(slash + 1);
            if (!spec.buckets().contains(bucket)) {
                throw new ConnectorException(403, "AccessDenied", "Access Denied");
            }
        } else {
            bucket = spec.buckets().iterator().next();
            rest = path;
        }
        if (rest.isEmpty()) {
            throw invalid("the key is empty");
        }
        for (String seg : rest.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw invalid("empty, '.' and '..' path segments are not allowed");
            }
        }
        String key = spec.keyPrefix() + rest;
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw invalid("the key is longer than " + MAX_KEY_BYTES + " bytes");
        }
        return new ObjectPath(bucket, key);
    }

    private static final Set<Character> HEX = Set.of('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c',
            'd', 'e', 'f', 'A', 'B', 'C', 'D', 'E', 'F');

    /** Percent-decoding of a path ('+' stays '+'), strict: a bad escape or bad UTF-8 is refused. */
    private static String decode(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || !HEX.contains(s.charAt(i + 1)) || !HEX.contains(s.charAt(i + 2))) {
                    throw invalid("malformed percent escape");
                }
                out.write(Integer.parseInt(s, i + 1, i + 3, 16));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw invalid("the path is not valid UTF-8");
        }
    }

    private static ConnectorException invalid(String why) {
        return new ConnectorException(400, "InvalidURI", "Couldn't parse the specified URI: " + why + ".");
    }
}
