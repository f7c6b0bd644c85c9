package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * serve in RIC mode: the function runs in separate JVMs started through the AWS Lambda Runtime Interface Client
 * (its JNI client included) against serve's Runtime API, and the unmodified AWS SDK v2 reads through it.
 */
class LocalAccessPointRicModeTest {

    /** The lean deployable jar once the build makes it; until then the function module's runtime classpath. */
    static final Path LEAN_JAR = Path.of("../function/target/transflux-function.jar");

    @TempDir
    static Path root;
    static LocalAccessPoint server;
    static S3Client s3;
    static final List<String> LOG = new CopyOnWriteArrayList<>();
    static String text;

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(root.resolve("logs"));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sb.append("line ").append(i).append(" user").append(i).append("@example.com logged in\n");
        }
        text = sb.toString();
        Files.writeString(root.resolve("logs/app.log"), text);
        server = LocalAccessPoint.builder().root(root).port(0).accessLog(LOG::add)
                .defaultAccessPoint(AccessPointSpec.builder().name("pii-olap").pipeline("redact/pii").build())
                .functionTimeout(Duration.ofSeconds(60))
                .functionRuntime(runtime(FunctionRuntimeSpec.DEFAULT_HANDLER, 2))
                .start();
        s3 = S3Client.builder().endpointOverride(URI.create(server.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY)))
                .build();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    static FunctionRuntimeSpec runtime(String handler, int processes) {
        FunctionRuntimeSpec.Builder b = FunctionRuntimeSpec.builder().handler(handler).processes(processes);
        if (Files.isRegularFile(LEAN_JAR)) {
            return b.functionJar(LEAN_JAR).build();
        }
        return b.classpath(functionClasspath()).build();
    }

    /**
     * This JVM's test classpath less what the deployed function does not carry: the emulator and stores, YAML,
     * test frameworks and the S3 client. What remains is the function module, operators and their dependencies.
     */
    static List<Path> functionClasspath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> out = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            String n = e.replace('\\', '/');
            if (n.isEmpty() || n.contains("/connectors/emulator/") || n.contains("/connectors/stores/")
                    || n.contains("test-classes") || n.endsWith("-tests.jar") || n.contains("/yaml/")
                    || n.contains("snakeyaml") || n.contains("/junit/") || n.contains("/assertj/")
                    || n.contains("/opentest4j/") || n.contains("reactor-test") || n.contains("/jqwik")
                    || n.contains("/awssdk/s3/") || n.contains("aws-lambda-java-runtime-interface-client")) {
                continue;
            }
            out.add(Path.of(e));
        }
        return out;
    }

    @Test
    void getObjectRunsTheFunctionJvmThroughTheRuntimeInterfaceClient() {
        ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket("logs").key("app.log"));
        String out = r.asUtf8String();
        assertThat(out).hasSize(text.length()).doesNotContain("@example.com")
                .startsWith("line 0 " + "*".repeat("user0@example.com".length()) + " logged in\n");
        // The access line is written when the exchange ends, which may be just after the client has every byte.
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (LOG.stream().noneMatch(l -> l.contains("key=/logs/app.log status=200")) && System.nanoTime() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        assertThat(LOG).anySatisfy(l -> assertThat(l).contains("key=/logs/app.log status=200"));
    }

    @Test
    void concurrentGetsAreSpreadOverTheRuntimeProcessesOneInvocationEach() {
        List<CompletableFuture<String>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(CompletableFuture.supplyAsync(() -> s3.getObjectAsBytes(b -> b.bucket("logs").key("app.log"))
                    .asUtf8String()));
        }
        for (CompletableFuture<String> f : all) {
            assertThat(f.join()).hasSize(text.length()).doesNotContain("@example.com");
        }
    }

    @Test
    void missingKeyIsNoSuchKeyFromTheFunction() {
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("logs").key("absent.log")))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(404));
    }

    /** The RIC reports a handler it cannot load on each invocation ({@code /invocation/{id}/error}), as Lambda does. */
    @Test
    void aHandlerClassThatDoesNotExistFailsTheGetWith500NamingTheErrorType(@TempDir Path other) throws IOException {
        S3Exception e = failedGet(other, runtime("io.transflux.NoSuchHandler::handleRequest", 1));
        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LambdaRuntimeError");
        assertThat(e.getMessage()).contains("ClassNotFoundException");
    }

    /** A runtime that exits before its first poll is an init failure for the waiting invocation, not a hang. */
    @Test
    void aJvmThatDiesBeforeItsFirstPollFailsTheGetAsAnInitError(@TempDir Path other) throws IOException {
        FunctionRuntimeSpec broken = FunctionRuntimeSpec.builder().classpath(functionClasspath())
                .jvmOptions(List.of("-XX:+TransfluxNoSuchOption")).build();
        S3Exception e = failedGet(other, broken);
        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LambdaRuntimeError");
        assertThat(e.getMessage()).contains("failed to initialise (exit code 1)");
    }

    private static S3Exception failedGet(Path dir, FunctionRuntimeSpec spec) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("logs/a.txt"), "a@example.com");
        try (LocalAccessPoint bad = LocalAccessPoint.builder().root(dir).port(0).accessLog(l -> { })
                .functionRuntime(spec).start();
             S3Client c = S3Client.builder().endpointOverride(URI.create(bad.endpoint())).forcePathStyle(true)
                     .region(Region.US_EAST_1)
                     .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                             LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY)))
                     .build()) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                    () -> c.getObjectAsBytes(b -> b.bucket("logs").key("a.txt")));
            assertThat(t).isInstanceOf(S3Exception.class);
            return (S3Exception) t;
        }
    }
}
