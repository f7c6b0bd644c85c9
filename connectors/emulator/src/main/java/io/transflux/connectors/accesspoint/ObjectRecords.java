package io.transflux.connectors.accesspoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * Keeps {@link ObjectRecord}s beside the store: one small JSON file per object under
 * {@code <root>/}{@value #FOLDER}{@code /<bucket>/<sha256(key)>.json} (a name no bucket can have, so listings never
 * show it). A record names the file it describes by file key (inode), size and modification time; when the object's
 * file was replaced by any other means the record no longer matches and is ignored, so stale metadata is never
 * served. Records are written to a temporary file and renamed; the folder must stay inside the root (symbolic links
 * out of it are refused like every other write).
 */
final class ObjectRecords {

    static final String FOLDER = ".transflux-meta";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FileStore store;

    ObjectRecords(FileStore store) {
        this.store = store;
    }

    @Nullable ObjectRecord read(String bucket, String key, BasicFileAttributes a) {
        Path f = file(bucket, key);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || !store.inside(f)) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(f));
            if (!n.path("key").asText().equals(key) || n.path("size").asLong(-1) != a.size()
                    || n.path("modified").asLong(-1) != a.lastModifiedTime().toMillis()
                    || !n.path("fileKey").asText().equals(String.valueOf(a.fileKey()))) {
                return null;
            }
            Map<String, String> meta = new TreeMap<>();
            n.path("metadata").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
            JsonNode type = n.get("contentType");
            return new ObjectRecord(n.path("etag").asText(), type == null || type.isNull() ? null : type.asText(), meta);
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: as if absent
        }
    }

    void write(String bucket, String key, BasicFileAttributes a, String etag, @Nullable String contentType,
            Map<String, String> metadata) throws IOException {
        Path f = file(bucket, key);
        // Checked before creating folders too: a link planted in place of the folder must not make us create any.
        if (!store.inside(f)) {
            throw new PlatformError(500, "InternalError", "The object's metadata could not be stored.");
        }
        Files.createDirectories(f.getParent());
        if (!store.inside(f)) {
            throw new PlatformError(500, "InternalError", "The object's metadata could not be stored.");
        }
        ObjectNode n = JSON.createObjectNode().put("key", key).put("size", a.size())
                .put("modified", a.lastModifiedTime().toMillis()).put("fileKey", String.valueOf(a.fileKey()))
                .put("etag", etag).put("contentType", contentType);
        ObjectNode m = n.putObject("metadata");
        metadata.forEach(m::put);
        Path tmp = Files.createTempFile(f.getParent(), ".record.", FileStore.TEMP_SUFFIX);
        try {
            Files.write(tmp, JSON.writeValueAsBytes(n));
            try {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Path file(String bucket, String key) {
        return store.root.resolve(FOLDER).resolve(bucket).resolve(sha256(key) + ".json");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256: not available", e);
        }
    }
}
