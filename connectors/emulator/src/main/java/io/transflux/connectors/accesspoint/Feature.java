package io.transflux.connectors.accesspoint;

import java.util.EnumSet;
import java.util.Set;

/**
 * An access point's allowed features, named as in the S3 Object Lambda configuration
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/range-get-olap.html). A request that needs a feature the
 * access point does not allow is answered 501 {@code NotImplemented} without invoking the function.
 */
public enum Feature {
    /** {@code GetObject-Range}: GET with a {@code Range} header or query parameter. */
    GET_OBJECT_RANGE("GetObject-Range"),
    /** {@code GetObject-PartNumber}: GET with {@code partNumber}. */
    GET_OBJECT_PART_NUMBER("GetObject-PartNumber"),
    /** {@code HeadObject-Range}: HEAD with a {@code Range}. */
    HEAD_OBJECT_RANGE("HeadObject-Range"),
    /** {@code HeadObject-PartNumber}: HEAD with {@code partNumber}. */
    HEAD_OBJECT_PART_NUMBER("HeadObject-PartNumber");

    private final String id;

    Feature(String id) {
        this.id = id;
    }

    /** The configuration name, e.g. {@code GetObject-Range}. */
    public String id() {
        return id;
    }

    /** The feature named {@code id} (case-insensitive). */
    public static Feature fromId(String id) {
        for (Feature f : values()) {
            if (f.id.equalsIgnoreCase(id.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("feature: actual '" + (id.length() > 40 ? id.substring(0, 40) : id)
                + "', expected one of GetObject-Range, GetObject-PartNumber, HeadObject-Range, HeadObject-PartNumber");
    }

    /** A comma-separated list of feature names; blank gives the empty set. */
    public static Set<Feature> parseList(String ids) {
        Set<Feature> out = EnumSet.noneOf(Feature.class);
        for (String s : ids.split(",")) {
            if (!s.isBlank()) {
                out.add(fromId(s));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return id;
    }
}
