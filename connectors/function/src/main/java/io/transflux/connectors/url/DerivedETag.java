package io.transflux.connectors.url;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.transflux.pipeline.Pipeline;
import org.jspecify.annotations.Nullable;

/**
 * The entity tag of a transformed object: the same source version through the same pipeline gives the same tag,
 * on every execution environment, so a CDN can revalidate. It is the first 128 bits of SHA-256 over the source's
 * ETag and the pipeline's canonical spec; the empty pipeline keeps the source's ETag (same bytes). A weak source
 * tag stays weak.
 */
final class DerivedETag {

    private DerivedETag() {
    }

    static @Nullable String of(@Nullable String sourceETag, Pipeline pipeline) {
        if (sourceETag == null || sourceETag.isEmpty()) {
            return null;
        }
        if (pipeline.isEmpty()) {
            return sourceETag;
        }
        boolean weak = sourceETag.startsWith("W/");
        String opaque = weak ? sourceETag.substring(2) : sourceETag;
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        sha.update(opaque.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        sha.update(pipeline.toString().getBytes(StandardCharsets.UTF_8));
        String tag = "\"" + HexFormat.of().formatHex(sha.digest(), 0, 16) + "\"";
        return weak ? "W/" + tag : tag;
    }

    /**
     * Whether an {@code If-None-Match} field value matches {@code tag}: {@code *}, or one listed tag equal by the
     * weak comparison (RFC 9110 §13.1.2 uses weak comparison for If-None-Match).
     */
    static boolean noneMatchHits(@Nullable String ifNoneMatch, String tag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        String want = strip(tag);
        for (String t : ifNoneMatch.split(",")) {
            String s = t.trim();
            if (s.equals("*") || strip(s).equals(want)) {
                return true;
            }
        }
        return false;
    }

    private static String strip(String t) {
        return t.startsWith("W/") ? t.substring(2) : t;
    }
}
