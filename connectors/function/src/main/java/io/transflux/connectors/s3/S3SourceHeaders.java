package io.transflux.connectors.s3;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the source GET must carry (docs/protocols.md §1.6): every header named in the presigned URL's
 * {@code X-Amz-SignedHeaders} except {@code host}, copied from the caller's headers (a signed header left out
 * makes S3 answer 403), plus the caller's conditional headers. Never {@code Host}, authorization headers or
 * the caller's {@code Range}: ranges apply to the transformed output. Also reads the caller's Range and
 * partNumber, looked up case-insensitively.
 */
final class S3SourceHeaders {

    private static final List<String> CONDITIONALS = List.of("If-Match", "If-Modified-Since", "If-None-Match",
            "If-Unmodified-Since");
    private static final List<String> NEVER = List.of("host", "authorization", "range", "x-amz-security-token");

    private S3SourceHeaders() {
    }

    static Map<String, String> forSource(String presignedUrl, @Nullable Map<String, String> callerHeaders) {
        Map<String, String> caller = callerHeaders == null ? Map.of() : callerHeaders;
        Map<String, String> out = new LinkedHashMap<>();
        String signed = queryValue(rawQuery(presignedUrl), "X-Amz-SignedHeaders", true);
        if (signed != null) {
            for (String name : signed.split(";")) {
                String n = name.trim().toLowerCase(Locale.ROOT);
                if (n.isEmpty() || NEVER.contains(n)) {
                    continue;
                }
                Map.Entry<String, String> e = find(caller, n);
                if (e != null) {
                    out.put(e.getKey(), e.getValue());
                }
            }
        }
        for (String c : CONDITIONALS) {
            Map.Entry<String, String> e = find(caller, c);
            if (e != null) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** The caller's Range: the header, else a {@code Range} query parameter of the (decoded) user URL. */
    static @Nullable String range(@Nullable Map<String, String> callerHeaders, @Nullable String userUrl) {
        Map.Entry<String, String> e = callerHeaders == null ? null : find(callerHeaders, "Range");
        if (e != null) {
            return e.getValue();
        }
        return userUrl == null ? null : queryValue(rawQuery(userUrl), "Range", false);
    }

    static @Nullable String partNumber(@Nullable String userUrl) {
        return userUrl == null ? null : queryValue(rawQuery(userUrl), "partNumber", false);
    }

    static boolean checksumRequested(@Nullable Map<String, String> callerHeaders) {
        Map.Entry<String, String> e = callerHeaders == null ? null : find(callerHeaders, "x-amz-checksum-mode");
        return e != null && "ENABLED".equalsIgnoreCase(e.getValue().trim());
    }

    static Map.@Nullable Entry<String, String> find(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e;
            }
        }
        return null;
    }

    private static @Nullable String rawQuery(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        int hash = url.indexOf('#', q);
        return hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
    }

    /**
     * The first value of {@code key} (case-insensitive). The user URL is already decoded, so '&' or '=' inside
     * values is ambiguous; the first '=' splits and values are taken as they are.
     */
    private static @Nullable String queryValue(@Nullable String query, String key, boolean decode) {
        if (query == null) {
            return null;
        }
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            if (k.equalsIgnoreCase(key)) {
                String v = eq < 0 ? "" : part.substring(eq + 1);
                try {
                    return decode ? URLDecoder.decode(v, StandardCharsets.UTF_8) : v;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
