package io.transflux.connectors.s3;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.transflux.connectors.upload.MultipartObjectSink;
import io.transflux.connectors.upload.MultipartSpec;
import io.transflux.connectors.upload.StoreEndpoint;
import io.transflux.pipeline.sink.ObjectSink;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * An S3 or S3-compatible endpoint (MinIO, S3Mock, ...) for writing objects and presigning reads, signed with
 * SigV4 by {@code http-auth-aws} (signing name {@value #SIGNING_NAME}, {@code UNSIGNED-PAYLOAD}). AWS is
 * addressed virtual-hosted ({@code https://<bucket>.s3.<region>.amazonaws.com/<key>}, path-style for buckets
 * with dots); an {@linkplain #endpointOverride(String) endpoint override} is addressed path-style
 * ({@code <endpoint>/<bucket>/<key>}). Immutable; the {@code with}-style methods return copies.
 */
public final class S3Store implements StoreEndpoint {

    public static final String SIGNING_NAME = "s3";
    public static final String DEFAULT_REGION = "us-east-1";
    public static final Duration DEFAULT_PRESIGN_EXPIRY = Duration.ofHours(1);
    private static final Pattern VIRTUAL_HOSTABLE = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    private final String region;
    private final AwsCredentials credentials;
    private final @Nullable String endpointOverride;
    private final Clock clock;

    private S3Store(String region, AwsCredentials credentials, @Nullable String endpointOverride, Clock clock) {
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.endpointOverride = endpointOverride;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static S3Store create(String region, AwsCredentials credentials) {
        return new S3Store(region, credentials, null, Clock.systemUTC());
    }

    /**
     * From the standard AWS variables: {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY},
     * {@code AWS_SESSION_TOKEN}, {@code AWS_REGION} or {@code AWS_DEFAULT_REGION} (default
     * {@value #DEFAULT_REGION}) and {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}.
     */
    public static S3Store fromEnvironment(Map<String, String> env) {
        String region = firstNonBlank(env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"));
        S3Store s = create(region == null ? DEFAULT_REGION : region, AwsCredentials.fromEnvironment(env));
        return s.endpointOverride(firstNonBlank(env.get("AWS_ENDPOINT_URL_S3"), env.get("AWS_ENDPOINT_URL")));
    }

    private static @Nullable String firstNonBlank(@Nullable String a, @Nullable String b) {
        return a != null && !a.isBlank() ? a : (b != null && !b.isBlank() ? b : null);
    }

    /** Sends to {@code endpoint} (scheme, host, port), path-style. Null restores AWS. */
    public S3Store endpointOverride(@Nullable String endpoint) {
        String e = endpoint;
        if (e != null) {
            URI u = URI.create(e);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null || u.getRawUserInfo() != null || u.getRawQuery() != null) {
                throw new IllegalArgumentException("endpoint: expected http(s)://host[:port], got another form");
            }
            e = e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
        }
        return Objects.equals(e, endpointOverride) ? this : new S3Store(region, credentials, e, clock);
    }

    public S3Store region(String region) {
        return new S3Store(region, credentials, endpointOverride, clock);
    }

    /** Signs with {@code clock}'s time (tests). */
    public S3Store clock(Clock clock) {
        return new S3Store(region, credentials, endpointOverride, clock);
    }

    /** Whether requests go to an explicitly configured endpoint rather than AWS. */
    public boolean hasEndpointOverride() {
        return endpointOverride != null;
    }

    public String region() {
        return region;
    }

    /** A sink writing {@code s3://bucket/key} with the default {@link MultipartSpec}. */
    public ObjectSink sink(String bucket, String key) {
        return sink(bucket, key, MultipartSpec.defaults());
    }

    public ObjectSink sink(String bucket, String key, MultipartSpec spec) {
        return MultipartObjectSink.of(this, bucket, key, spec);
    }

    /**
     * A presigned {@code GET} URL for the object, valid for {@code expiry}; read it with
     * {@code HttpObjectSource}. The URL carries a signature: never log it.
     */
    public String presignGet(String bucket, String key, Duration expiry) {
        return presign("GET", bucket, key, new TreeMap<>(), expiry);
    }

    @Override
    public String presign(String method, String bucket, String key, SortedMap<String, @Nullable String> query,
            Duration expiry) {
        String base = baseUrl(bucket, key);
        String url = query.isEmpty() ? base : base + "?" + StoreEndpoint.encodeQuery(query);
        return SigV4Check.presign(method, url, Map.of(), credentials, region, SIGNING_NAME, expiry, clock);
    }

    @Override
    public Prepared prepare(String method, String bucket, String key, SortedMap<String, @Nullable String> query,
            Map<String, String> headers) {
        String base = baseUrl(bucket, key);
        String url = query.isEmpty() ? base : base + "?" + StoreEndpoint.encodeQuery(query);
        SdkHttpRequest.Builder req = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method))
                .uri(URI.create(base));
        query.forEach((k, v) -> req.appendRawQueryParameter(k, v));
        headers.forEach(req::putHeader);
        return new Prepared(url, SigV4Headers.sign(req.build(), credentials, SIGNING_NAME, region, clock));
    }

    String baseUrl(String bucket, String key) {
        String path = "/" + StoreEndpoint.encode(key, true);
        if (endpointOverride != null) {
            return endpointOverride + "/" + StoreEndpoint.encode(bucket, false) + path;
        }
        if (VIRTUAL_HOSTABLE.matcher(bucket).matches()) {
            return "https://" + bucket + ".s3." + region + ".amazonaws.com" + path;
        }
        return "https://s3." + region + ".amazonaws.com/" + StoreEndpoint.encode(bucket, false) + path;
    }

    @Override
    public String location(String bucket, String key) {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public String userMetadataPrefix() {
        return "x-amz-meta-";
    }

    @Override
    public String toString() {
        return "S3Store{region=" + region + ", endpoint=" + (endpointOverride == null ? "aws" : endpointOverride) + '}';
    }
}
