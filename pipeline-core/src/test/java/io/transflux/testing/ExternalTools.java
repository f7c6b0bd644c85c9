package io.transflux.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that compare against real tools (vips, ImageMagick, djpeg, bzip2, the AWS CLI...) need Debian packages that a
 * machine with only a JDK lacks. There such a test is skipped, with the package to install as the reason, so
 * {@code ./mvnw -B verify} still passes on a fresh clone. Under CI ({@code CI=true}, set by the runner of
 * {@code .ci/run}, which installs every package) a missing tool fails the test instead: CI never skips silently.
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    /** Whether an executable named {@code tool} is on the {@code PATH}. */
    public static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Requires every tool in {@code tools} on the PATH; {@code debianPackages} names what installs them. */
    public static void require(String debianPackages, String... tools) {
        for (String t : tools) {
            requireThat(onPath(t), t + " (Debian: apt-get install " + debianPackages + ")");
        }
    }

    /** Requires a condition about the machine, such as a Python module being importable. */
    public static void requireThat(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("missing under CI, where .ci/run installs it: " + what);
        }
        Assumptions.abort("skipped on this machine, not installed: " + what);
    }
}
