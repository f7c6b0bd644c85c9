package io.transflux.connectors.accesspoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.transflux.pipeline.internal.uri.PercentEncoding;
import org.jspecify.annotations.Nullable;

/**
 * The storage behind the access point: a bucket is a sub-folder of the root and an object is a regular file
 * under it. Keys use {@code /}; dot segments and hidden top-level names are refused, so no request escapes the
 * root. ETags are derived from size and modification time (cheap for multi-GiB files), not MD5.
 */
final class FileStore {

    static final int DEFAULT_MAX_KEYS = 1000;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** How {@code FileObjectSink} names its temporary files; listings skip them. */
    static final String TEMP_SUFFIX = ".transflux-tmp";

    final Path root;
    private final ObjectRecords records;

    FileStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.records = new ObjectRecords(this);
    }

    /**
     * A stored object's file and attributes. An object written through the access point has the ETag, Content-Type
     * and user metadata recorded when it was written ({@link ObjectRecord}); a file put into the folder by other
     * means has an ETag derived from size and modification time, no recorded type and no user metadata.
     */
    record Entry(String key, Path file, long size, Instant lastModified, @Nullable ObjectRecord record) {
        String etag() {
            return record != null ? record.etag()
                    : "\"" + Long.toHexString(size) + "-" + Long.toHexString(lastModified.toEpochMilli()) + "\"";
        }

        /** The recorded Content-Type, else one guessed from the key's extension. */
        String contentType() {
            return record != null && record.contentType() != null ? record.contentType() : FileStore.contentType(key);
        }

        /** User metadata by lower-case name without the platform prefix; empty when none was recorded. */
        Map<String, String> userMetadata() {
            return record != null ? record.userMetadata() : Map.of();
        }
    }

    static boolean validBucket(String bucket) {
        return bucket.matches("[a-z0-9][a-z0-9.-]{0,62}") && !bucket.contains("..");
    }

    @Nullable Path bucketDir(String bucket) {
        if (!validBucket(bucket)) {
            return null;
        }
        Path p = root.resolve(bucket);
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? p : null;
    }

    /** The object, or null when missing (also for keys that would leave the bucket). */
    @Nullable Entry object(String bucket, String key) throws IOException {
        Path dir = bucketDir(bucket);
        if (dir == null || !validKey(key)) {
            return null;
        }
        Path f = dir.resolve(key).normalize();
        if (!f.startsWith(dir) || !Files.isRegularFile(f) || !inside(f)) {
            return null;
        }
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        return new Entry(key, f, a.size(), a.lastModifiedTime().toInstant(), records.read(bucket, key, a));
    }

    /**
     * Records what was written to {@code bucket}/{@code key}: called after the object's file is in place, so a
     * failure in between leaves the object with a derived ETag and no metadata, never metadata of another write.
     */
    void record(String bucket, String key, String etag, @Nullable String contentType, Map<String, String> userMetadata)
            throws IOException {
        Path dir = bucketDir(bucket);
        Path f = dir == null ? null : dir.resolve(key).normalize();
        if (f == null || !f.startsWith(dir) || !inside(f)) {
            throw new PlatformError(400, "InvalidObjectName", "The specified object name is not valid.");
        }
        records.write(bucket, key, Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS),
                etag, contentType, userMetadata);
    }

    /**
     * Where a new object {@code key} of an existing {@code bucket} goes; creates its parent folders. 404
     * {@code NoSuchBucket} or 400 {@code InvalidObjectName} as a {@link PlatformError}.
     */
    Path newObject(String bucket, String key) throws IOException {
        Path dir = bucketDir(bucket);
        if (dir == null) {
            throw new PlatformError(404, "NoSuchBucket", "The specified bucket does not exist.");
        }
        checkSegments(key);
        Path f = dir.resolve(key).normalize();
        if (!validKey(key) || key.endsWith("/") || key.endsWith(TEMP_SUFFIX) || !f.startsWith(dir)
                || Files.isDirectory(f)) {
            throw new PlatformError(400, "InvalidObjectName", "The specified object name is not valid.");
        }
        if (!inside(f)) {
            throw new PlatformError(400, "InvalidObjectName", "The specified object name is not valid.");
        }
        Files.createDirectories(f.getParent());
        if (!inside(f)) {
            throw new PlatformError(400, "InvalidObjectName", "The specified object name is not valid.");
        }
        return f;
    }

    /** The most bytes a file name may have on the file systems the store runs on (ext4, APFS, NTFS in UTF-16). */
    static final int MAX_SEGMENT_BYTES = 255;

    /**
     * 400 {@code InvalidObjectName} (OSS's code; writes are OSS-flavour) when a path segment of {@code key} is longer than a file name may be here:
     * S3 allows any segment up to the 1024-byte key, but this store keeps each segment as a file or folder name.
     */
    static void checkSegments(String key) {
        for (String seg : key.split("/", -1)) {
            int n = seg.getBytes(StandardCharsets.UTF_8).length;
            if (n > MAX_SEGMENT_BYTES) {
                throw new PlatformError(400, "InvalidObjectName", "A path segment of the key has " + n
                        + " bytes; the local store keeps each segment as a file name of at most " + MAX_SEGMENT_BYTES
                        + " bytes.");
            }
        }
    }

    /**
     * Whether {@code p} stays under the root once symbolic links are resolved: the real path of {@code p}, or of
     * its nearest existing ancestor when it does not exist yet, starts with the root's real path. A link that
     * points out of the root (to read, or to write through) is treated as absent or invalid.
     */
    boolean inside(Path p) {
        try {
            Path real = root.toRealPath();
            Path existing = p;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return false;
            }
            if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
                return false; // a dangling link: writing would create its target, wherever that is
            }
            return existing.toRealPath().startsWith(real);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean validKey(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("\\") || key.indexOf('\0') >= 0) {
            return false;
        }
        for (String seg : key.split("/", -1)) {
            if (seg.equals("..") || seg.equals(".")) {
                return false;
            }
        }
        return true;
    }

    List<String> buckets() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(FileStore::validBucket).sorted()
                    .forEach(out::add);
        }
        return out;
    }

    static String contentType(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        String ext = k.substring(k.lastIndexOf('.') + 1);
        return switch (ext) {
            case "json" -> "application/json";
            case "jsonl", "ndjson" -> "application/x-ndjson";
            case "txt", "log", "md" -> "text/plain";
            case "csv" -> "text/csv";
            case "xml" -> "application/xml";
            case "gz" -> "application/gzip";
            case "zst" -> "application/zstd";
            case "bz2" -> "application/x-bzip2";
            case "zip" -> "application/zip";
            case "jpg", "jpeg" -> "image/jpeg";
            case "png" -> "image/png";
            case "webp" -> "image/webp";
            case "gif" -> "image/gif";
            default -> "binary/octet-stream";
        };
    }

    static String lastModified(Instant t) {
        return io.transflux.connectors.http.HttpDate.format(t);
    }

    /**
     * A ListObjects (v1) or ListObjectsV2 result document for {@code bucket} with the S3 query parameters
     * {@code q} (prefix, delimiter, max-keys, marker / continuation-token / start-after, encoding-type,
     * fetch-owner). As on S3: a page that ends on a common prefix names that prefix as its NextMarker or
     * continuation token, and a marker at or inside a common prefix skips the whole prefix, so every prefix is
     * listed once and IsTruncated is true only when something follows; {@code max-keys=0} is an empty,
     * untruncated page; v1 lists each key's Owner, v2 only with {@code fetch-owner=true}.
     */
    String list(String bucket, Path dir, Map<String, String> q, boolean v2) throws IOException {
        String prefix = q.getOrDefault("prefix", "");
        String delimiter = q.getOrDefault("delimiter", "");
        int maxKeys = DEFAULT_MAX_KEYS;
        if (q.containsKey("max-keys")) {
            try {
                maxKeys = Math.max(0, Math.min(DEFAULT_MAX_KEYS, Integer.parseInt(q.get("max-keys"))));
            } catch (NumberFormatException e) {
                throw new PlatformError(400, "InvalidArgument", "max-keys: expected an integer");
            }
        }
        boolean url = "url".equals(q.get("encoding-type"));
        boolean owner = !v2 || "true".equals(q.get("fetch-owner"));
        String after = v2 ? q.getOrDefault("start-after", "") : q.getOrDefault("marker", "");
        String token = q.get("continuation-token");
        if (v2 && token != null) {
            after = decodeToken(token);
        }
        TreeSet<String> keys = new TreeSet<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> Files.isRegularFile(p) && !p.getFileName().toString().endsWith(TEMP_SUFFIX) && inside(p))
                    .forEach(p -> keys.add(dir.relativize(p).toString().replace('\\', '/')));
        }
        StringBuilder contents = new StringBuilder();
        TreeSet<String> common = new TreeSet<>();
        int count = 0;
        String last = null;
        boolean truncated = false;
        for (String key : maxKeys == 0 ? new TreeSet<String>() : keys.tailSet(after, false)) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            String cp = null;
            if (!delimiter.isEmpty()) {
                int i = key.indexOf(delimiter, prefix.length());
                if (i >= 0) {
                    cp = key.substring(0, i + delimiter.length());
                    // Listed on this page, or on an earlier one that ended on this prefix (or a key inside it).
                    if (common.contains(cp) || cp.compareTo(after) <= 0) {
                        continue;
                    }
                }
            }
            if (count == maxKeys) {
                truncated = true;
                break;
            }
            count++;
            if (cp != null) {
                common.add(cp);
                last = cp;
                continue;
            }
            last = key;
            Entry e = object(bucket, key);
            if (e == null) {
                continue;
            }
            contents.append("<Contents><Key>").append(enc(key, url)).append("</Key><LastModified>")
                    .append(ISO.format(e.lastModified())).append("</LastModified><ETag>")
                    .append(PlatformError.escape(e.etag())).append("</ETag><Size>").append(e.size())
                    .append("</Size><StorageClass>STANDARD</StorageClass>").append(owner ? OWNER : "")
                    .append("</Contents>");
        }
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
                .append("<Name>").append(bucket).append("</Name><Prefix>").append(enc(prefix, url)).append("</Prefix>");
        if (v2) {
            if (token != null) {
                x.append("<ContinuationToken>").append(PlatformError.escape(token)).append("</ContinuationToken>");
            }
            if (q.containsKey("start-after")) {
                x.append("<StartAfter>").append(enc(q.get("start-after"), url)).append("</StartAfter>");
            }
            x.append("<KeyCount>").append(count).append("</KeyCount>");
        } else {
            x.append("<Marker>").append(enc(after, url)).append("</Marker>");
        }
        x.append("<MaxKeys>").append(maxKeys).append("</MaxKeys>");
        if (!delimiter.isEmpty()) {
            x.append("<Delimiter>").append(enc(delimiter, url)).append("</Delimiter>");
        }
        if (url) {
            x.append("<EncodingType>url</EncodingType>");
        }
        x.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (truncated && last != null) {
            if (v2) {
                x.append("<NextContinuationToken>")
                        .append(Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)))
                        .append("</NextContinuationToken>");
            } else if (!delimiter.isEmpty()) {
                x.append("<NextMarker>").append(enc(last, url)).append("</NextMarker>");
            }
        }
        x.append(contents);
        for (String cp : common) {
            x.append("<CommonPrefixes><Prefix>").append(enc(cp, url)).append("</Prefix></CommonPrefixes>");
        }
        return x.append("</ListBucketResult>\n").toString();
    }

    /** The one owner of everything in the store, as ListBuckets and ListObjects name it. */
    static final String OWNER = "<Owner><ID>local</ID><DisplayName>local</DisplayName></Owner>";

    /** The key a continuation token names; 400 {@code InvalidArgument} for one this store did not make. */
    static String decodeToken(String token) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Base64.getUrlDecoder()
                    .decode(token))).toString();
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw new PlatformError(400, "InvalidArgument", "The continuation token provided is incorrect");
        }
    }

    String listBuckets() throws IOException {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
                .append(OWNER).append("<Buckets>");
        for (String b : buckets()) {
            Instant t = Files.getLastModifiedTime(root.resolve(b)).toInstant();
            x.append("<Bucket><Name>").append(b).append("</Name><CreationDate>").append(ISO.format(t))
                    .append("</CreationDate></Bucket>");
        }
        return x.append("</Buckets></ListAllMyBucketsResult>\n").toString();
    }

    private static String enc(String s, boolean url) {
        return url ? PercentEncoding.encodePath(s)
                : PlatformError.escape(s);
    }
}
