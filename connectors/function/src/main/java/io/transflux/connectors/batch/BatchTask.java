package io.transflux.connectors.batch;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One object to transform: bucket, key (decoded, as stored) and the exact version when the manifest or event
 * names one.
 */
public record BatchTask(String bucket, String key, @Nullable String versionId) {

    public BatchTask {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        if (versionId != null && versionId.isEmpty()) {
            versionId = null;
        }
    }
}
