package io.transflux.connectors.s3;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Mock 5.2.0 (the {@code exec} jar from Maven Central, on the test classpath) as a child process on free
 * ports, storing under a temporary directory. Its http connector binds every interface; the tests only talk
 * to 127.0.0.1. Start once per test class (about 9 s) and {@link #close()} in {@code @AfterAll}.
 */
public final class S3MockServer implements AutoCloseable {

    public static final String ACCESS_KEY = "AKIDS3MOCKTEST";
    public static final String SECRET_KEY = "s3mock-secret-not-checked";

    private final Process process;
    private final Path root;
    private final Path log;
    private final int port;

    private S3MockServer(Process process, Path root, Path log, int port) {
        this.process = process;
        this.root = root;
        this.log = log;
        this.port = port;
    }

    public static S3MockServer start() throws IOException, InterruptedException {
        String jar = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.contains("s3mock") && p.endsWith("-exec.jar"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("s3mock exec jar: not on the test classpath"));
        int http = freePort();
        int https = freePort();
        Path root = Files.createTempDirectory("s3mock");
        Path log = Files.createTempFile("s3mock", ".log");
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-jar", jar,
                "--server.address=127.0.0.1", "--http.port=" + http, "--server.port=" + https,
                "--com.adobe.testing.s3mock.store.root=" + root))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3MockServer s = new S3MockServer(p, root, log, http);
        s.awaitReady(Duration.ofSeconds(90));
        return s;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited: " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                int status = c.getResponseCode();
                c.disconnect();
                if (status > 0) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        close();
        throw new IllegalStateException("S3Mock not ready after " + timeout);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public S3Store store() {
        return S3Store.create("us-east-1", AwsCredentials.of(ACCESS_KEY, SECRET_KEY, null)).endpointOverride(endpoint());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        Files.deleteIfExists(log);
    }
}
