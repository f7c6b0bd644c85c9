package io.transflux.connectors.process;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.transflux.connectors.ConnectorException;
import org.jspecify.annotations.Nullable;

/**
 * The {@code sys/saveas,o_<object>,b_<bucket>} stage (docs/protocols.md §6.4): where a processed object is saved.
 * {@code o} is required, {@code b} is optional and defaults to the source bucket. Both are URL-safe Base64 of
 * UTF-8; padding and the standard alphabet ({@code +}, {@code /}) are accepted, {@link #toString()} emits the
 * URL-safe alphabet without padding. {@code {varname}} templates are not expanded: the decoded text is the
 * name.
 *
 * <table>
 *   <caption>Errors (status, OSS code)</caption>
 *   <tr><td>{@code o} missing, a parameter unknown or repeated, bad Base64 or not UTF-8</td><td>400
 *       {@code InvalidArgument}</td></tr>
 *   <tr><td>object name empty, over {@value #MAX_KEY_BYTES} bytes, starting with {@code /} or {@code \}, or with
 *       control characters</td><td>400 {@code InvalidObjectName}</td></tr>
 *   <tr><td>bucket name not 3–63 of {@code [a-z0-9.-]} starting and ending with a letter or digit</td><td>400
 *       {@code InvalidBucketName}</td></tr>
 *   <tr><td>no {@code b} and no source bucket</td><td>400 {@code InvalidArgument}</td></tr>
 *   <tr><td>bucket not allowed</td><td>403 {@code AccessDenied}</td></tr>
 * </table>
 *
 * @param object the target key
 * @param bucket the target bucket, or null for the source bucket
 */
public record SaveAs(String object, @Nullable String bucket) {

    /** The stage name. */
    public static final String STAGE = "sys/saveas";
    public static final int MAX_KEY_BYTES = 1023;
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public SaveAs {
        Objects.requireNonNull(object, "object");
        checkObject(object);
        if (bucket != null) {
            checkBucket(bucket);
        }
    }

    /** Parses {@code sys/saveas,o_...[,b_...]}. */
    public static SaveAs parse(String stage) {
        String s = stage.trim();
        if (!s.startsWith(STAGE) || (s.length() > STAGE.length() && s.charAt(STAGE.length()) != ',')) {
            throw invalid("stage '" + abbreviate(s) + "': expected " + STAGE + ",o_<base64 object>[,b_<base64 bucket>]");
        }
        String object = null;
        String bucket = null;
        String params = s.substring(STAGE.length());
        for (String p : params.isEmpty() ? new String[0] : params.substring(1).split(",", -1)) {
            if (p.startsWith("o_") && object == null) {
                object = decode("o", p.substring(2));
            } else if (p.startsWith("b_") && bucket == null) {
                bucket = decode("b", p.substring(2));
            } else {
                String key = p.indexOf('_') > 0 ? p.substring(0, p.indexOf('_')) : p;
                throw invalid(STAGE + ": parameter '" + abbreviate(key) + "': "
                        + (key.equals("o") || key.equals("b") ? "given twice" : "unknown, expected o or b"));
            }
        }
        if (object == null) {
            throw invalid(STAGE + ": parameter o (target object, URL-safe Base64): missing");
        }
        return new SaveAs(object, bucket);
    }

    /**
     * The bucket to write to: {@link #bucket()} or else {@code sourceBucket}, which {@code allowed} must accept.
     */
    public String targetBucket(@Nullable String sourceBucket, Predicate<String> allowed) {
        String b = bucket != null ? bucket : sourceBucket;
        if (b == null) {
            throw invalid(STAGE + ": parameter b (target bucket): missing, and the source has no bucket");
        }
        checkBucket(b);
        if (!allowed.test(b)) {
            throw new ConnectorException(403, "AccessDenied", STAGE + ": target bucket '" + b + "' is not allowed");
        }
        return b;
    }

    /** URL-safe Base64 without padding, as OSS documents it. */
    public static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String param, String value) {
        if (value.isEmpty()) {
            throw invalid(STAGE + ": parameter " + param + ": empty, expected URL-safe Base64");
        }
        byte[] bytes;
        try {
            String v = value;
            while (v.endsWith("=")) {
                v = v.substring(0, v.length() - 1);
            }
            if (v.length() % 4 == 1) {
                throw new IllegalArgumentException("length");
            }
            bytes = v.indexOf('+') >= 0 || v.indexOf('/') >= 0
                    ? Base64.getDecoder().decode(pad(v)) : Base64.getUrlDecoder().decode(pad(v));
        } catch (IllegalArgumentException e) {
            throw invalid(STAGE + ": parameter " + param + ": not Base64 (expected the URL-safe alphabet A-Z a-z 0-9 - _)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw invalid(STAGE + ": parameter " + param + ": decodes to bytes that are not UTF-8");
        }
    }

    private static String pad(String v) {
        return v + "===".substring(0, (4 - v.length() % 4) % 4);
    }

    static void checkObject(String object) {
        int bytes = object.getBytes(StandardCharsets.UTF_8).length;
        String problem = null;
        if (object.isEmpty()) {
            problem = "empty";
        } else if (bytes > MAX_KEY_BYTES) {
            problem = bytes + " bytes, expected at most " + MAX_KEY_BYTES;
        } else if (object.charAt(0) == '/' || object.charAt(0) == '\\') {
            problem = "starts with '" + object.charAt(0) + "'";
        } else if (object.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            problem = "contains a control character";
        }
        if (problem != null) {
            throw new ConnectorException(400, "InvalidObjectName", STAGE + ": target object name: " + problem);
        }
    }

    static void checkBucket(String bucket) {
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new ConnectorException(400, "InvalidBucketName", STAGE + ": target bucket '" + abbreviate(bucket)
                    + "': expected 3-63 of a-z 0-9 . - starting and ending with a letter or digit");
        }
    }

    private static ConnectorException invalid(String message) {
        return new ConnectorException(400, "InvalidArgument", message);
    }

    private static String abbreviate(String s) {
        String t = s.chars().anyMatch(c -> c < 0x20) ? s.replaceAll("\\p{Cntrl}", "?") : s;
        return t.length() > 64 ? t.substring(0, 64) + "..." : t;
    }

    /** The canonical stage text, e.g. {@code sys/saveas,o_dGVzdC5qcGc,b_dGVzdA}. */
    @Override
    public String toString() {
        return STAGE + ",o_" + encode(object) + (bucket == null ? "" : ",b_" + encode(bucket));
    }
}
