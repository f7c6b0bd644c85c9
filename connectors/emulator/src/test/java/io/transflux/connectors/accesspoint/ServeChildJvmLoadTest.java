package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Load-and-fault suite (issue #13), memory half: {@code serve} runs in its own JVM with {@code -Xmx256m}, its
 * access point decompresses ({@code decompress/auto}), and is driven from here by the JDK's HTTP client over
 * 127.0.0.1: 200 concurrent transformed GETs, then 4 stalled readers of a 24 MiB object plus 50 concurrent GETs.
 * The child's peak resident set ({@code VmHWM} of {@code /proc/<pid>/status}) must stay under 512 MiB, the
 * issue's bound, however the load goes.
 */
@Tag("load")
class ServeChildJvmLoadTest {

    static final long RSS_LIMIT_KB = 512 * 1024;

    @TempDir
    static Path root;

    static Process serve;
    static int port;
    static byte[] small;
    static S3Presigner presigner;
    static HttpClient http;

    @BeforeAll
    static void startServeInAChildJvm() throws Exception {
        Files.createDirectories(root.resolve("data"));
        // compressible text, so the transform really inflates: 64 KiB out of about 10 KiB of gzip
        StringBuilder text = new StringBuilder();
        Random r = new Random(13);
        while (text.length() < 64 * 1024) {
            text.append("line ").append(r.nextInt(1_000_000)).append(" of the #13 load suite\n");
        }
        small = text.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(root.resolve("data/small.txt.gz"), gzip(small));
        byte[] big = new byte[24 * 1024 * 1024];
        r.nextBytes(big);
        Files.write(root.resolve("data/big.bin.gz"), gzip(big));

        String java = ProcessHandle.current().info().command().orElse("java");
        serve = new ProcessBuilder(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), ServeChild.class.getName(),
                root.toString(), "decompress/auto")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("serve child's first line").isNotNull().startsWith("PORT ");
        port = Integer.parseInt(line.substring(5).trim());

        presigner = S3Presigner.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY)))
                .build();
        // the JDK's client: one connection per concurrent request, and no Netty of its own in this (leak-checked) JVM
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // a cold JVM initialises TLS and codec classes on the first requests: warm it up one at a time
        assertThat(concurrentGets(1)).allSatisfy(x -> assertThat(x.status()).isEqualTo(200));
        assertThat(concurrentGets(4)).allSatisfy(x -> assertThat(x.status()).isEqualTo(200));
    }

    @AfterAll
    static void stop() throws Exception {
        if (presigner != null) {
            presigner.close();
        }
        if (serve != null) {
            serve.getOutputStream().close();
            if (!serve.waitFor(20, TimeUnit.SECONDS)) {
                serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(data);
        }
        return b.toByteArray();
    }

    static URL url(String key) {
        return presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(10))
                .getObjectRequest(g -> g.bucket("data").key(key))).url();
    }

    record Reply(int status, byte[] body) {
    }

    static List<Reply> concurrentGets(int n) throws Exception {
        URI u = url("small.txt.gz").toURI();
        List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(http.sendAsync(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        List<Reply> out = new ArrayList<>();
        for (CompletableFuture<HttpResponse<byte[]>> f : all) {
            HttpResponse<byte[]> r = f.get(150, TimeUnit.SECONDS);
            out.add(new Reply(r.statusCode(), r.body()));
        }
        return out;
    }

    static List<String> failures(List<Reply> rs) {
        return rs.stream().filter(r -> r.status() != 200)
                .map(r -> r.status() + " " + new String(r.body(), 0, Math.min(r.body().length, 300), StandardCharsets.UTF_8).replace("\n", " "))
                .distinct().toList();
    }

    /** Peak resident set of the child so far, in KiB (also printed, for the record). */
    static long peakRssKb() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + serve.pid() + "/status"))) {
            if (l.startsWith("VmHWM:")) {
                long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                System.out.println("serve child VmHWM: " + kb + " kB");
                return kb;
            }
        }
        throw new IllegalStateException("no VmHWM in /proc/" + serve.pid() + "/status");
    }

    @Test
    void twoHundredConcurrentTransformedGetsAreAll200WithExactBytesAndRssStaysUnder512MiB() throws Exception {
        List<Reply> rs = concurrentGets(200);

        assertThat(rs).as("non-200 answers: %s", failures(rs)).hasSize(200).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(small);
        });
        assertThat(serve.isAlive()).isTrue();
        assertThat(peakRssKb()).as("serve's VmHWM (KiB) with -Xmx256m").isLessThan(RSS_LIMIT_KB);
    }

    @Test
    void fourStalledReadersAndFiftyConcurrentGetsAllSucceedAndRssStaysUnder512MiB() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                URL u = url("big.bin.gz");
                Socket s = new Socket("127.0.0.1", port);
                s.setReceiveBufferSize(4096);
                OutputStream o = s.getOutputStream();
                o.write(("GET " + u.getFile() + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(in.read(new byte[1024])).isPositive();
                slow.add(s);
            }
            // the four hold their (inflating) responses while nobody reads them
            List<Reply> rs = concurrentGets(50);

            assertThat(rs).as("non-200 answers: %s", failures(rs)).hasSize(50).allSatisfy(r -> {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(small);
            });
            assertThat(peakRssKb()).as("serve's VmHWM (KiB) with -Xmx256m").isLessThan(RSS_LIMIT_KB);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertThat(serve.isAlive()).isTrue();
    }
}
