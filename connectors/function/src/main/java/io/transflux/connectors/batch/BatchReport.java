package io.transflux.connectors.batch;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;


/**
 * The completion report, one CSV row per task as S3 Batch Operations writes it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-examples-reports.html, schema
 * {@code Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage}; no header row). Keys stay
 * URL-encoded as in the manifest; TaskStatus is {@code succeeded} or {@code failed}; ErrorCode is the failure's
 * code ({@code NoSuchKey}, {@code MalformedCompressedObject}, {@code SlowDown}, ...), HTTPStatusCode its status,
 * ResultMessage the task's resultCode and sentence. Rows are written as tasks finish (nothing held), into a
 * temporary file renamed into place by {@link #close()}.
 */
public final class BatchReport implements AutoCloseable {

    private final Path target;
    private final Path temp;
    private final BufferedWriter out;

    private BatchReport(Path target, Path temp, BufferedWriter out) {
        this.target = target;
        this.temp = temp;
        this.out = out;
    }

    public static BatchReport open(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, ".transflux-report", ".csv.tmp");
        return new BatchReport(target, temp, Files.newBufferedWriter(temp, StandardCharsets.UTF_8));
    }

    public synchronized void row(ManifestLine line, TaskResult r) {
        try {
            out.write(csv(line.bucket()) + ',' + csv(line.encodedKey()) + ','
                    + csv(line.versionId() == null ? "" : line.versionId()) + ','
                    + (r.succeeded() ? "succeeded" : "failed") + ','
                    + csv(r.errorCode() == null ? "" : r.errorCode()) + ',' + r.httpStatus() + ','
                    + csv(r.code().wireName() + ": " + r.message()) + '\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
    public static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
