package io.transflux.connectors.url;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.transflux.pipeline.Pipeline;
import org.jspecify.annotations.Nullable;

/**
 * Where a function URL reads from and how it answers. Immutable; {@link #fromEnvironment} is what the deployed
 * function uses.
 *
 * <table>
 *   <caption>Settings, environment variables and defaults</caption>
 *   <tr><th>Setting</th><th>Variable</th><th>Default</th></tr>
 *   <tr><td>{@link Builder#bucket} (paths {@code /{key}})</td><td>{@value #BUCKET_ENV}</td><td>required, unless buckets</td></tr>
 *   <tr><td>{@link Builder#bucketsInPath} (paths {@code /{bucket}/{key}})</td><td>{@value #BUCKETS_ENV} (comma-separated allow-list)</td><td>-</td></tr>
 *   <tr><td>{@link Builder#keyPrefix}</td><td>{@value #KEY_PREFIX_ENV}</td><td>none: the whole bucket</td></tr>
 *   <tr><td>{@link Builder#cacheControl}</td><td>{@value #CACHE_CONTROL_ENV}</td><td>the source object's</td></tr>
 *   <tr><td>{@link Builder#endpoint}</td><td>{@code AWS_ENDPOINT_URL_S3} (path-style)</td><td>{@code https://{bucket}.s3.{region}.amazonaws.com}</td></tr>
 *   <tr><td>{@link Builder#region}</td><td>{@code AWS_REGION}, {@code AWS_DEFAULT_REGION}</td><td>required</td></tr>
 *   <tr><td>{@link Builder#presignExpiry}</td><td>-</td><td>{@link #DEFAULT_PRESIGN_EXPIRY} (resumes stay valid)</td></tr>
 *   <tr><td>{@link Builder#pipelineForPrefix}</td><td>{@value #PIPELINES_ENV}: a JSON object of path prefix to
 *   pipeline spec, e.g. {@code {"logs/": "decompress/gzip", "images/": ""}}</td><td>none: every path gets the
 *   function's pipeline ({@code TRANSFLUX_PIPELINE})</td></tr>
 * </table>
 *
 * <p>Per-prefix pipelines: a prefix is matched against the request path without its leading {@code /}, decoded
 * and checked ({@code {key}}, or {@code {bucket}/{key}} when the bucket is in the path; the configured key prefix
 * is not part of it). The longest matching prefix wins; no match means the default pipeline.
 */
public final class UrlFunctionSpec {

    public static final String BUCKET_ENV = "TRANSFLUX_URL_BUCKET";
    public static final String BUCKETS_ENV = "TRANSFLUX_URL_BUCKETS";
    public static final String KEY_PREFIX_ENV = "TRANSFLUX_URL_KEY_PREFIX";
    public static final String CACHE_CONTROL_ENV = "TRANSFLUX_URL_CACHE_CONTROL";
    public static final String ENDPOINT_ENV = "AWS_ENDPOINT_URL_S3";
    public static final String PIPELINES_ENV = "TRANSFLUX_URL_PIPELINES";
    public static final Duration DEFAULT_PRESIGN_EXPIRY = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> buckets;
    private final boolean bucketInPath;
    private final String keyPrefix;
    private final @Nullable String cacheControl;
    private final @Nullable URI endpoint;
    private final String region;
    private final Duration presignExpiry;
    /** Path prefix to pipeline, longest prefix first. */
    private final List<Map.Entry<String, Pipeline>> pipelines;

    private UrlFunctionSpec(Builder b) {
        if (b.buckets.isEmpty()) {
            throw new IllegalArgumentException("bucket: expected " + BUCKET_ENV + " or " + BUCKETS_ENV + ", got neither");
        }
        if (b.region == null || b.region.isEmpty()) {
            throw new IllegalArgumentException("region: expected AWS_REGION, got none");
        }
        this.buckets = Set.copyOf(b.buckets);
        this.bucketInPath = b.bucketInPath;
        this.keyPrefix = b.keyPrefix;
        this.cacheControl = b.cacheControl;
        this.endpoint = b.endpoint;
        this.region = b.region;
        this.presignExpiry = b.presignExpiry;
        this.pipelines = b.pipelines.entrySet().stream()
                .sorted(Map.Entry.<String, Pipeline>comparingByKey(Comparator.comparingInt(String::length)).reversed())
                .map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * From the function's environment (table above).
     *
     * @throws IllegalArgumentException naming the missing or malformed variable (never a secret)
     */
    public static UrlFunctionSpec fromEnvironment(Map<String, String> env) {
        Builder b = builder();
        String many = env.get(BUCKETS_ENV);
        String one = env.get(BUCKET_ENV);
        if (many != null && !many.isBlank()) {
            b.bucketsInPath(Set.of(many.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty())
                    .collect(Collectors.toCollection(LinkedHashSet::new)));
        } else if (one != null && !one.isBlank()) {
            b.bucket(one.trim());
        }
        String prefix = env.get(KEY_PREFIX_ENV);
        if (prefix != null) {
            b.keyPrefix(prefix);
        }
        b.cacheControl(env.get(CACHE_CONTROL_ENV));
        String ep = env.get(ENDPOINT_ENV);
        if (ep != null && !ep.isBlank()) {
            b.endpoint(URI.create(ep.trim()));
        }
        b.region(env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION")));
        String routes = env.get(PIPELINES_ENV);
        if (routes != null && !routes.isBlank()) {
            parsePipelines(routes).forEach(b::pipelineForPrefix);
        }
        return b.build();
    }

    /**
     * {@value #PIPELINES_ENV}'s JSON object, prefix to pipeline spec, in order.
     *
     * @throws IllegalArgumentException naming the variable, and the prefix when its value is bad
     * @throws io.transflux.pipeline.PipelineException for a spec naming an unknown stage or bad parameter
     */
    static Map<String, Pipeline> parsePipelines(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(PIPELINES_ENV + ": expected a JSON object of path prefix to pipeline "
                    + "spec, e.g. {\"logs/\": \"decompress/gzip\"}, got " + (root == null ? "no JSON" : root.getNodeType()));
        }
        Map<String, Pipeline> out = new LinkedHashMap<>();
        var fields = root.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException(PIPELINES_ENV + ": prefix '" + shortened(e.getKey())
                        + "': expected a pipeline spec string, got " + e.getValue().getNodeType());
            }
            out.put(e.getKey(), Pipeline.parse(e.getValue().asText()));
        }
        return out;
    }

    private static String shortened(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    /** The pipeline for {@code p}: the longest configured prefix of its path, else {@code dflt}. */
    Pipeline pipelineFor(ObjectPath p, Pipeline dflt) {
        if (pipelines.isEmpty()) {
            return dflt;
        }
        String rest = p.key().substring(keyPrefix.length());
        String path = bucketInPath ? p.bucket() + "/" + rest : rest;
        for (Map.Entry<String, Pipeline> e : pipelines) {
            if (path.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return dflt;
    }

    /** The configured path prefixes and their pipelines, longest prefix first. */
    public List<Map.Entry<String, Pipeline>> pipelines() {
        return pipelines;
    }

    /** The allowed buckets; exactly one when the path carries only the key. */
    public Set<String> buckets() {
        return buckets;
    }

    /** Whether paths are {@code /{bucket}/{key}} (else {@code /{key}}). */
    public boolean bucketInPath() {
        return bucketInPath;
    }

    /** Prepended to every key: the function never reads outside it. */
    public String keyPrefix() {
        return keyPrefix;
    }

    public @Nullable String cacheControl() {
        return cacheControl;
    }

    public @Nullable URI endpoint() {
        return endpoint;
    }

    public String region() {
        return region;
    }

    public Duration presignExpiry() {
        return presignExpiry;
    }

    /** The source object's URL, unsigned: virtual-hosted on AWS, path-style on an overridden endpoint. */
    URI objectUri(ObjectPath p) {
        String key = io.transflux.pipeline.internal.uri.PercentEncoding.encodePath(p.key());
        if (endpoint == null) {
            return URI.create("https://" + p.bucket() + ".s3." + region + ".amazonaws.com/" + key);
        }
        String base = endpoint.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/" + p.bucket() + "/" + key);
    }

    @Override
    public String toString() {
        return "UrlFunctionSpec{buckets=" + buckets + ", bucketInPath=" + bucketInPath + ", keyPrefix='" + keyPrefix
                + "', region=" + region + ", endpoint=" + endpoint
                + (pipelines.isEmpty() ? "" : ", pipelines=" + pipelines.stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList()) + '}';
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private Set<String> buckets = Set.of();
        private boolean bucketInPath;
        private String keyPrefix = "";
        private @Nullable String cacheControl;
        private @Nullable URI endpoint;
        private @Nullable String region;
        private Duration presignExpiry = DEFAULT_PRESIGN_EXPIRY;
        private final Map<String, Pipeline> pipelines = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Paths starting with {@code prefix} (no leading {@code /}; see the class notes) run {@code pipeline}; the
         * longest matching prefix wins.
         */
        public Builder pipelineForPrefix(String prefix, Pipeline pipeline) {
            Objects.requireNonNull(pipeline, "pipeline");
            if (prefix == null || prefix.isEmpty() || prefix.startsWith("/")) {
                throw new IllegalArgumentException(PIPELINES_ENV + ": prefix: actual '" + (prefix == null ? "null"
                        : shortened(prefix)) + "', expected a non-empty path prefix without a leading '/'");
            }
            for (int i = 0; i < prefix.length(); i++) {
                char c = prefix.charAt(i);
                if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                    throw new IllegalArgumentException(PIPELINES_ENV + ": prefix: expected no control characters");
                }
            }
            if (pipelines.containsKey(prefix)) {
                throw new IllegalArgumentException(PIPELINES_ENV + ": prefix '" + shortened(prefix) + "' given twice");
            }
            pipelines.put(prefix, pipeline);
            return this;
        }

        /** Serve {@code /{key}} from {@code bucket}. */
        public Builder bucket(String bucket) {
            this.buckets = Set.of(checkBucket(bucket));
            this.bucketInPath = false;
            return this;
        }

        /** Serve {@code /{bucket}/{key}}, for these buckets only; others get 403. */
        public Builder bucketsInPath(Set<String> buckets) {
            buckets.forEach(Builder::checkBucket);
            this.buckets = new LinkedHashSet<>(buckets);
            this.bucketInPath = true;
            return this;
        }

        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /** The {@code Cache-Control} of every answer, or null to pass on the source object's. */
        public Builder cacheControl(@Nullable String cacheControl) {
            this.cacheControl = cacheControl == null || cacheControl.isBlank() ? null : cacheControl.trim();
            return this;
        }

        public Builder endpoint(@Nullable URI endpoint) {
            if (endpoint != null && !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
                throw new IllegalArgumentException(ENDPOINT_ENV + ": expected an http(s) URL, got scheme "
                        + endpoint.getScheme());
            }
            this.endpoint = endpoint;
            return this;
        }

        public Builder region(@Nullable String region) {
            this.region = region;
            return this;
        }

        public Builder presignExpiry(Duration presignExpiry) {
            if (presignExpiry.isNegative() || presignExpiry.isZero() || presignExpiry.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("presignExpiry: actual " + presignExpiry + ", expected (0, 7 days]");
            }
            this.presignExpiry = presignExpiry;
            return this;
        }

        private static String checkBucket(String b) {
            if (!b.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("bucket: actual '" + (b.length() > 64 ? b.substring(0, 64) : b)
                        + "', expected an S3 bucket name (3-63 of a-z 0-9 . -)");
            }
            return b;
        }

        public UrlFunctionSpec build() {
            return new UrlFunctionSpec(this);
        }
    }
}
