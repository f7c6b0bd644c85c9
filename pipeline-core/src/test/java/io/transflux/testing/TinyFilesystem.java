package io.transflux.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, tiny file system for out-of-space tests: {@code mount -t tmpfs -o size=<size> tmpfs <dir>}, so writes
 * fail with the kernel's own ENOSPC. A bigger file or a byte budget would test something else (a limit we set,
 * not a full disk). Mounting needs root (CAP_SYS_ADMIN); where that is refused the test is skipped with that
 * reason, and under CI ({@code CI=true}) it fails instead, as {@link ExternalTools} does for missing tools.
 */
public final class TinyFilesystem implements AutoCloseable {

    private final Path dir;

    private TinyFilesystem(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (e.g. {@code 2m}) on the new directory {@code dir}. */
    public static TinyFilesystem mount(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String err = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", dir.toString()));
        ExternalTools.requireThat(err == null, "a " + size + " tmpfs at " + dir + " (mount -t tmpfs needs root or "
                + "CAP_SYS_ADMIN: " + err + ")");
        return new TinyFilesystem(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Null on success, else what went wrong. */
    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", cmd) + " timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + " " + out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String err = run(List.of("umount", dir.toString()));
        if (err != null && run(List.of("umount", "-l", dir.toString())) != null) {
            throw new IOException("umount " + dir + ": " + err);
        }
    }
}
