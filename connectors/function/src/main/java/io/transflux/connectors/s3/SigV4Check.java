package io.transflux.connectors.s3;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.transflux.pipeline.internal.uri.PercentEncoding;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.internal.signer.CredentialScope;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4Properties;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4RequestSigner;
import software.amazon.awssdk.http.auth.aws.internal.signer.V4RequestSigningResult;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Verifies SigV4 signatures on received requests by recomputing them with the AWS SDK's
 * {@link AwsV4HttpSigner} from the headers the request says it signed, and presigns URLs with the same signer
 * (query authentication). Used by local endpoints that play the platform's part (the local access point, tests);
 * nothing here is hand-rolled cryptography. Results never carry secrets.
 */
public final class SigV4Check {

    /** What a verification found. */
    public enum Status {
        /** The signature matches. */
        VALID,
        /** No SigV4 authentication on the request. */
        ABSENT,
        /** Authentication present but unparsable (bad Authorization, missing X-Amz-Date, ...). */
        MALFORMED,
        /** The access key id is not known. */
        UNKNOWN_KEY,
        /** The request time is more than 15 minutes from now, or the presigned URL expired. */
        EXPIRED,
        /** Recomputed signature differs. */
        MISMATCH,
        /** {@code x-amz-content-sha256} is none of the forms {@link SignedPayload} checks (e.g. SigV4a streaming). */
        UNSUPPORTED_PAYLOAD
    }

    /**
     * The verdict.
     *
     * @param status      the outcome
     * @param accessKeyId the key id the request named, when parsable
     * @param service     the signing name in the credential scope, when parsable
     * @param region      the region in the credential scope, when parsable
     */
    public record Verdict(Status status, @Nullable String accessKeyId, @Nullable String service, @Nullable String region,
            @Nullable SignedPayload payload) {
        public Verdict(Status status, @Nullable String accessKeyId, @Nullable String service, @Nullable String region) {
            this(status, accessKeyId, service, region, null);
        }

        public boolean valid() {
            return status == Status.VALID;
        }
    }

    /** The allowed distance between the signing time and now, as S3 enforces it. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private static final Pattern AUTH = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*SignedHeaders=([^,]+),\\s*Signature=([0-9a-f]{64})");
    private static final Pattern CREDENTIAL = Pattern.compile("([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Set<String> SIGNER_ADDS = Set.of("host", "x-amz-date");
    private static final Set<String> QUERY_AUTH = Set.of("x-amz-algorithm", "x-amz-credential", "x-amz-date",
            "x-amz-expires", "x-amz-signedheaders", "x-amz-signature", "x-amz-security-token");

    private SigV4Check() {
    }

    /**
     * Verifies header authentication ({@code Authorization: AWS4-HMAC-SHA256 ...}) over the payload hash the
     * request claims; the body itself is checked against that claim by the returned {@link SignedPayload}.
     *
     * @param method   the HTTP method
     * @param rawUri   path and query exactly as received (still percent-encoded)
     * @param headers  received headers, names lower-case, repeated values joined with {@code ,}
     * @param secrets  the credentials for an access key id, or null when unknown
     * @param clock    now, for the skew check
     * @return the verdict; when valid, its {@link Verdict#payload()} holds the body to the signed
     *         {@code x-amz-content-sha256} (a SHA-256, {@code UNSIGNED-PAYLOAD} or an {@code aws-chunked} form)
     */
    public static Verdict verifyHeader(String method, String rawUri, Map<String, String> headers,
            Function<String, @Nullable AwsCredentials> secrets, Clock clock) {
        try {
            return checkHeader(method, rawUri, headers, secrets, clock);
        } catch (IllegalArgumentException e) {
            // A method, Host or URI the signer cannot build a request from: refuse, never throw (a 500 otherwise).
            return new Verdict(Status.MALFORMED, null, null, null);
        }
    }

    private static Verdict checkHeader(String method, String rawUri, Map<String, String> headers,
            Function<String, @Nullable AwsCredentials> secrets, Clock clock) {
        String auth = headers.get("authorization");
        if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256")) {
            return new Verdict(Status.ABSENT, null, null, null);
        }
        Matcher m = AUTH.matcher(auth.trim());
        if (!m.matches()) {
            return new Verdict(Status.MALFORMED, null, null, null);
        }
        String keyId = m.group(1);
        String region = m.group(3);
        String service = m.group(4);
        Instant at = parseDate(headers.get("x-amz-date"));
        if (at == null || !m.group(2).equals(headers.get("x-amz-date").substring(0, 8))) {
            return new Verdict(Status.MALFORMED, keyId, service, region);
        }
        AwsCredentials c = secrets.apply(keyId);
        if (c == null) {
            return new Verdict(Status.UNKNOWN_KEY, keyId, service, region);
        }
        if (Duration.between(at, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
            return new Verdict(Status.EXPIRED, keyId, service, region);
        }
        SdkHttpRequest.Builder req = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
                .uri(requestUri(headers, rawUri));
        for (String name : m.group(5).split(";")) {
            String value = headers.get(name);
            if (value == null) {
                return new Verdict(Status.MISMATCH, keyId, service, region);
            }
            if (!SIGNER_ADDS.contains(name)) {
                req.putHeader(name, value);
            }
        }
        String payload = headers.get("x-amz-content-sha256");
        if (payload == null) {
            payload = SignedPayload.UNSIGNED_PAYLOAD;
        } else if (!SignedPayload.accepted(payload)) {
            return new Verdict(Status.UNSUPPORTED_PAYLOAD, keyId, service, region);
        }
        List<String> signedNames = List.of(m.group(5).split(";"));
        for (String name : SIGNER_ADDS) {
            String value = headers.get(name);
            if (value != null && signedNames.contains(name)) {
                req.putHeader(name, value);
            }
        }
        // The public AwsV4HttpSigner hashes a payload it holds; here the body is still arriving, so the
        // signature is recomputed over the hash the request claims (as S3 does), with the SDK's own request
        // signer, and SignedPayload then holds the body to that claim as it streams.
        CredentialScope scope = new CredentialScope(region, service, at);
        V4RequestSigningResult signed = V4RequestSigner.create(V4Properties.builder()
                .credentials(identity(c, headers.get("x-amz-security-token")))
                .credentialScope(scope)
                .signingClock(Clock.fixed(at, ZoneOffset.UTC))
                .doubleUrlEncode(false)
                .normalizePath(false)
                .build(), payload).sign(req);
        String signedHeaders = String.join(";", new java.util.TreeSet<>(signedNames));
        boolean same = constantTimeEquals(signed.getSignature(), m.group(6)) && signedHeaders.equals(m.group(5));
        if (!same) {
            return new Verdict(Status.MISMATCH, keyId, service, region);
        }
        return new Verdict(Status.VALID, keyId, service, region, new SignedPayload(payload, headers.get("x-amz-trailer"),
                signed.getSigningKey(), signed.getSignature(), scope));
    }

    /**
     * Verifies query authentication (a presigned URL, {@code X-Amz-Signature} in the query), payload
     * {@code UNSIGNED-PAYLOAD} as S3 presigns it.
     */
    public static Verdict verifyQuery(String method, String rawUri, Map<String, String> headers,
            Function<String, @Nullable AwsCredentials> secrets, Clock clock) {
        return verifyQuery(method, rawUri, headers, secrets, clock, false);
    }

    /**
     * Like {@link #verifyQuery(String, String, Map, Function, Clock)}, for a request without a body; with
     * {@code emptyPayloadSigned} the canonical request holds the empty body's SHA-256, as services other than S3
     * presign (the SDK's {@code AwsV4HttpSigner} for e.g. {@code lambda}), instead of {@code UNSIGNED-PAYLOAD}.
     */
    public static Verdict verifyQuery(String method, String rawUri, Map<String, String> headers,
            Function<String, @Nullable AwsCredentials> secrets, Clock clock, boolean emptyPayloadSigned) {
        try {
            return checkQuery(method, rawUri, headers, secrets, clock, emptyPayloadSigned);
        } catch (IllegalArgumentException e) {
            // Bad percent-encoding, method, Host or URI: refuse, never throw (a 500 otherwise).
            return new Verdict(Status.MALFORMED, null, null, null);
        }
    }

    private static Verdict checkQuery(String method, String rawUri, Map<String, String> headers,
            Function<String, @Nullable AwsCredentials> secrets, Clock clock, boolean emptyPayloadSigned) {
        int q = rawUri.indexOf('?');
        Map<String, String> query = new LinkedHashMap<>();
        StringBuilder rest = new StringBuilder();
        if (q >= 0) {
            for (String pair : rawUri.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                if (QUERY_AUTH.contains(k.toLowerCase(Locale.ROOT))) {
                    query.put(k.toLowerCase(Locale.ROOT), decode(eq < 0 ? "" : pair.substring(eq + 1)));
                } else {
                    rest.append(rest.length() == 0 ? "?" : "&").append(pair);
                }
            }
        }
        String sig = query.get("x-amz-signature");
        if (sig == null) {
            return new Verdict(Status.ABSENT, null, null, null);
        }
        Matcher m = CREDENTIAL.matcher(query.getOrDefault("x-amz-credential", ""));
        Instant at = parseDate(query.get("x-amz-date"));
        long expires;
        try {
            expires = Long.parseLong(query.getOrDefault("x-amz-expires", ""));
        } catch (NumberFormatException ex) {
            expires = -1;
        }
        if (!m.matches() || at == null || expires < 1 || expires > 604800 || !query.containsKey("x-amz-signedheaders")) {
            return new Verdict(Status.MALFORMED, null, null, null);
        }
        String keyId = m.group(1);
        String region = m.group(3);
        String service = m.group(4);
        AwsCredentials c = secrets.apply(keyId);
        if (c == null) {
            return new Verdict(Status.UNKNOWN_KEY, keyId, service, region);
        }
        Instant now = clock.instant();
        if (now.isAfter(at.plusSeconds(expires)) || at.isAfter(now.plus(MAX_SKEW))) {
            return new Verdict(Status.EXPIRED, keyId, service, region);
        }
        String path = q < 0 ? rawUri : rawUri.substring(0, q);
        SdkHttpRequest.Builder req = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
                .uri(requestUri(headers, path + rest));
        for (String name : query.get("x-amz-signedheaders").split(";")) {
            String value = headers.get(name);
            if (value == null) {
                return new Verdict(Status.MISMATCH, keyId, service, region);
            }
            if (!SIGNER_ADDS.contains(name)) {
                req.putHeader(name, value);
            }
        }
        long seconds = expires;
        SignedRequest signed = AwsV4HttpSigner.create().sign(s -> s
                .identity(identity(c, query.get("x-amz-security-token")))
                .request(req.build())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, emptyPayloadSigned)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(seconds))
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
        List<String> expected = signed.request().rawQueryParameters().getOrDefault("X-Amz-Signature", List.of());
        boolean same = expected.size() == 1 && constantTimeEquals(expected.get(0), sig);
        return new Verdict(same ? Status.VALID : Status.MISMATCH, keyId, service, region);
    }

    /**
     * Presigns {@code url} for {@code method} (query authentication, {@code UNSIGNED-PAYLOAD}), signing
     * {@code host} plus {@code signedHeaders}, which the holder of the URL must then send.
     */
    public static String presign(String method, String url, Map<String, String> signedHeaders, AwsCredentials credentials,
            String region, String service, Duration expiry, Clock clock) {
        SdkHttpRequest.Builder req = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(URI.create(url));
        signedHeaders.forEach(req::putHeader);
        SignedRequest signed = AwsV4HttpSigner.create().sign(s -> s
                .identity(credentials.identity())
                .request(req.build())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expiry)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        return signed.request().getUri().toString();
    }

    /** The received request's URI; an IllegalArgumentException (MALFORMED) when the Host names no host. */
    private static URI requestUri(Map<String, String> headers, String target) {
        URI uri = URI.create("http://" + headers.getOrDefault("host", "localhost") + target);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("Host: not a host name");
        }
        return uri;
    }

    private static AwsCredentialsIdentity identity(AwsCredentials c, @Nullable String sessionToken) {
        AwsCredentialsIdentity id = c.identity();
        if (sessionToken != null && !(id instanceof AwsSessionCredentialsIdentity)) {
            return AwsSessionCredentialsIdentity.create(id.accessKeyId(), id.secretAccessKey(), sessionToken);
        }
        return id;
    }

    private static @Nullable Instant parseDate(@Nullable String amzDate) {
        if (amzDate == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static String encode(String s) {
        return PercentEncoding.encode(s);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
