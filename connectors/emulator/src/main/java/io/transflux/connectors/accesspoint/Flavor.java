package io.transflux.connectors.accesspoint;

import java.util.Locale;

/** Which platform an access point emulates. */
public enum Flavor {
    /** S3 Object Lambda: SigV4, {@code getObjectContext.inputS3Url}, {@code POST /WriteGetObjectResponse}. */
    S3,
    /** OSS Object FC: OSS V1/V4, {@code getObjectContext.inputOssUrl}, {@code POST /?x-oss-write-get-object-response}. */
    OSS;

    /** {@code s3} or {@code oss}, any case. */
    public static Flavor fromId(String id) {
        try {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("flavor: actual '" + (id.length() > 20 ? id.substring(0, 20) : id)
                    + "', expected s3 or oss");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
