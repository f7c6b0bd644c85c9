package io.transflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad command lines answer with one {@code error: <Code>: <message>} line and exit 1, never a stack trace
 * (issue 12 §5). Runs {@link Transflux#execute} in-process.
 */
class BadInvocationsTest {

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Transflux.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    static void assertOneErrorLine(Result r, String code) {
        assertThat(r.exit()).as(r.err()).isEqualTo(Transflux.EXIT_FAILURE);
        assertThat(r.err()).startsWith("error: " + code + ": ").doesNotContain("\tat ").doesNotContain("Exception in");
    }

    @Test
    void invokeWithAMissingEventFileSaysSo() {
        Result r = run("invoke", "--flavor", "s3", "--event", dir.resolve("nope.json").toString());
        assertOneErrorLine(r, "InvalidEvent");
        assertThat(r.err()).contains("nope.json").contains("no such file");
    }

    @Test
    void invokeWithADirectoryAsTheEventSaysSo() {
        Result r = run("invoke", "--flavor", "oss", "--event", dir.toString());
        assertOneErrorLine(r, "InvalidEvent");
        assertThat(r.err()).contains("directory");
    }

    @Test
    void runIntoAnExistingDirectoryIsASinkError() throws IOException {
        Path in = Files.writeString(dir.resolve("in.txt"), "hello");
        Path out = Files.createDirectories(dir.resolve("out"));
        Result r = run("run", "--pipeline", "", "--in", in.toString(), "--out", out.toString());
        assertOneErrorLine(r, "SinkError");
        assertThat(r.err()).contains("directory");
        assertThat(out).isDirectory();
    }

    @Test
    void callbackServerHelpShowsTheCallbackVariablesLiterally() {
        Result r = run("callback-server", "--help");
        assertThat(r.out()).contains("bucket=${bucket}, object=${object}").contains("etag=${etag}")
                .doesNotContain("bucket=null");
    }

    @Test
    void benchFindsTheTreeTheLauncherNamesFromAnyDirectory() {
        assertThat(BenchCommand.projectRoot(null, "/opt/transflux")).isEqualTo(Path.of("/opt/transflux"));
        assertThat(BenchCommand.projectRoot(Path.of("/elsewhere"), "/opt/transflux")).isEqualTo(Path.of("/elsewhere"));
        assertThat(BenchCommand.projectRoot(null, null)).isEqualTo(Path.of("."));
        String old = System.getProperty(BenchCommand.HOME_PROPERTY);
        System.setProperty(BenchCommand.HOME_PROPERTY, dir.toString());
        try {
            Result r = run("bench", "--quick");
            // The tree named by the launcher is searched (it has no mvnw here), not the working directory.
            assertOneErrorLine(r, "BenchmarksJarMissing");
            assertThat(r.err()).contains(dir.resolve("mvnw").toString());
        } finally {
            if (old == null) {
                System.clearProperty(BenchCommand.HOME_PROPERTY);
            } else {
                System.setProperty(BenchCommand.HOME_PROPERTY, old);
            }
        }
    }
}
