package io.transflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code transflux run --in - <&-}: with fd 0 closed the JVM reuses it for its own files; the run must fail with a
 * usage error (exit 2) and leave no temporary file, instead of reading the JDK's {@code lib/modules}.
 */
@EnabledOnOs(OS.LINUX)
class ClosedStdinTest {

    @TempDir
    Path dir;

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private Process launch(String redirect) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = ChildJvm.command(List.of("-Djava.io.tmpdir=" + tmp, "-Xmx256m"),
                "run", "--pipeline", "", "--in", "-", "--out", dir.resolve("out.bin").toString());
        String line = "exec " + cmd.stream().map(ClosedStdinTest::quote).collect(Collectors.joining(" ")) + " " + redirect;
        List<String> sh = new ArrayList<>(List.of("sh", "-c", line));
        return new ProcessBuilder(sh).redirectErrorStream(true).start();
    }

    @Test
    void runWithStdinClosedIsAUsageErrorAndLeavesNoTemporaryFile() throws Exception {
        Process p = launch("<&-");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("stdin is closed");
        assertThat(dir.resolve("out.bin")).doesNotExist();
        try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void runWithStdinFromAFileStillReadsIt() throws Exception {
        Path input = Files.writeString(dir.resolve("in.txt"), "hello from a file\n");
        Process p = launch("< " + quote(input.toString()));
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(Files.readString(dir.resolve("out.bin"))).isEqualTo("hello from a file\n");
    }
}
