package io.transflux.connectors.oss;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

import io.transflux.connectors.upload.MultipartObjectSink;
import io.transflux.connectors.upload.MultipartSpec;
import io.transflux.connectors.upload.StoreEndpoint;
import io.transflux.pipeline.sink.ObjectSink;
import org.jspecify.annotations.Nullable;

/**
 * An OSS endpoint for writing objects with {@code PutObject} and OSS multipart upload, signed by
 * {@link OssSigner} (V4 by default, V1 on request). Addressed virtual-hosted
 * ({@code https://<bucket>.<endpoint host>/<key>}) or, with {@link #pathStyle(boolean)} (a local access point),
 * {@code <endpoint>/<bucket>/<key>}. Immutable; the fluent methods return copies.
 */
public final class OssStore implements StoreEndpoint {

    private final String endpoint;
    private final String region;
    private final OssCredentials credentials;
    private final OssSigner signer;
    private final boolean pathStyle;
    private final Clock clock;

    private OssStore(String endpoint, String region, OssCredentials credentials, OssSigner signer, boolean pathStyle,
            Clock clock) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.pathStyle = pathStyle;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param endpoint e.g. {@code https://oss-cn-hangzhou.aliyuncs.com}
     * @param region   the V4 scope region, e.g. {@code cn-hangzhou}
     */
    public static OssStore create(String endpoint, String region, OssCredentials credentials) {
        URI u = URI.create(endpoint);
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                || u.getHost() == null || u.getRawUserInfo() != null || u.getRawQuery() != null) {
            throw new IllegalArgumentException("endpoint: expected http(s)://host[:port]");
        }
        String e = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return new OssStore(e, region, credentials, OssSigner.V4, false, Clock.systemUTC());
    }

    public OssStore signer(OssSigner signer) {
        return new OssStore(endpoint, region, credentials, signer, pathStyle, clock);
    }

    /** Puts the bucket in the path rather than the host name. */
    public OssStore pathStyle(boolean pathStyle) {
        return new OssStore(endpoint, region, credentials, signer, pathStyle, clock);
    }

    public OssStore clock(Clock clock) {
        return new OssStore(endpoint, region, credentials, signer, pathStyle, clock);
    }

    public ObjectSink sink(String bucket, String key) {
        return sink(bucket, key, MultipartSpec.defaults());
    }

    public ObjectSink sink(String bucket, String key, MultipartSpec spec) {
        return MultipartObjectSink.of(this, bucket, key, spec);
    }

    @Override
    public Prepared prepare(String method, String bucket, String key, SortedMap<String, @Nullable String> query,
            Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        signer.sign(method, "/" + bucket + "/" + key, query, h, credentials, region, clock.instant());
        String base = baseUrl(bucket, key);
        return new Prepared(query.isEmpty() ? base : base + "?" + StoreEndpoint.encodeQuery(query), h);
    }

    /** A V1 presigned URL (the form OSS SDKs presign by default); {@code query} holds sub-resources such as versionId. */
    @Override
    public String presign(String method, String bucket, String key, SortedMap<String, @Nullable String> query,
            java.time.Duration expiry) {
        SortedMap<String, @Nullable String> q = OssSigner.presignV1(method, "/" + bucket + "/" + key, query,
                credentials, clock.instant().plus(expiry));
        return baseUrl(bucket, key) + "?" + StoreEndpoint.encodeQuery(q);
    }

    String baseUrl(String bucket, String key) {
        String path = "/" + StoreEndpoint.encode(key, true);
        if (pathStyle) {
            return endpoint + "/" + StoreEndpoint.encode(bucket, false) + path;
        }
        int schemeEnd = endpoint.indexOf("://") + 3;
        return endpoint.substring(0, schemeEnd) + bucket + "." + endpoint.substring(schemeEnd) + path;
    }

    @Override
    public String location(String bucket, String key) {
        return "oss://" + bucket + "/" + key;
    }

    @Override
    public String userMetadataPrefix() {
        return "x-oss-meta-";
    }

    @Override
    public String toString() {
        return "OssStore{endpoint=" + endpoint + ", region=" + region + ", signer=" + signer + '}';
    }
}
