package io.transflux.connectors.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Which of the caller's headers go onto the source GET (docs/protocols.md §1.6): those named in the URL's
 * {@code X-Amz-SignedHeaders} except {@code host} (a signed header left out makes S3 answer 403), plus
 * the conditional headers {@code If-Match}, {@code If-None-Match}, {@code If-Modified-Since},
 * {@code If-Unmodified-Since}. Never {@code Host}, {@code Authorization}, {@code Range} or anything the
 * transport owns, whatever the signed list says. Names are matched case-insensitively; the caller's
 * spelling is kept.
 */
final class ForwardedHeaders {

    static final Set<String> CONDITIONAL = Set.of("if-match", "if-none-match", "if-modified-since",
            "if-unmodified-since");
    static final Set<String> NEVER = Set.of("host", "authorization", "proxy-authorization", "range", "if-range",
            "cookie", "accept-encoding", "content-length", "transfer-encoding", "connection", "upgrade",
            "te", "trailer", "keep-alive", "expect");

    private final Map<String, String> headers;

    private ForwardedHeaders(Map<String, String> headers) {
        this.headers = headers;
    }

    /**
     * Picks the headers to forward.
     *
     * @throws IllegalArgumentException naming the header (never its value) when a forwarded name is not
     *     an HTTP token or a value holds CR, LF or NUL
     */
    static ForwardedHeaders select(Map<String, String> callerHeaders, Set<String> signedHeaders) {
        Map<String, Map.Entry<String, String>> byLowerName = new TreeMap<>();
        callerHeaders.forEach((name, value) -> byLowerName.put(name.toLowerCase(Locale.ROOT), Map.entry(name, value)));
        Map<String, String> selected = new LinkedHashMap<>();
        for (Map.Entry<String, Map.Entry<String, String>> e : byLowerName.entrySet()) {
            String lower = e.getKey();
            if (NEVER.contains(lower)) {
                continue;
            }
            if (CONDITIONAL.contains(lower) || signedHeaders.contains(lower)) {
                String name = e.getValue().getKey();
                String value = e.getValue().getValue();
                check(name, value);
                selected.put(name, value);
            }
        }
        return new ForwardedHeaders(Collections.unmodifiableMap(selected));
    }

    private static void check(String name, String value) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("request header name: actual empty, expected an HTTP token");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("request header name: character " + (int) c + " at index " + i
                        + ", expected an HTTP token");
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("request header '" + name + "': value has CR, LF or NUL at index "
                        + i + ", expected none");
            }
        }
    }

    /**
     * Rewrites {@code out} for one attempt: drops what a shared client may have configured and must not
     * go out, adds the forwarded headers, then {@code Range}/{@code If-Match} when resuming.
     */
    void applyTo(HttpHeaders out, long rangeStart, @Nullable String ifMatch) {
        for (String name : NEVER) {
            if (!name.equals("host")) {
                out.remove(name);
            }
        }
        headers.forEach(out::set);
        if (rangeStart >= 0) {
            out.set(HttpHeaderNames.RANGE, "bytes=" + rangeStart + "-");
            if (ifMatch != null) {
                out.set(HttpHeaderNames.IF_MATCH, ifMatch);
            }
        }
    }

    /** As {@link #applyTo(HttpHeaders, long, String)}, for the closed range {@code bytes=first-last}. */
    void applyTo(HttpHeaders out, long first, long last, String ifMatch) {
        applyTo(out, -1, null);
        out.set(HttpHeaderNames.RANGE, "bytes=" + first + "-" + last);
        out.set(HttpHeaderNames.IF_MATCH, ifMatch);
    }

    Map<String, String> asMap() {
        return headers;
    }

    /** Names only: values may be credentials. */
    @Override
    public String toString() {
        return headers.keySet().toString();
    }
}
