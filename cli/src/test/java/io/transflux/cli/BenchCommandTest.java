package io.transflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code transflux bench} argument handling; the benchmarks themselves are not run here. */
class BenchCommandTest {

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    static Result execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Transflux.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void helpNamesTheQuickSubset() {
        Result r = execute("bench", "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--quick").contains("--root").contains("target/bench");
    }

    @Test
    void outsideTheSourceTreeWithoutAJarItFailsNamingTheMissingJar() {
        Result r = execute("bench", "--quick", "--root", dir.toString());

        assertThat(r.exit()).isEqualTo(Transflux.EXIT_FAILURE);
        assertThat(r.err()).contains("error: BenchmarksJarMissing").contains("benchmarks.jar").contains("mvnw");
    }
}
