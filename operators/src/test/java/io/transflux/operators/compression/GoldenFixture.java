package io.transflux.operators.compression;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A committed fixture under {@code golden/compression/<format>/}, made by the tool named in that folder's
 * {@code recreate.sh}, with the SHA-256 of its decoded bytes beside it.
 */
record GoldenFixture(String format, String file, String stage) {

    /** Every fixture that decodes, with the stage that decodes it explicitly. */
    static List<GoldenFixture> all() {
        return List.of(
                new GoldenFixture("gzip", "fname.gz", "decompress/gzip"),
                new GoldenFixture("gzip", "noName.gz", "decompress/gzip"),
                new GoldenFixture("gzip", "pigz.gz", "decompress/gzip"),
                new GoldenFixture("gzip", "concatenatedMembers.gz", "decompress/gzip"),
                new GoldenFixture("zlib", "pigz.zz", "decompress/zlib"),
                new GoldenFixture("zlib", "raw.deflate", "decompress/zlib,raw_1"),
                new GoldenFixture("bzip2", "bzip2.bz2", "decompress/bzip2"),
                new GoldenFixture("bzip2", "lbzip2.bz2", "decompress/bzip2"),
                new GoldenFixture("bzip2", "multiStream.bz2", "decompress/bzip2"),
                new GoldenFixture("bzip2", "concatenated.bz2", "decompress/bzip2"),
                new GoldenFixture("bzip2", "multiBlock.bz2", "decompress/bzip2"),
                new GoldenFixture("bzip2", "lbzip2MultiBlock.bz2", "decompress/bzip2"),
                new GoldenFixture("zstd", "level19.zst", "decompress/zstd"),
                new GoldenFixture("zstd", "long27.zst", "decompress/zstd"),
                new GoldenFixture("zstd", "multipleFrames.zst", "decompress/zstd"),
                new GoldenFixture("zstd", "skippableFrames.zst", "decompress/zstd"),
                new GoldenFixture("zstd", "long31.zst", "decompress/zstd,wlog_31"),
                new GoldenFixture("snappy", "framed.sz", "decompress/snappy"),
                new GoldenFixture("snappy", "multiChunk.sz", "decompress/snappy"),
                new GoldenFixture("snappy", "paddingAndSkippable.sz", "decompress/snappy"),
                new GoldenFixture("zip", "twoEntries.zip", "decompress/zip"),
                new GoldenFixture("zip", "stdin.zip", "decompress/zip"),
                new GoldenFixture("zip", "zip64.zip", "decompress/zip"),
                new GoldenFixture("zip", "deflate64.zip", "decompress/zip"));
    }

    static byte[] load(String format, String file) {
        String path = "/golden/compression/" + format + "/" + file;
        try (InputStream in = GoldenFixture.class.getResourceAsStream(path)) {
            return Objects.requireNonNull(in, path).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] bytes() {
        return load(format, file);
    }

    String expectedSha256() {
        String base = file.substring(0, file.lastIndexOf('.'));
        return new String(load(format, base + ".sha256"), StandardCharsets.US_ASCII).trim();
    }

    /** The stage {@code decompress/auto} needs for this fixture: auto, with the zstd window cap if raised. */
    String autoStage() {
        return stage.endsWith("wlog_31") ? "decompress/auto,wlog_31" : "decompress/auto";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return format + "/" + file;
    }
}
