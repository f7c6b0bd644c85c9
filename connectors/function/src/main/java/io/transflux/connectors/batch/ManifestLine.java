package io.transflux.connectors.batch;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * One line of an S3 Batch Operations CSV manifest: {@code bucket,key[,versionId]}, the key URL-encoded
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-create-job.html#specify-batchjob-manifest).
 * A line that does not parse keeps its raw fields so the report can name it.
 *
 * @param bucket     the bucket field as written
 * @param encodedKey the key field as written (URL-encoded)
 * @param task       the decoded task, or null when the line is malformed
 * @param problem    why the line is malformed, or null
 */
public record ManifestLine(String bucket, String encodedKey, @Nullable String versionId, @Nullable BatchTask task,
        @Nullable String problem) {

    public static ManifestLine parse(String line) {
        String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        String[] f = l.split(",", -1);
        if (f.length < 2 || f.length > 3) {
            return bad(f.length > 0 ? f[0] : "", f.length > 1 ? f[1] : "", "expected bucket,key[,versionId], got "
                    + f.length + " fields");
        }
        String bucket = unquote(f[0]);
        String rawKey = unquote(f[1]);
        String version = f.length == 3 ? unquote(f[2]) : null;
        if (bucket.isEmpty() || rawKey.isEmpty()) {
            return bad(bucket, rawKey, "empty " + (bucket.isEmpty() ? "bucket" : "key"));
        }
        String key;
        try {
            key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return bad(bucket, rawKey, "the key is not URL-encoded (a bad % escape)");
        }
        if (key.indexOf('\0') >= 0) {
            return bad(bucket, rawKey, "the key holds a NUL character");
        }
        return new ManifestLine(bucket, rawKey, version, new BatchTask(bucket, key, version), null);
    }

    /** A line for an object found by listing: the key encoded as a manifest would hold it. */
    public static ManifestLine listed(String bucket, String key) {
        return new ManifestLine(bucket, URLEncoder.encode(key, StandardCharsets.UTF_8), null,
                new BatchTask(bucket, key, null), null);
    }

    private static ManifestLine bad(String bucket, String key, String why) {
        return new ManifestLine(bucket, key, null, null, why);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
