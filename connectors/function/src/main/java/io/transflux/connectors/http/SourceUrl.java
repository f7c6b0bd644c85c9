package io.transflux.connectors.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.SourceException;
import org.jspecify.annotations.Nullable;
import io.transflux.pipeline.internal.secret.LogSafe;

/**
 * A source URL that passed validation, kept as the exact string received (it goes out byte for byte:
 * re-encoding would break the signature) plus what was learnt from parsing it with {@link URI}.
 *
 * <p>Refused, as {@link ErrorCode#SOURCE_NOT_ALLOWED}: anything over {@value #MAX_URL_CHARS} characters,
 * whitespace, control characters, backslashes, a fragment, a scheme other than {@code http}/{@code https}
 * ({@code http} too when the spec is https-only), userinfo or any {@code @} in the authority, a missing
 * or non-DNS host, a host name the {@link HostGuard} patterns reject, and an IP-literal host in a refused
 * address class. Messages carry only the redacted URL.
 */
final class SourceUrl {

    static final int MAX_URL_CHARS = 16 * 1024;
    /** Shorter query values are too common to scrub from free text, and too short to be credentials. */
    private static final int MIN_SECRET_CHARS = 4;

    private final String raw;
    private final String redacted;
    private final String host;
    private final Set<String> signedHeaders;
    private final List<String> secrets;

    private SourceUrl(String raw, String redacted, String host, Set<String> signedHeaders, List<String> secrets) {
        this.raw = raw;
        this.redacted = redacted;
        this.host = host;
        this.signedHeaders = signedHeaders;
        this.secrets = secrets;
    }

    static SourceUrl parse(String raw, HttpSourceSpec spec) {
        String redacted = LogSafe.url(raw);
        if (raw.length() > MAX_URL_CHARS) {
            throw refused(redacted, "length " + raw.length() + " exceeds " + MAX_URL_CHARS + " characters");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw refused(redacted, "whitespace or control character at index " + i);
            }
            if (c == '\\') {
                throw refused(redacted, "backslash at index " + i);
            }
            if (c == '#') {
                throw refused(redacted, "fragment present");
            }
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            // The parser's message quotes the input, so only the index is kept.
            throw refused(redacted, "not a valid URL (syntax error at index " + e.getIndex() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && !spec.httpsOnly())) {
            throw refused(redacted, "scheme '" + (scheme.length() > 16 ? scheme.substring(0, 16) : scheme)
                    + "', expected " + (spec.httpsOnly() ? "https" : "http or https"));
        }
        String authority = uri.getRawAuthority();
        if (uri.getRawUserInfo() != null || (authority != null && authority.indexOf('@') >= 0)) {
            throw refused(redacted, "userinfo present");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw refused(redacted, "no valid DNS name or IP literal as host");
        }
        HostGuard guard = spec.hostGuard();
        if (!guard.permitsHostName(host)) {
            throw refused(redacted, "host does not match the allowed host patterns");
        }
        byte[] literal = IpRange.literal(host);
        if (literal != null) {
            String why = guard.refusal(literal);
            if (why != null) {
                throw refused(redacted, "address is " + why);
            }
        }
        return new SourceUrl(raw, redacted, host, signedHeaders(uri.getRawQuery()), secrets(uri.getRawQuery()));
    }

    /** The query, and each query value raw and decoded (4+ characters), longest first. */
    private static List<String> secrets(@Nullable String rawQuery) {
        Set<String> found = new LinkedHashSet<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            found.add(rawQuery);
            for (String param : rawQuery.split("&")) {
                int eq = param.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String value = param.substring(eq + 1);
                found.add(value);
                try {
                    found.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // the raw form is masked already
                }
            }
        }
        List<String> list = new ArrayList<>();
        for (String f : found) {
            if (f.length() >= MIN_SECRET_CHARS) {
                list.add(f);
            }
        }
        list.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(list);
    }

    /**
     * {@code text} with the raw URL replaced by its redacted form and every query value masked: for
     * messages of third-party exceptions that may quote the request URI.
     */
    String scrub(String text) {
        String out = text.replace(raw, redacted);
        for (String secret : secrets) {
            out = out.replace(secret, LogSafe.MASK);
        }
        return out;
    }

    private static SourceException refused(String redacted, String why) {
        return new SourceException(ErrorCode.SOURCE_NOT_ALLOWED, 0, null, "source URL " + redacted + " refused: " + why);
    }

    /**
     * The lower-cased names in {@code X-Amz-SignedHeaders} (URL-decoded, split on {@code ;}), empty when
     * the parameter is absent. Parameter names compare case-insensitively.
     */
    static Set<String> signedHeaders(@Nullable String rawQuery) {
        Set<String> names = new LinkedHashSet<>();
        if (rawQuery == null) {
            return names;
        }
        for (String param : rawQuery.split("&")) {
            int eq = param.indexOf('=');
            if (eq < 0 || !param.substring(0, eq).equalsIgnoreCase("X-Amz-SignedHeaders")) {
                continue;
            }
            String value;
            try {
                value = URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                continue; // malformed escape: nothing usable; S3 will refuse the signature anyway
            }
            for (String name : value.split(";")) {
                String n = name.trim().toLowerCase(Locale.ROOT);
                if (!n.isEmpty()) {
                    names.add(n);
                }
            }
        }
        return names;
    }

    /** The URL exactly as received. Never put it in a message or a log line. */
    String raw() {
        return raw;
    }

    String redacted() {
        return redacted;
    }

    String host() {
        return host;
    }

    Set<String> signedHeaders() {
        return signedHeaders;
    }

    @Override
    public String toString() {
        return redacted;
    }
}
