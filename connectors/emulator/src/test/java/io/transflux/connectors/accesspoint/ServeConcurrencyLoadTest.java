package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Load-and-fault suite (issue #13), bounded and on 127.0.0.1: many concurrent GETs through the function core get
 * exact bytes, and slow readers holding their responses do not starve anyone else (the function's pools used to
 * hold 4 connections with a 2 s acquire wait).
 */
@Tag("load")
class ServeConcurrencyLoadTest {

    @TempDir
    Path root;

    private LocalAccessPoint ap;
    private S3Presigner presigner;
    private byte[] small;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(root.resolve("data"));
        small = new byte[64 * 1024];
        new Random(1).nextBytes(small);
        Files.write(root.resolve("data/small.bin"), small);
        byte[] big = new byte[32 * 1024 * 1024];
        new Random(2).nextBytes(big);
        Files.write(root.resolve("data/big.bin"), big);
        ap = LocalAccessPoint.builder().root(root).port(0).accessLog(line -> { }).start();
        presigner = S3Presigner.builder().endpointOverride(URI.create(ap.endpoint())).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY)))
                .build();
    }

    @AfterEach
    void stop() {
        presigner.close();
        ap.close();
    }

    private URL url(String key) {
        return presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(10))
                .getObjectRequest(g -> g.bucket("data").key(key))).url();
    }

    private List<HttpResponse<byte[]>> concurrentGets(int n) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(http.sendAsync(HttpRequest.newBuilder(url("small.bin").toURI()).timeout(Duration.ofSeconds(60))
                    .build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        List<HttpResponse<byte[]>> out = new ArrayList<>();
        for (CompletableFuture<HttpResponse<byte[]>> f : all) {
            out.add(f.get());
        }
        return out;
    }

    @Test
    void twoHundredConcurrentGetsAreAll200WithExactBytes() throws Exception {
        List<HttpResponse<byte[]>> rs = concurrentGets(200);
        assertThat(rs).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(small);
        });
    }

    @Test
    void fourStalledReadersDoNotStarveFiftyConcurrentGets() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                URL u = url("big.bin");
                Socket s = new Socket("127.0.0.1", u.getPort());
                s.setReceiveBufferSize(4096);
                s.getOutputStream().write(("GET " + u.getFile() + " HTTP/1.1\r\nHost: 127.0.0.1:" + u.getPort()
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(in.read(new byte[1024])).isPositive();
                slow.add(s);
            }
            // the four hold their responses (and their function invocations) while nobody reads
            List<HttpResponse<byte[]>> rs = concurrentGets(50);
            assertThat(rs).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(small);
            });
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }
}
