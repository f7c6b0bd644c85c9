package io.transflux.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static io.transflux.testing.ExternalTools.requireThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.transflux.cli.ServeCommandClientsTest.ProcessResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code transflux serve} in a child JVM with functions and settings a newcomer brings: the AWS documentation's
 * boto3 handler ({@code samples/functions/boto3_uppercase.py}) behind {@code --function-url}, driven by the AWS
 * CLI; the banner's own commands, run as printed, for both flavours; and the AWS key pair exported in the shell.
 */
class ServeExternalFunctionTest {

    @TempDir
    Path dir;

    private static final String TEXT = "a line of text for the boto3 function\n".repeat(2000);

    @Test
    void boto3DocumentationHandlerServesUppercaseToTheAwsCliAndHeadAndListSkipIt() throws Exception {
        requireThat(ServeProcess.available("aws", "--version"), "awscli not installed: apt-get install awscli");
        requireThat(ServeProcess.available("python3", "-c", "import boto3, requests"),
                "boto3/requests not installed: apt-get install python3-boto3 python3-requests");
        Path root = Files.createDirectories(dir.resolve("root/docs"));
        Files.writeString(root.resolve("a.txt"), TEXT);
        int servePort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            servePort = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + servePort;
        Map<String, String> fnEnv = new HashMap<>(ServeCommandClientsTest.awsEnv());
        fnEnv.put("AWS_ENDPOINT_URL_S3", endpoint);
        ProcessBuilder pb = new ProcessBuilder("python3", Path.of("..", "samples", "functions", "boto3_uppercase.py")
                .toString(), "0").redirectError(dir.resolve("function.err").toFile());
        pb.environment().putAll(fnEnv);
        Process function = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(function.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("function banner; stderr: %s", Files.readString(dir.resolve("function.err")))
                    .startsWith("function listening on ");
            String fnUrl = first.substring("function listening on ".length());
            try (ServeProcess serve = new ServeProcess("256m", dir.resolve("serve.err"), servePortArgs(servePort,
                    "--root", dir.resolve("root").toString(), "--function-url", fnUrl))) {
                assertThat(serve.endpoint).isEqualTo(endpoint);
                String upper = TEXT.toUpperCase(Locale.ROOT);
                ProcessResult get = ServeCommandClientsTest.run(ServeCommandClientsTest.awsEnv(), "aws", "s3api",
                        "get-object", "--endpoint-url", endpoint, "--bucket", "docs", "--key", "a.txt",
                        dir.resolve("got.txt").toString());
                assertThat(get.exit()).as(get.stderr() + Files.readString(serve.stderr)).isZero();
                assertThat(Files.readString(dir.resolve("got.txt"))).isEqualTo(upper);
                ProcessResult cp = ServeCommandClientsTest.run(ServeCommandClientsTest.awsEnv(), "aws", "s3", "cp",
                        "--endpoint-url", endpoint, "s3://docs/a.txt", "-");
                assertThat(cp.exit()).as(cp.stderr()).isZero();
                assertThat(new String(cp.stdout(), StandardCharsets.UTF_8)).isEqualTo(upper);
                ProcessResult ls = ServeCommandClientsTest.run(ServeCommandClientsTest.awsEnv(), "aws", "s3", "ls",
                        "--endpoint-url", endpoint, "s3://docs/");
                assertThat(ls.exit()).as(ls.stderr()).isZero();
                assertThat(new String(ls.stdout(), StandardCharsets.UTF_8)).contains(TEXT.length() + " a.txt");
                String log = Files.readString(serve.stderr);
                assertThat(log).contains("method=POST key=/WriteGetObjectResponse status=200")
                        .contains("method=HEAD key=/docs/a.txt status=200");
            }
        } finally {
            function.destroy();
            function.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void bannerCommandsWorkAsPrintedForTheS3Flavour() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root/logs"));
        Files.writeString(root.resolve("app.txt"), TEXT);
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", null);
        env.put("AWS_SECRET_ACCESS_KEY", null);
        try (ServeProcess serve = new ServeProcess("128m", dir.resolve("serve.err"), env, "--root",
                dir.resolve("root").toString(), "--pipeline", "")) {
            List<String> commands = commands(serve);
            assertThat(commands).anySatisfy(c -> assertThat(c).startsWith("curl "))
                    .anySatisfy(c -> assertThat(c).contains("aws s3api get-object"))
                    .anySatisfy(c -> assertThat(c).contains("aws s3 cp"));
            assertThat(String.join("\n", serve.banner)).contains("inject_host_prefix=False")
                    .contains("DISABLE_HOST_PREFIX_INJECTION").contains("accepted access key ids: transflux");
            for (String c : commands) {
                boolean aws = c.contains("aws ");
                requireThat(ServeProcess.available(aws ? "aws" : "curl", "--version"), c + ": tool not installed");
                ProcessResult r = runAsPrinted(c);
                assertThat(r.exit()).as(c + "\n" + r.stderr()).isZero();
                String got = new String(r.stdout(), StandardCharsets.UTF_8);
                // s3api writes the object to /dev/stdout, then its JSON summary.
                assertThat(c.contains("s3api") ? got.substring(0, Math.min(got.length(), TEXT.length())) : got).as(c)
                        .isEqualTo(TEXT);
                if (c.contains("s3api")) {
                    assertThat(got.substring(TEXT.length())).contains("\"ContentLength\": " + TEXT.length());
                }
            }
        }
    }

    @Test
    void bannerForTheOssFlavourPrintsNoAwsCommandAndItsCurlWorks() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root/logs"));
        Files.writeString(root.resolve("app.txt"), TEXT);
        try (ServeProcess serve = new ServeProcess("128m", dir.resolve("serve.err"), "--root",
                dir.resolve("root").toString(), "--pipeline", "", "--flavor", "oss")) {
            List<String> commands = commands(serve);
            assertThat(commands).noneSatisfy(c -> assertThat(c).contains("aws "));
            assertThat(String.join("\n", serve.banner)).contains("aliyun-sdk-oss: new OSSClientBuilder().build(\""
                    + serve.endpoint + "\"").contains("setSLDEnabled(true)");
            requireThat(ServeProcess.available("curl", "--version"), "curl not installed");
            for (String c : commands) {
                ProcessResult r = runAsPrinted(c);
                assertThat(r.exit()).as(c + "\n" + r.stderr()).isZero();
                assertThat(new String(r.stdout(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
            }
        }
    }

    @Test
    void awsKeyPairExportedInTheShellIsAcceptedAndNamedWithoutItsSecret() throws Exception {
        requireThat(ServeProcess.available("aws", "--version"), "awscli not installed: apt-get install awscli");
        Path root = Files.createDirectories(dir.resolve("root/logs"));
        Files.writeString(root.resolve("app.txt"), TEXT);
        String secret = "shell-secret-" + Long.toHexString(System.nanoTime());
        Map<String, String> shell = new HashMap<>(ServeCommandClientsTest.awsEnv());
        shell.put("AWS_ACCESS_KEY_ID", "AKIDFROMSHELL");
        shell.put("AWS_SECRET_ACCESS_KEY", secret);
        Map<String, String> serveEnv = new HashMap<>(shell);
        serveEnv.put(ServeCommand.KEY_ENV, null);
        serveEnv.put(ServeCommand.SECRET_ENV, null);
        try (ServeProcess serve = new ServeProcess("128m", dir.resolve("serve.err"), serveEnv, "--root",
                dir.resolve("root").toString(), "--pipeline", "")) {
            commands(serve);
            String banner = String.join("\n", serve.banner);
            assertThat(banner).contains("accepted access key ids: transflux").contains("AKIDFROMSHELL")
                    .doesNotContain(secret);
            ProcessResult r = ServeCommandClientsTest.run(shell, "aws", "s3api", "get-object", "--endpoint-url",
                    serve.endpoint, "--bucket", "logs", "--key", "app.txt", "/dev/stdout");
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(new String(r.stdout(), StandardCharsets.UTF_8)).startsWith(TEXT);
            ProcessResult dflt = ServeCommandClientsTest.run(ServeCommandClientsTest.awsEnv(), "aws", "s3api",
                    "head-object", "--endpoint-url", serve.endpoint, "--bucket", "logs", "--key", "app.txt");
            assertThat(dflt.exit()).as(dflt.stderr()).isZero();
            assertThat(Files.readString(serve.stderr)).doesNotContain(secret);
        }
        serveEnv.put(ServeCommand.KEY_ENV, "named");
        serveEnv.put(ServeCommand.SECRET_ENV, "named-secret");
        try (ServeProcess serve = new ServeProcess("128m", dir.resolve("serve2.err"), serveEnv, "--root",
                dir.resolve("root").toString(), "--pipeline", "")) {
            commands(serve);
            assertThat(String.join("\n", serve.banner)).contains("accepted access key ids: named")
                    .doesNotContain("AKIDFROMSHELL");
            ProcessResult r = ServeCommandClientsTest.run(shell, "aws", "s3api", "head-object", "--endpoint-url",
                    serve.endpoint, "--bucket", "logs", "--key", "app.txt");
            assertThat(r.exit()).isNotZero();
            assertThat(r.stderr()).contains("403");
        }
    }

    private static String[] servePortArgs(int port, String... rest) {
        List<String> a = new ArrayList<>(List.of("--port", Integer.toString(port)));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    private static final Pattern COMMAND = Pattern.compile("^(?:try:)?\\s+((?:[A-Z_]+=\\S+ )*(?:curl|aws) .*)$");

    /** The banner's command lines, waiting briefly for the banner to be complete. */
    private static List<String> commands(ServeProcess serve) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (serve.banner.stream().noneMatch(l -> l.startsWith("anonymous requests:")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<String> out = new ArrayList<>();
        for (String l : serve.banner) {
            Matcher m = COMMAND.matcher(l);
            if (m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** Runs a printed command line: leading {@code NAME=value} words become its environment (no shell). */
    private static ProcessResult runAsPrinted(String line) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        List<String> words = new ArrayList<>(List.of(line.trim().split(" +")));
        while (!words.isEmpty() && words.get(0).matches("[A-Z_]+=\\S+")) {
            String w = words.remove(0);
            env.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
        }
        return ServeCommandClientsTest.run(env, words.toArray(String[]::new));
    }
}
