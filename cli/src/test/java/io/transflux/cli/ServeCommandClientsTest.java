package io.transflux.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static io.transflux.testing.ExternalTools.requireThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code transflux serve} in a child JVM with {@code -Xmx128m}, driven by unmodified command-line clients: curl,
 * the AWS CLI ({@code aws s3api}) and boto3. Missing tools make their tests skip with the reason.
 */
class ServeCommandClientsTest {

    static final long TWO_GIB = 2L << 30;

    @TempDir
    static Path dir;
    static ServeProcess serve;
    static byte[] sample;

    @BeforeAll
    static void start() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("logs"));
        sample = Files.readAllBytes(Path.of("..", "samples", "logs", "app.jsonl"));
        Files.write(root.resolve("logs/app.jsonl"), sample);
        Files.createDirectories(root.resolve("big"));
        try (var f = new java.io.RandomAccessFile(root.resolve("big/zeros.bin").toFile(), "rw")) {
            f.setLength(TWO_GIB); // sparse: no disk space, reads as zeros
        }
        serve = new ServeProcess("128m", dir.resolve("serve.err"), "--root", root.toString(), "--pipeline", "",
                "--max-output-bytes", "4GiB", "--function-timeout", "5m");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        serve.close();
    }

    static ProcessResult run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new ProcessResult(p.exitValue(), out, new String(err, StandardCharsets.UTF_8));
    }

    record ProcessResult(int exit, byte[] stdout, String stderr) {
    }

    static Map<String, String> awsEnv() {
        return Map.of("AWS_ACCESS_KEY_ID", "transflux", "AWS_SECRET_ACCESS_KEY", "transflux-local-secret",
                "AWS_DEFAULT_REGION", "us-east-1", "AWS_EC2_METADATA_DISABLED", "true",
                "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    }

    @Test
    void curlGetsTheObjectAnonymously() throws Exception {
        requireThat(ServeProcess.available("curl", "--version"), "curl not installed: apt-get install curl");
        ProcessResult r = run(Map.of(), "curl", "-sS", "-f", serve.endpoint + "/logs/app.jsonl");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(sample);
    }

    @Test
    void awsCliGetObjectAndListWork() throws Exception {
        requireThat(ServeProcess.available("aws", "--version"), "awscli not installed: apt-get install awscli");
        Path out = dir.resolve("aws-out.jsonl");
        ProcessResult r = run(awsEnv(), "aws", "s3api", "get-object", "--endpoint-url", serve.endpoint, "--bucket", "logs",
                "--key", "app.jsonl", out.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(sample);
        ProcessResult ranged = run(awsEnv(), "aws", "s3api", "get-object", "--endpoint-url", serve.endpoint, "--bucket",
                "logs", "--key", "app.jsonl", "--range", "bytes=0-9", dir.resolve("aws-range").toString());
        assertThat(ranged.exit()).as(ranged.stderr()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("aws-range"))).isEqualTo(java.util.Arrays.copyOf(sample, 10));
        ProcessResult list = run(awsEnv(), "aws", "s3api", "list-objects-v2", "--endpoint-url", serve.endpoint, "--bucket",
                "logs");
        assertThat(list.exit()).as(list.stderr()).isZero();
        assertThat(new String(list.stdout(), StandardCharsets.UTF_8)).contains("\"Key\": \"app.jsonl\"");
        ProcessResult missing = run(awsEnv(), "aws", "s3api", "get-object", "--endpoint-url", serve.endpoint, "--bucket",
                "logs", "--key", "nope", dir.resolve("nope").toString());
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.stderr()).contains("NoSuchKey");
        Map<String, String> wrong = new java.util.HashMap<>(awsEnv());
        wrong.put("AWS_SECRET_ACCESS_KEY", "wrong");
        ProcessResult denied = run(wrong, "aws", "s3api", "head-object", "--endpoint-url", serve.endpoint, "--bucket",
                "logs", "--key", "app.jsonl");
        assertThat(denied.exit()).isNotZero();
        assertThat(denied.stderr()).contains("403");
    }

    @Test
    void boto3GetObjectWithChecksumModeWorks() throws Exception {
        requireThat(ServeProcess.available("python3", "-c", "import boto3"),
                "boto3 not installed: apt-get install python3-boto3");
        String script = String.join("\n",
                "import boto3, sys, hashlib",
                "s3 = boto3.client('s3', endpoint_url=sys.argv[1])",
                "r = s3.get_object(Bucket='logs', Key='app.jsonl', ChecksumMode='ENABLED')",
                "b = r['Body'].read()",
                "print(len(b), hashlib.sha256(b).hexdigest(), r.get('ChecksumCRC32C'))",
                "keys = [o['Key'] for o in s3.list_objects_v2(Bucket='logs')['Contents']]",
                "print(','.join(keys))");
        ProcessResult r = run(awsEnv(), "python3", "-c", script, serve.endpoint);
        assertThat(r.exit()).as(r.stderr()).isZero();
        String[] lines = new String(r.stdout(), StandardCharsets.UTF_8).trim().split("\n");
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        String hex = java.util.HexFormat.of().formatHex(sha.digest(sample));
        assertThat(lines[0]).startsWith(sample.length + " " + hex + " ").doesNotEndWith("None");
        assertThat(lines[1]).isEqualTo("app.jsonl");
    }

    @Test
    void twoGibStreamThroughAServerWith128MibHeap() throws Exception {
        requireThat(ServeProcess.available("curl", "--version"), "curl not installed: apt-get install curl");
        Process p = new ProcessBuilder("curl", "-sS", "-f", serve.endpoint + "/big/zeros.bin").start();
        CRC32C crc = new CRC32C();
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = p.getInputStream()) {
            int r;
            while ((r = in.read(buf)) != -1) {
                crc.update(buf, 0, r);
                n += r;
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        CRC32C zeros = new CRC32C();
        byte[] z = new byte[1 << 20];
        for (long i = 0; i < TWO_GIB; i += z.length) {
            zeros.update(z);
        }
        assertThat(n).isEqualTo(TWO_GIB);
        assertThat(crc.getValue()).isEqualTo(zeros.getValue());
        assertThat(serve.process.isAlive()).as("server survived with -Xmx128m").isTrue();
        assertThat(Files.readString(serve.stderr)).doesNotContain("OutOfMemoryError")
                .contains("key=/big/zeros.bin status=200 in=0 out=" + TWO_GIB);
    }
}
