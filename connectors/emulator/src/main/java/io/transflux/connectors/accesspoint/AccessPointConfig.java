package io.transflux.connectors.accesspoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.transflux.connectors.ChecksumDelivery;
import org.jspecify.annotations.Nullable;

/**
 * A {@code serve} configuration file, JSON or YAML (chosen by the {@code .yaml}/{@code .yml} extension):
 *
 * <pre>{@code
 * allowAnonymous: true            # optional; default: true when bound to loopback
 * accessPoints:
 *   - bucket: logs                # required
 *     prefix: app                 # optional key prefix; the longest matching prefix wins
 *     name: logs-olap             # optional, [a-z0-9-]
 *     pipeline: decompress/auto   # optional; default: copy
 *     flavor: s3                  # s3 | oss
 *     allowedFeatures: [GetObject-Range, HeadObject-Range]   # default: none (501 NotImplemented)
 *     checksumDelivery: auto      # auto | trailer | header | none
 * }</pre>
 *
 * Unknown keys fail, naming the key, so a typo never silently changes behaviour.
 *
 * @param accessPoints   the configured access points, in file order
 * @param allowAnonymous the file's anonymous-access setting, or null when absent
 */
public record AccessPointConfig(List<AccessPointSpec> accessPoints, @Nullable Boolean allowAnonymous) {

    private static final Set<String> TOP = Set.of("accessPoints", "allowAnonymous");
    private static final Set<String> ENTRY = Set.of("bucket", "prefix", "name", "pipeline", "flavor", "allowedFeatures",
            "checksumDelivery", "actions");

    public AccessPointConfig {
        accessPoints = List.copyOf(accessPoints);
    }

    /**
     * Reads {@code file}.
     *
     * @throws IOException              when it cannot be read or parsed
     * @throws IllegalArgumentException naming the entry and key that are wrong
     */
    public static AccessPointConfig read(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new ObjectMapper(new YAMLFactory())
                : new ObjectMapper();
        JsonNode root;
        try (var in = Files.newInputStream(file)) {
            root = mapper.readTree(in);
        }
        return fromTree(root);
    }

    static AccessPointConfig fromTree(@Nullable JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("config: expected an object with 'accessPoints'");
        }
        root.fieldNames().forEachRemaining(k -> {
            if (!TOP.contains(k)) {
                throw new IllegalArgumentException("config: unknown key '" + k + "', expected one of " + TOP);
            }
        });
        Boolean anonymous = null;
        if (root.has("allowAnonymous")) {
            if (!root.get("allowAnonymous").isBoolean()) {
                throw new IllegalArgumentException("config.allowAnonymous: expected true or false");
            }
            anonymous = root.get("allowAnonymous").asBoolean();
        }
        List<AccessPointSpec> out = new ArrayList<>();
        JsonNode aps = root.path("accessPoints");
        if (!aps.isMissingNode() && !aps.isArray()) {
            throw new IllegalArgumentException("config.accessPoints: expected a list");
        }
        int i = 0;
        for (JsonNode ap : aps) {
            String where = "config.accessPoints[" + i++ + "]";
            if (!ap.isObject()) {
                throw new IllegalArgumentException(where + ": expected an object");
            }
            ap.fieldNames().forEachRemaining(k -> {
                if (!ENTRY.contains(k)) {
                    throw new IllegalArgumentException(where + ": unknown key '" + k + "', expected one of " + ENTRY);
                }
            });
            AccessPointSpec.Builder b = AccessPointSpec.builder();
            String bucket = text(ap, "bucket", where);
            if (bucket == null) {
                throw new IllegalArgumentException(where + ".bucket: required, missing");
            }
            b.bucket(bucket);
            String v;
            if ((v = text(ap, "prefix", where)) != null) {
                b.prefix(v);
            }
            if ((v = text(ap, "name", where)) != null) {
                b.name(v);
            }
            if ((v = text(ap, "pipeline", where)) != null) {
                b.pipeline(v);
            }
            if ((v = text(ap, "flavor", where)) != null) {
                b.flavor(Flavor.fromId(v));
            }
            if ((v = text(ap, "checksumDelivery", where)) != null) {
                b.checksumDelivery(ChecksumDelivery.fromId(v));
            }
            JsonNode f = ap.get("allowedFeatures");
            if (f != null) {
                Set<Feature> features = EnumSet.noneOf(Feature.class);
                if (f.isTextual()) {
                    features.addAll(Feature.parseList(f.asText()));
                } else if (f.isArray()) {
                    f.forEach(n -> features.add(Feature.fromId(n.asText())));
                } else {
                    throw new IllegalArgumentException(where + ".allowedFeatures: expected a list of feature names");
                }
                b.features(features);
            }
            JsonNode acts = ap.get("actions");
            if (acts != null) {
                Set<Action> actions = EnumSet.noneOf(Action.class);
                if (acts.isTextual()) {
                    actions.addAll(Action.parseList(acts.asText()));
                } else if (acts.isArray()) {
                    acts.forEach(n -> actions.add(Action.fromId(n.asText())));
                } else {
                    throw new IllegalArgumentException(where + ".actions: expected a list of action names");
                }
                b.actions(actions);
            }
            out.add(b.build());
        }
        return new AccessPointConfig(out, anonymous);
    }

    private static @Nullable String text(JsonNode ap, String key, String where) {
        JsonNode n = ap.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(where + "." + key + ": expected a string");
        }
        return n.asText();
    }
}
