package io.transflux.operators.compression;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/** Runs the real bzip2 tool (Debian package {@code bzip2}, listed in .ci/run) as a reference decoder. */
final class ReferenceTools {

    private ReferenceTools() {
    }

    /** {@code bzip2 -dc}: the decoded bytes, or null when bzip2 exits non-zero. */
    static byte @Nullable [] bzip2DcOrNull(byte[] input) {
        io.transflux.testing.ExternalTools.require("bzip2", "bzip2");
        try {
            Process p = new ProcessBuilder("bzip2", "-dc").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = p.getInputStream()) {
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(input);
            } catch (IOException e) {
                // bzip2 stops reading at a fatal error; its exit code says so
            }
            byte[] bytes = out.join();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("bzip2 -dc did not finish");
            }
            return p.exitValue() == 0 ? bytes : null;
        } catch (IOException e) {
            throw new UncheckedIOException("bzip2 must be installed (see .ci/run)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] bzip2Dc(byte[] input) {
        byte[] out = bzip2DcOrNull(input);
        if (out == null) {
            throw new IllegalStateException("bzip2 -dc rejected the input");
        }
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(a);
        o.writeBytes(b);
        return o.toByteArray();
    }
}
