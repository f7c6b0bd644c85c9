package io.transflux.cli;

import static io.transflux.testing.ExternalTools.requireThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code transflux serve --front function-url} in a child JVM: a Lambda function URL on loopback whose function is
 * the deployable jar's custom runtime in a further JVM. The client commands its banner prints are run as printed
 * (curl; the AWS CLI unsigned; curl signing SigV4 for {@code lambda} under {@code --url-auth aws-iam}).
 */
class ServeFunctionUrlFrontTest {

    static final Path JAR = Path.of("..", "connectors", "function", "target", "transflux-function.jar");

    @TempDir
    Path dir;

    byte[] plain;

    Path root() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("logs"));
        Files.createDirectories(root.resolve("other"));
        plain = "{\"level\":\"info\",\"msg\":\"hello function URL\"}\n".repeat(2000).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(plain);
        }
        Files.write(root.resolve("logs/app.jsonl.gz"), gz.toByteArray());
        Files.writeString(root.resolve("other/x.txt"), "x");
        return root;
    }

    /** The banner line starting with {@code marker} (after the leading spaces), split as a shell would (no quotes). */
    static List<String> command(ServeProcess serve, String marker) throws InterruptedException {
        // The banner's later lines arrive on serve's stdout drain thread.
        for (long end = System.nanoTime() + 10_000_000_000L; System.nanoTime() < end
                && serve.banner.stream().noneMatch(l -> l.startsWith("Ctrl-C stops.")); ) {
            Thread.sleep(20);
        }
        for (String l : serve.banner) {
            String t = l.trim();
            if (t.startsWith("try:")) {
                t = t.substring(4).trim();
            }
            if (t.startsWith(marker)) {
                return new ArrayList<>(List.of(t.split(" +")));
            }
        }
        throw new AssertionError("no '" + marker + "' line in the banner: " + serve.banner);
    }

    @Test
    void unsignedFunctionUrlBannerCommandsFetchTheTransformedObject() throws Exception {
        requireThat(Files.isRegularFile(JAR), "the function jar is built by connectors/function's package phase: " + JAR);
        requireThat(ServeProcess.available("curl", "--version"), "curl not installed: apt-get install curl");
        try (ServeProcess serve = new ServeProcess("128m", dir.resolve("serve.err"), "--front", "function-url",
                "--root", root().toString(), "--pipeline", "decompress/gzip", "--function-jar", JAR.toString(),
                "--function-jvm-option", "-Xmx96m")) {
            assertThat(serve.banner.get(0)).contains("Lambda function URL").contains("auth NONE")
                    .contains("/{bucket}/{key}");
            List<String> curl = command(serve, "curl");
            assertThat(curl).last().asString().isEqualTo(serve.endpoint + "/logs/app.jsonl.gz");
            curl.add(1, "-sSf");
            ServeCommandClientsTest.ProcessResult r = ServeCommandClientsTest.run(Map.of(), curl.toArray(String[]::new));
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout()).isEqualTo(plain);
            ServeCommandClientsTest.ProcessResult missing = ServeCommandClientsTest.run(Map.of(), "curl", "-s", "-o",
                    "/dev/null", "-w", "%{http_code}", serve.endpoint + "/logs/absent.gz");
            assertThat(new String(missing.stdout(), StandardCharsets.US_ASCII)).isEqualTo("404");
            requireThat(ServeProcess.available("aws", "--version"), "awscli not installed: apt-get install awscli");
            List<String> aws = command(serve, "aws");
            ServeCommandClientsTest.ProcessResult a = ServeCommandClientsTest.run(ServeCommandClientsTest.awsEnv(),
                    aws.toArray(String[]::new));
            assertThat(a.exit()).as(a.stderr()).isZero();
            assertThat(a.stdout()).isEqualTo(plain);
        }
    }

    @Test
    void iamFunctionUrlBannerCurlSignsForLambdaAndUnsignedIs403() throws Exception {
        requireThat(Files.isRegularFile(JAR), "the function jar is built by connectors/function's package phase: " + JAR);
        requireThat(ServeProcess.available("curl", "--version"), "curl not installed: apt-get install curl");
        try (ServeProcess serve = new ServeProcess("128m", dir.resolve("serve.err"), Map.of("AWS_ACCESS_KEY_ID", "",
                "AWS_SECRET_ACCESS_KEY", ""), "--front", "function-url", "--url-auth", "aws-iam", "--url-bucket", "logs",
                "--root", root().toString(), "--pipeline", "decompress/gzip", "--function-jar", JAR.toString(),
                "--function-jvm-option", "-Xmx96m")) {
            assertThat(serve.banner.get(0)).contains("auth AWS_IAM").contains("paths /{key}");
            List<String> curl = command(serve, "curl");
            assertThat(curl).contains("--aws-sigv4", "aws:amz:us-east-1:lambda");
            assertThat(curl).last().asString().isEqualTo(serve.endpoint + "/app.jsonl.gz");
            curl.add(1, "-sSf");
            ServeCommandClientsTest.ProcessResult r = ServeCommandClientsTest.run(Map.of(), curl.toArray(String[]::new));
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.stdout()).isEqualTo(plain);
            ServeCommandClientsTest.ProcessResult unsigned = ServeCommandClientsTest.run(Map.of(), "curl", "-s", "-o",
                    "/dev/null", "-w", "%{http_code}", serve.endpoint + "/app.jsonl.gz");
            assertThat(new String(unsigned.stdout(), StandardCharsets.US_ASCII)).isEqualTo("403");
        }
    }
}
