package io.transflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real command in a child JVM, as a user would, and checks bytes, stderr and exit codes. */
class RunCommandTest {

    @TempDir
    Path dir;

    record Result(int exit, byte[] stdout, String stderr) {
    }

    private static Result run(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = ChildJvm.command(args);
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread e = new Thread(() -> copy(p.getErrorStream(), err));
        e.start();
        copy(p.getInputStream(), out);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("transflux finished").isTrue();
        e.join(10_000);
        return new Result(p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    @Test
    void emptyPipelineCopiesFileToFileAndPrintsChecksums() throws Exception {
        byte[] data = random(300_000);
        Path in = Files.write(dir.resolve("f"), data);
        Path out = dir.resolve("g");

        Result r = run(new byte[0], "run", "--pipeline", "", "--in", in.toString(), "--out", out.toString(),
                "--checksum", "crc32c,sha256,crc64nvme,crc64ecma");

        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(data);
        CRC32C crc = new CRC32C();
        crc.update(data);
        byte[] crcBytes = java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(data);
        List<String> lines = r.stderr().lines().filter(l -> l.startsWith("checksum ")).toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("checksum crc32c " + HexFormat.of().formatHex(crcBytes) + " "
                + Base64.getEncoder().encodeToString(crcBytes));
        assertThat(lines.get(1)).isEqualTo("checksum sha256 " + HexFormat.of().formatHex(sha) + " "
                + Base64.getEncoder().encodeToString(sha));
        assertThat(lines.get(2)).matches("checksum crc64nvme [0-9a-f]{16} [A-Za-z0-9+/]{11}=");
        assertThat(lines.get(3)).matches("checksum crc64ecma [0-9a-f]{16} [A-Za-z0-9+/]{11}=");
    }

    @Test
    void knownAnswerChecksumsForTheCheckString() throws Exception {
        Path in = Files.writeString(dir.resolve("check"), "123456789");

        Result r = run(new byte[0], "run", "--pipeline", "", "--in", in.toString(), "--out", dir.resolve("o").toString(),
                "--checksum", "crc32,crc32c,crc64nvme,crc64ecma");

        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains(
                "checksum crc32 cbf43926 ",
                "checksum crc32c e3069283 ",
                "checksum crc64nvme ae8b14860a799888 ",
                "checksum crc64ecma 995dc9bbdf1939fa ");
    }

    @Test
    void stdinToStdoutStreamsTheBytes() throws Exception {
        byte[] data = random(100_000);

        Result r = run(data, "run", "--pipeline", "");

        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(data);
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void aClosedStdoutEndsQuietlyWithTheSigpipeStatus() throws Exception {
        Path in = Files.write(dir.resolve("big"), random(8 << 20));
        List<String> cmd = ChildJvm.command("run", "--pipeline", "", "--in", in.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        p.getInputStream().readNBytes(1000);
        p.getInputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).isEqualTo(RunCommand.EXIT_BROKEN_PIPE);
        assertThat(err).doesNotContain("error:");
    }

    @Test
    void unknownStageExitsOneWithOneErrorLineAndNoStackTrace() throws Exception {
        Path in = Files.writeString(dir.resolve("x"), "x");

        Result r = run(new byte[0], "run", "--pipeline", "nope/none", "--in", in.toString(), "--out", dir.resolve("y").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr().lines().toList()).singleElement().asString()
                .startsWith("error: InvalidPipelineSpec: unknown stage 'nope/none': expected one of [");
        assertThat(dir.resolve("y")).doesNotExist();
    }

    @Test
    void missingInputExitsOneWithTheSourceCode() throws Exception {
        Result r = run(new byte[0], "run", "--pipeline", "", "--in", dir.resolve("missing").toString(),
                "--out", dir.resolve("y").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("error: SourceError: source ").contains("no such file").doesNotContain("\tat ");
    }

    @Test
    void debugAddsTheStackTrace() throws Exception {
        Result r = run(new byte[0], "run", "--debug", "--pipeline", "", "--in", dir.resolve("missing").toString(),
                "--out", dir.resolve("y").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("\tat ");
    }

    @Test
    void outputLimitFailsAndLeavesNoPartialFile() throws Exception {
        Path in = Files.write(dir.resolve("big"), random(200_000));
        Path out = dir.resolve("out");

        Result r = run(new byte[0], "run", "--pipeline", "", "--in", in.toString(), "--out", out.toString(),
                "--max-output-bytes", "64KiB");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("error: TransformLimitExceeded: maxOutputBytes: reached")
                .contains("--max-output-bytes");
        assertThat(out).doesNotExist();
    }

    @Test
    void readsAPresignedStyleUrlByteExactlyWhenPrivateHostsAreAllowed() throws Exception {
        byte[] data = random(150_000);
        java.util.List<String> uris = new java.util.concurrent.CopyOnWriteArrayList<>();
        reactor.netty.DisposableServer server = reactor.netty.http.server.HttpServer.create()
                .host("127.0.0.1").port(0)
                .handle((req, res) -> {
                    uris.add(req.uri());
                    return res.header("Content-Length", Integer.toString(data.length))
                            .header("ETag", "\"v1\"")
                            .sendByteArray(reactor.core.publisher.Mono.just(data));
                })
                .bindNow(java.time.Duration.ofSeconds(10));
        try {
            String url = "http://127.0.0.1:" + server.port() + "/bkt/a%2Bb%20c.bin?X-Amz-Signature=CANARYSIG&x=a+b";
            Path out = dir.resolve("u");

            Result ok = run(new byte[0], "run", "--pipeline", "", "--in", url, "--out", out.toString(),
                    "--allow-private-hosts");
            Result refused = run(new byte[0], "run", "--pipeline", "", "--in", url, "--out", dir.resolve("v").toString());

            assertThat(ok.exit()).as(ok.stderr()).isZero();
            assertThat(Files.readAllBytes(out)).isEqualTo(data);
            assertThat(uris).containsExactly("/bkt/a%2Bb%20c.bin?X-Amz-Signature=CANARYSIG&x=a+b");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.stderr()).startsWith("error: SourceNotAllowed: ").doesNotContain("CANARY");
            assertThat(dir.resolve("v")).doesNotExist();
        } finally {
            server.disposeNow();
        }
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        assertThat(run(new byte[0], "run").exit()).isEqualTo(2);
        assertThat(run(new byte[0], "run", "--pipeline", "", "--checksum", "crc99").exit()).isEqualTo(2);
        assertThat(run(new byte[0], "run", "--pipeline", "", "--bogus").exit()).isEqualTo(2);
        assertThat(run(new byte[0], "run", "--pipeline", "", "--max-output-bytes", "lots").exit()).isEqualTo(2);
    }
}
