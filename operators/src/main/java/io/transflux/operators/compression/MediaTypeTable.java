package io.transflux.operators.compression;

import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** A small extension → media type table for naming what a decompressor produces. */
final class MediaTypeTable {

    static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("txt", "text/plain"),
            Map.entry("log", "text/plain"),
            Map.entry("csv", "text/csv"),
            Map.entry("tsv", "text/tab-separated-values"),
            Map.entry("json", "application/json"),
            Map.entry("jsonl", "application/x-ndjson"),
            Map.entry("ndjson", "application/x-ndjson"),
            Map.entry("xml", "application/xml"),
            Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"),
            Map.entry("md", "text/markdown"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("parquet", "application/vnd.apache.parquet"),
            Map.entry("avro", "application/avro"),
            Map.entry("wasm", "application/wasm"));

    private MediaTypeTable() {
    }

    /** The media type for a file name, {@value #OCTET_STREAM} when unknown or absent. */
    static String forName(@Nullable String name) {
        if (name == null) {
            return OCTET_STREAM;
        }
        int slash = name.lastIndexOf('/');
        String base = name.substring(slash + 1);
        int dot = base.lastIndexOf('.');
        if (dot < 0 || dot == base.length() - 1) {
            return OCTET_STREAM;
        }
        return BY_EXTENSION.getOrDefault(base.substring(dot + 1).toLowerCase(Locale.ROOT), OCTET_STREAM);
    }

    /** Whether {@code contentType} describes compressed bytes rather than the content inside. */
    static boolean isCompressedType(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith("application/gzip") || t.startsWith("application/x-gzip")
                || t.startsWith("application/zstd") || t.startsWith("application/x-zstd")
                || t.startsWith("application/x-bzip2") || t.startsWith("application/zip")
                || t.startsWith("application/x-snappy") || t.startsWith("application/zlib")
                || t.startsWith(OCTET_STREAM);
    }
}
