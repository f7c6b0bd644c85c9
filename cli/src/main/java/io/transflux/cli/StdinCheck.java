package io.transflux.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * Whether fd 0 is the stdin the user gave. Started with stdin closed ({@code <&-}), the JVM's first open file
 * (usually {@code lib/modules}) gets fd 0, and reading "stdin" reads the JDK itself. {@code System.in} and
 * {@code FileDescriptor.in} cannot tell; on Linux {@code /proc/self/fd/0} can: it is missing when fd 0 is closed,
 * and names the JDK's or the class path's file when it was reused. Elsewhere nothing is refused.
 */
final class StdinCheck {

    private static final Path FD0 = Path.of("/proc/self/fd/0");

    private StdinCheck() {
    }

    /** Why stdin cannot be read, or null when it can (or this platform cannot tell). */
    static @Nullable String unusable() {
        if (!Files.isDirectory(Path.of("/proc/self/fd"))) {
            return null;
        }
        if (!Files.exists(FD0, LinkOption.NOFOLLOW_LINKS)) {
            return "stdin is closed; give a file with --in PATH or pipe data in";
        }
        try {
            Path target = Files.readSymbolicLink(FD0);
            if (!target.isAbsolute() || !Files.isRegularFile(target)) {
                return null; // a pipe, socket, tty or device: what stdin normally is
            }
            Path home = Path.of(System.getProperty("java.home")).toRealPath();
            if (target.toRealPath().startsWith(home)) {
                return "stdin is closed (fd 0 was reused for " + target.getFileName() + "); give --in PATH or pipe data in";
            }
            for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
                if (!entry.isEmpty() && Files.exists(Path.of(entry)) && Files.isSameFile(target, Path.of(entry))) {
                    return "stdin is closed (fd 0 was reused for " + target.getFileName() + "); give --in PATH or pipe data in";
                }
            }
        } catch (IOException | RuntimeException cannotTell) {
            return null;
        }
        return null;
    }
}
