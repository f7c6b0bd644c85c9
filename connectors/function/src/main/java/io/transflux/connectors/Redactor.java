package io.transflux.connectors;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * The one place that renders secrets for logs and messages. Presigned URLs keep scheme, host, port and
 * path, and every query value becomes {@code ***}; tokens become {@code sha256:} plus the first 8 hex
 * characters of their SHA-256, enough to correlate two log lines without revealing the token.
 */
public final class Redactor {

    static final String MASK = "***";

    private Redactor() {
    }

    /**
     * {@code https://host/path?X-Amz-Signature=***&x=***}; {@code <unparseable-url>} when {@code url} is not
     * a URI (the raw text is never echoed).
     */
    public static String url(@Nullable String url) {
        if (url == null) {
            return "<none>";
        }
        URI u;
        try {
            u = new URI(url);
        } catch (Exception e) {
            return "<unparseable-url>";
        }
        StringBuilder sb = new StringBuilder();
        if (u.getScheme() != null) {
            sb.append(u.getScheme()).append("://");
        }
        if (u.getHost() != null) {
            sb.append(u.getHost());
        }
        if (u.getPort() >= 0) {
            sb.append(':').append(u.getPort());
        }
        if (u.getRawPath() != null) {
            sb.append(u.getRawPath());
        }
        String q = u.getRawQuery();
        if (q != null && !q.isEmpty()) {
            sb.append('?');
            String[] parts = q.split("&", -1);
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    sb.append('&');
                }
                int eq = parts[i].indexOf('=');
                sb.append(eq < 0 ? parts[i] : parts[i].substring(0, eq)).append('=').append(MASK);
            }
        }
        return sb.toString();
    }

    /** {@code sha256:0a1b2c3d} for a token, {@code <none>} for null. */
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
