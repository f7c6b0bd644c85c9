package io.transflux.pipeline.internal.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * The one place that renders secrets for messages and logs: presigned URLs ({@link #url}) and tokens
 * ({@link #token}). Renders URLs without their secrets. Presigned URLs carry credentials in the
 * query ({@code X-Amz-Signature}, {@code X-Amz-Security-Token}, OSS {@code Signature},
 * {@code security-token}), so the rendering keeps scheme, host, port and path, keeps every query
 * parameter <em>name</em> and replaces every value with {@code ***}; userinfo becomes {@code ***@} and
 * a fragment is dropped. Control characters are replaced by {@code ?} (no log injection) and the result is
 * capped at {@value #MAX_RENDERED_CHARS} characters.
 *
 * <pre>
 * https://ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com/k.txt?X-Amz-Signature=abc&amp;x-id=GetObject
 *   → https://ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com/k.txt?X-Amz-Signature=***&amp;x-id=***
 * </pre>
 */
public final class LogSafe {

    /** Longest rendering; longer ones end in {@code ...}. */
    public static final int MAX_RENDERED_CHARS = 512;
    /** What a secret value becomes. */
    public static final String MASK = "***";

    private LogSafe() {
    }

    /** The redacted form of {@code url}; never throws, whatever the input. */
    public static String url(@Nullable String url) {
        if (url == null) {
            return "<no url>";
        }
        String s = url;
        int hash = s.indexOf('#');
        if (hash >= 0) {
            s = s.substring(0, hash);
        }
        int q = s.indexOf('?');
        String base = q < 0 ? s : s.substring(0, q);
        StringBuilder out = new StringBuilder(Math.min(s.length() + 16, MAX_RENDERED_CHARS + 8));
        appendWithoutUserInfo(out, base);
        if (q >= 0) {
            out.append('?');
            String query = s.substring(q + 1);
            int start = 0;
            boolean first = true;
            while (start <= query.length()) {
                int amp = query.indexOf('&', start);
                int end = amp < 0 ? query.length() : amp;
                String param = query.substring(start, end);
                if (!param.isEmpty()) {
                    if (!first) {
                        out.append('&');
                    }
                    int eq = param.indexOf('=');
                    out.append(eq < 0 ? param : param.substring(0, eq)).append('=').append(MASK);
                    first = false;
                }
                if (amp < 0) {
                    break;
                }
                start = amp + 1;
            }
        }
        return sanitize(out);
    }

    private static void appendWithoutUserInfo(StringBuilder out, String base) {
        int schemeEnd = base.indexOf("://");
        if (schemeEnd < 0) {
            // Not an absolute URL: userinfo cannot be located reliably, so a '@' hides everything before it.
            int at = base.lastIndexOf('@');
            out.append(at < 0 ? base : MASK + base.substring(at));
            return;
        }
        int authorityStart = schemeEnd + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < base.length() && "/\\".indexOf(base.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = base.substring(authorityStart, authorityEnd);
        int at = authority.lastIndexOf('@');
        out.append(base, 0, authorityStart);
        out.append(at < 0 ? authority : MASK + authority.substring(at));
        out.append(base, authorityEnd, base.length());
    }

    private static String sanitize(StringBuilder sb) {
        int n = Math.min(sb.length(), MAX_RENDERED_CHARS);
        StringBuilder out = new StringBuilder(n + 3);
        for (int i = 0; i < n; i++) {
            char c = sb.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (sb.length() > MAX_RENDERED_CHARS) {
            out.append("...");
        }
        return out.toString();
    }

    /**
     * {@code sha256:0a1b2c3d} for a token (the first 8 hex characters of its SHA-256: enough to correlate two log
     * lines, not to reveal it), {@code <none>} for null.
     */
    public static String token(@Nullable String token) {
        if (token == null) {
            return "<none>";
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
