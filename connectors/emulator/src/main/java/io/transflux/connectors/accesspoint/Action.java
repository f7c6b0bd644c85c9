package io.transflux.connectors.accesspoint;

import java.util.EnumSet;
import java.util.Set;

/**
 * A request an access point's function handles, named as in the S3 Object Lambda transformation configuration
 * ({@code Actions}: https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_ObjectLambdaTransformationConfiguration.html).
 * A request whose action is not listed is answered untransformed from the store, as S3 answers it for a
 * supporting access point, and the function is not invoked.
 */
public enum Action {
    GET_OBJECT("GetObject"),
    HEAD_OBJECT("HeadObject"),
    LIST_OBJECTS("ListObjects"),
    LIST_OBJECTS_V2("ListObjectsV2");

    private final String id;

    Action(String id) {
        this.id = id;
    }

    /** The configuration name, e.g. {@code HeadObject}. */
    public String id() {
        return id;
    }

    /** The action named {@code id} (case-insensitive). */
    public static Action fromId(String id) {
        for (Action a : values()) {
            if (a.id.equalsIgnoreCase(id.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("action: actual '" + (id.length() > 40 ? id.substring(0, 40) : id)
                + "', expected one of GetObject, HeadObject, ListObjects, ListObjectsV2");
    }

    /** A comma-separated list of action names; blank gives the empty set. */
    public static Set<Action> parseList(String ids) {
        Set<Action> out = EnumSet.noneOf(Action.class);
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
