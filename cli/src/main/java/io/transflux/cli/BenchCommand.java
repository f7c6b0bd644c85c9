package io.transflux.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code transflux bench}: runs the end-to-end and time-to-first-byte benchmarks (JMH, in the separate
 * {@code benchmarks/target/benchmarks.jar}, built with the Maven wrapper when missing) and prints a table. The
 * benchmarks stay out of the CLI jar; this command only starts {@code io.transflux.connectors.BenchSuite} in a
 * child JVM with the console inherited.
 */
@Command(name = "bench",
        description = {"Benchmark Transflux end to end against the buffered and SDK + streams styles on loopback.",
                "Run from the source tree: builds benchmarks/target/benchmarks.jar with ./mvnw when it is missing.",
                "JMH JSON goes to target/bench/."},
        mixinStandardHelpOptions = true)
final class BenchCommand implements Callable<Integer> {

    static final String JAR = "benchmarks/target/benchmarks.jar";

    @Spec
    @Nullable CommandSpec spec;

    @Option(names = "--quick", description = "A short subset: gzip and zstd, 16 MiB objects, about three minutes.")
    boolean quick;

    @Option(names = "--root", paramLabel = "DIR", description = "Source tree holding mvnw and benchmarks/ (default: the "
            + "tree ./transflux was started from, else the current directory).")
    @org.jspecify.annotations.Nullable Path root;

    @Option(names = "--rebuild", description = "Rebuild the benchmarks jar even when it exists.")
    boolean rebuild;

    @Option(names = "--ignore-jmh-lock", description = "Run even while another JMH run holds /tmp/jmh.lock.")
    boolean ignoreLock;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec().commandLine().getErr();
        Path root = projectRoot(this.root, System.getProperty(HOME_PROPERTY));
        Path jar = root.resolve(JAR);
        if (rebuild || !Files.isRegularFile(jar)) {
            Path mvnw = root.resolve("mvnw");
            if (!Files.isExecutable(mvnw)) {
                err.println("error: BenchmarksJarMissing: " + jar + " does not exist and " + mvnw
                        + " was not found; run from the source tree or pass --root");
                return Transflux.EXIT_FAILURE;
            }
            err.println("transflux bench: building " + JAR + " with ./mvnw (first run takes a few minutes)...");
            err.flush();
            int built = run(List.of(mvnw.toAbsolutePath().toString(), "-B", "-q", "-DskipTests", "-pl", "benchmarks", "-am",
                    "package"), 30);
            if (built != 0 || !Files.isRegularFile(jar)) {
                err.println("error: BuildFailed: ./mvnw exited with " + built);
                return Transflux.EXIT_FAILURE;
            }
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (ignoreLock) {
            cmd.add("-Djmh.ignoreLock=true");
        }
        cmd.addAll(List.of("-cp", jar.toAbsolutePath().normalize().toString(), "io.transflux.connectors.BenchSuite", "--dir",
                root.resolve("target/bench").toAbsolutePath().normalize().toString()));
        if (quick) {
            cmd.add("--quick");
        }
        return run(cmd, quick ? 20 : 90) == 0 ? Transflux.EXIT_OK : Transflux.EXIT_FAILURE;
    }

    /** Set by the {@code ./transflux} launcher to the source tree it lives in. */
    static final String HOME_PROPERTY = "transflux.home";

    /** {@code --root} if given, else the launcher's tree, else the current directory. */
    static Path projectRoot(@org.jspecify.annotations.Nullable Path option, @org.jspecify.annotations.Nullable String home) {
        if (option != null) {
            return option;
        }
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(".");
    }

    private int run(List<String> cmd, int minutes) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).inheritIO().start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            spec().commandLine().getErr().println("error: Timeout: " + cmd.get(0) + " ran longer than " + minutes + " minutes");
            return -1;
        }
        return p.exitValue();
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
