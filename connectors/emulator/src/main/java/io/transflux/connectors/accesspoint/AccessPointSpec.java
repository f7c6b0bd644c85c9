package io.transflux.connectors.accesspoint;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import io.transflux.connectors.ChecksumDelivery;
import io.transflux.pipeline.Pipeline;
import org.jspecify.annotations.Nullable;

/**
 * One access point: which objects it covers (a bucket, or a key prefix in it), the pipeline its function runs
 * (sent as the event's {@code configuration.payload}), the platform flavour, the allowed features and how the
 * function delivers the output checksum. Immutable.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>Setting</th><th>Default</th></tr>
 *   <tr><td>{@link #prefix()}</td><td>{@code ""} (the whole bucket)</td></tr>
 *   <tr><td>{@link #pipeline()}</td><td>{@value #DEFAULT_PIPELINE} (copy)</td></tr>
 *   <tr><td>{@link #flavor()}</td><td>{@link Flavor#S3}</td></tr>
 *   <tr><td>{@link #features()}</td><td>none (as on AWS: ranged and part requests get 501)</td></tr>
 *   <tr><td>{@link #checksumDelivery()}</td><td>{@link ChecksumDelivery#AUTO}</td></tr>
 *   <tr><td>{@link #actions()}</td><td>all four in-process; {@code GetObject} for a function behind a URL</td></tr>
 * </table>
 */
public final class AccessPointSpec {

    public static final String DEFAULT_PIPELINE = "";
    /** What an external function handles unless configured: GetObject, as the AWS handler examples do. */
    public static final Set<Action> EXTERNAL_FUNCTION_ACTIONS = Set.of(Action.GET_OBJECT);

    private final String name;
    private final @Nullable String bucket;
    private final String prefix;
    private final String pipeline;
    private final Flavor flavor;
    private final Set<Feature> features;
    private final ChecksumDelivery checksumDelivery;
    private final @Nullable Set<Action> actions;

    private AccessPointSpec(Builder b) {
        this.actions = b.actions == null ? null : Set.copyOf(b.actions);
        this.bucket = b.bucket;
        this.prefix = b.prefix;
        this.pipeline = b.pipeline;
        this.flavor = b.flavor;
        this.features = Set.copyOf(b.features);
        this.checksumDelivery = b.checksumDelivery;
        this.name = b.name != null ? b.name : (bucket == null ? "default" : bucket + (prefix.isEmpty() ? "" : "-" + prefix
                .replaceAll("[^A-Za-z0-9-]", "-"))) + "-olap";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The access point name used in the event's ARNs. */
    public String name() {
        return name;
    }

    /** The bucket covered, or null for every bucket (the flag-built access point). */
    public @Nullable String bucket() {
        return bucket;
    }

    public String prefix() {
        return prefix;
    }

    /** The pipeline spec; parsed when the spec is built, so it is always valid. */
    public String pipeline() {
        return pipeline;
    }

    public Flavor flavor() {
        return flavor;
    }

    public Set<Feature> features() {
        return features;
    }

    public boolean allows(Feature f) {
        return features.contains(f);
    }

    public ChecksumDelivery checksumDelivery() {
        return checksumDelivery;
    }

    /**
     * The actions the function handles, or null when not set: then every action for the in-process function and
     * {@link #EXTERNAL_FUNCTION_ACTIONS} for a function behind a URL.
     */
    public @Nullable Set<Action> actions() {
        return actions;
    }

    /** This access point running {@code newPipeline} instead (already parsed by the caller). */
    AccessPointSpec withPipeline(String newPipeline) {
        Builder b = new Builder();
        b.name = name;
        b.bucket = bucket;
        b.prefix = prefix;
        b.pipeline = newPipeline;
        b.flavor = flavor;
        b.features.addAll(features);
        b.checksumDelivery = checksumDelivery;
        b.actions = actions;
        return new AccessPointSpec(b);
    }

    /** Whether this access point covers {@code key} in {@code bucket}. */
    boolean covers(String bucket, String key) {
        return (this.bucket == null || this.bucket.equals(bucket)) && key.startsWith(prefix);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof AccessPointSpec s && s.name.equals(name) && Objects.equals(s.bucket, bucket)
                && s.prefix.equals(prefix) && s.pipeline.equals(pipeline) && s.flavor == flavor
                && s.features.equals(features) && s.checksumDelivery == checksumDelivery
                && Objects.equals(s.actions, actions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, bucket, prefix, pipeline, flavor, features, checksumDelivery, actions);
    }

    @Override
    public String toString() {
        return "AccessPointSpec{name=" + name + ", bucket=" + bucket + ", prefix=" + prefix + ", pipeline=" + pipeline
                + ", flavor=" + flavor.id() + ", features=" + features + ", checksumDelivery=" + checksumDelivery.id() + ", actions=" + actions + '}';
    }

    /** Builds an {@link AccessPointSpec}; {@link #build()} parses the pipeline. */
    public static final class Builder {
        private @Nullable String name;
        private @Nullable String bucket;
        private String prefix = "";
        private String pipeline = DEFAULT_PIPELINE;
        private Flavor flavor = Flavor.S3;
        private Set<Feature> features = EnumSet.noneOf(Feature.class);
        private ChecksumDelivery checksumDelivery = ChecksumDelivery.AUTO;
        private @Nullable Set<Action> actions;

        private Builder() {
        }

        /** The actions the function handles (null: the default for the kind of function, see {@link #actions()}). */
        public Builder actions(@Nullable Set<Action> actions) {
            this.actions = actions == null ? null : EnumSet.copyOf(actions);
            return this;
        }

        public Builder name(String name) {
            if (!name.matches("[a-z0-9][a-z0-9-]{1,62}")) {
                throw new IllegalArgumentException("name: actual '" + (name.length() > 70 ? name.substring(0, 70) : name)
                        + "', expected 2-63 characters [a-z0-9-]");
            }
            this.name = name;
            return this;
        }

        public Builder bucket(@Nullable String bucket) {
            this.bucket = bucket;
            return this;
        }

        public Builder prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        public Builder pipeline(String pipeline) {
            this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
            return this;
        }

        public Builder flavor(Flavor flavor) {
            this.flavor = Objects.requireNonNull(flavor, "flavor");
            return this;
        }

        public Builder features(Set<Feature> features) {
            this.features = EnumSet.noneOf(Feature.class);
            this.features.addAll(features);
            return this;
        }

        public Builder checksumDelivery(ChecksumDelivery delivery) {
            this.checksumDelivery = Objects.requireNonNull(delivery, "checksumDelivery");
            return this;
        }

        /** @throws io.transflux.pipeline.PipelineSpecException for an invalid pipeline */
        public AccessPointSpec build() {
            Pipeline.parse(pipeline);
            return new AccessPointSpec(this);
        }
    }
}
