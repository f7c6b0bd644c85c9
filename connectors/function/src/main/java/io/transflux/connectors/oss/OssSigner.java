package io.transflux.connectors.oss;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.transflux.connectors.upload.StoreEndpoint;
import io.transflux.connectors.http.HttpDate;
import org.jspecify.annotations.Nullable;

/**
 * OSS request signatures, written from the documentation (docs/protocols.md §3.5, §3.6) and checked in tests
 * against {@code aliyun-sdk-oss}'s V1 and V4 signers on identical requests: WGOR (resource {@code /} with the
 * sub-resource {@value #SUBRESOURCE}) and object requests ({@code /<bucket>/<key>}). The same code verifies
 * received signatures for the local access point.
 */
public enum OssSigner {

    /** {@code Authorization: OSS <AccessKeyId>:<Base64(HMAC-SHA1)>} over verb, MD5, type, Date, x-oss-*, resource. */
    V1 {
        @Override
        void sign(String method, String resource, SortedMap<String, @Nullable String> query, Map<String, String> headers,
                OssCredentials c, String region, Instant now) {
            headers.put("Date", HttpDate.format(now));
            if (c.securityToken() != null) {
                headers.put("x-oss-security-token", c.securityToken());
            }
            String sig = v1Signature(method, resource + v1Query(query), headers, c.accessKeySecret());
            headers.put("Authorization", "OSS " + c.accessKeyId() + ":" + sig);
        }
    },

    /** {@code OSS4-HMAC-SHA256} with {@code x-oss-content-sha256: UNSIGNED-PAYLOAD}. */
    V4 {
        @Override
        void sign(String method, String resource, SortedMap<String, @Nullable String> query, Map<String, String> headers,
                OssCredentials c, String region, Instant now) {
            String dateTime = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(now.atOffset(ZoneOffset.UTC));
            String date = dateTime.substring(0, 8);
            headers.put("x-oss-date", dateTime);
            headers.put("x-oss-content-sha256", "UNSIGNED-PAYLOAD");
            if (c.securityToken() != null) {
                headers.put("x-oss-security-token", c.securityToken());
            }
            String scope = date + "/" + region + "/oss/aliyun_v4_request";
            String sig = v4Signature(method, resource, query, headers, List.of(), c.accessKeySecret(), region, dateTime);
            headers.put("Authorization", "OSS4-HMAC-SHA256 Credential=" + c.accessKeyId() + "/" + scope
                    + ",Signature=" + sig);
        }
    };

    /** The WGOR sub-resource, signed without a value. */
    public static final String SUBRESOURCE = "x-oss-write-get-object-response";

    private static final Pattern V1_AUTH = Pattern.compile("OSS ([^:]+):(\\S+)");
    private static final Pattern V4_AUTH = Pattern.compile(
            "OSS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/oss/aliyun_v4_request(?:,\\s*AdditionalHeaders=([^,]+))?,\\s*Signature=([0-9a-f]{64})");

    /**
     * Adds the date, token and {@code Authorization} headers of a WGOR request to {@code headers} (names as
     * given, values trimmed when signed).
     */
    void sign(Map<String, String> headers, OssCredentials credentials, String region, Instant now) {
        sign("POST", "/", wgorQuery(), headers, credentials, region, now);
    }

    /**
     * Signs any request: {@code resource} is {@code /} or {@code /<bucket>/<key>}, not encoded; {@code query}
     * holds the sub-resources ({@code uploads}, {@code partNumber}, {@code uploadId}), not encoded.
     */
    abstract void sign(String method, String resource, SortedMap<String, @Nullable String> query,
            Map<String, String> headers, OssCredentials credentials, String region, Instant now);

    /** {@code v1} or {@code v4}, any case. */
    public static OssSigner fromId(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }

    /**
     * Whether a received WriteGetObjectResponse request carries a valid V1 or V4 signature, recomputed with the
     * same code that signs ours. {@code headers} are the received headers (any name case); {@code secrets}
     * gives the credentials for an access key id, or null when unknown. The date is checked by the caller.
     */
    public static boolean verifiesWgor(Map<String, String> headers, Function<String, @Nullable OssCredentials> secrets) {
        return verifies("POST", "/?" + SUBRESOURCE, headers, secrets);
    }

    /**
     * Whether a received request carries a valid V1 ({@code OSS id:sig}) or V4 signature over {@code verb} and
     * {@code canonicalResource} ({@code /bucket/key} plus signed sub-resources; V4 only for the WGOR resource).
     */
    public static boolean verifies(String verb, String canonicalResource, Map<String, String> headers,
            Function<String, @Nullable OssCredentials> secrets) {
        String auth = get(headers, "authorization");
        Matcher v1 = V1_AUTH.matcher(auth);
        if (v1.matches()) {
            OssCredentials c = secrets.apply(v1.group(1));
            return c != null && equal(v1Signature(verb, canonicalResource, headers, c.accessKeySecret()), v1.group(2));
        }
        Matcher v4 = V4_AUTH.matcher(auth);
        if (v4.matches() && verb.equals("POST") && canonicalResource.equals("/?" + SUBRESOURCE)) {
            OssCredentials c = secrets.apply(v4.group(1));
            String dateTime = get(headers, "x-oss-date");
            if (c == null || !dateTime.startsWith(v4.group(2))) {
                return false;
            }
            List<String> additional = v4.group(4) == null ? List.of() : List.of(v4.group(4).split(";"));
            return equal(v4Signature("POST", "/", wgorQuery(), headers, additional, c.accessKeySecret(), v4.group(3),
                    dateTime), v4.group(5));
        }
        return false;
    }

    private static SortedMap<String, @Nullable String> wgorQuery() {
        SortedMap<String, @Nullable String> q = new TreeMap<>();
        q.put(SUBRESOURCE, null);
        return q;
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The query of a V1 presigned URL ({@code OSSAccessKeyId}, {@code Expires}, {@code Signature}, and
     * {@code security-token} for STS credentials) for {@code method} on {@code resource} ({@code /bucket/key}) with
     * the sub-resources in {@code query}, which are signed and returned too. The string to sign has
     * {@code Expires} (epoch seconds) where a header signature has {@code Date}.
     */
    public static SortedMap<String, @Nullable String> presignV1(String method, String resource,
            SortedMap<String, @Nullable String> query, OssCredentials c, Instant expires) {
        SortedMap<String, @Nullable String> signedQuery = new TreeMap<>(query);
        if (c.securityToken() != null) {
            signedQuery.put("security-token", c.securityToken());
        }
        Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("Date", Long.toString(expires.getEpochSecond()));
        String sig = v1Signature(method, resource + v1Query(signedQuery), h, c.accessKeySecret());
        SortedMap<String, @Nullable String> out = new TreeMap<>(signedQuery);
        out.put("OSSAccessKeyId", c.accessKeyId());
        out.put("Expires", Long.toString(expires.getEpochSecond()));
        out.put("Signature", sig);
        return out;
    }

    /** {@code ?a&b=c} in the order given (sub-resources sorted by the caller's map), or empty. */
    private static String v1Query(SortedMap<String, @Nullable String> query) {
        StringBuilder sb = new StringBuilder();
        char sep = '?';
        for (Map.Entry<String, @Nullable String> e : query.entrySet()) {
            sb.append(sep).append(e.getKey());
            if (e.getValue() != null && !e.getValue().isEmpty()) {
                sb.append('=').append(e.getValue());
            }
            sep = '&';
        }
        return sb.toString();
    }

    private static String v1Signature(String verb, String resource, Map<String, String> headers, String secret) {
        StringBuilder sts = new StringBuilder(verb).append('\n')
                .append(get(headers, "content-md5")).append('\n')
                .append(get(headers, "content-type")).append('\n')
                .append(get(headers, "date")).append('\n');
        for (Map.Entry<String, String> e : ossHeaders(headers).entrySet()) {
            sts.append(e.getKey()).append(':').append(e.getValue()).append('\n');
        }
        sts.append(resource);
        return Base64.getEncoder().encodeToString(hmac("HmacSHA1", secret.getBytes(StandardCharsets.UTF_8),
                sts.toString()));
    }

    private static String v4Signature(String method, String resource, SortedMap<String, @Nullable String> query,
            Map<String, String> headers, List<String> additional, String secret, String region, String dateTime) {
        String date = dateTime.substring(0, 8);
        TreeMap<String, String> signed = ossHeaders(headers);
        String type = get(headers, "content-type");
        if (!type.isEmpty()) {
            signed.put("content-type", type);
        }
        String md5 = get(headers, "content-md5");
        if (!md5.isEmpty()) {
            signed.put("content-md5", md5);
        }
        for (String name : additional) {
            signed.put(name.toLowerCase(Locale.ROOT), get(headers, name));
        }
        StringBuilder canonical = new StringBuilder(method).append('\n')
                .append(StoreEndpoint.encode(resource, true)).append('\n');
        TreeMap<String, String> params = new TreeMap<>();
        query.forEach((k, v) -> params.put(StoreEndpoint.encode(k.trim(), false),
                v == null ? "" : StoreEndpoint.encode(v.trim(), false)));
        String sep = "";
        for (Map.Entry<String, String> e : params.entrySet()) {
            canonical.append(sep).append(e.getKey());
            if (!e.getValue().isEmpty()) {
                canonical.append('=').append(e.getValue());
            }
            sep = "&";
        }
        canonical.append('\n');
        for (Map.Entry<String, String> e : signed.entrySet()) {
            canonical.append(e.getKey()).append(':').append(e.getValue()).append('\n');
        }
        canonical.append('\n').append(String.join(";", additional)).append("\nUNSIGNED-PAYLOAD");
        String scope = date + "/" + region + "/oss/aliyun_v4_request";
        String stringToSign = "OSS4-HMAC-SHA256\n" + dateTime + "\n" + scope + "\n"
                + HexFormat.of().formatHex(sha256(canonical.toString()));
        byte[] key = hmac("HmacSHA256", ("aliyun_v4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac("HmacSHA256", key, region);
        key = hmac("HmacSHA256", key, "oss");
        key = hmac("HmacSHA256", key, "aliyun_v4_request");
        return HexFormat.of().formatHex(hmac("HmacSHA256", key, stringToSign));
    }

    private static TreeMap<String, String> ossHeaders(Map<String, String> headers) {
        TreeMap<String, String> out = new TreeMap<>();
        headers.forEach((k, v) -> {
            String n = k.toLowerCase(Locale.ROOT);
            if (n.startsWith("x-oss-")) {
                out.put(n, v.trim());
            }
        });
        return out;
    }

    private static String get(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().trim();
            }
        }
        return "";
    }

    private static byte[] hmac(String alg, byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(alg);
            mac.init(new SecretKeySpec(key, alg));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg + " is mandatory in every JDK", e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
