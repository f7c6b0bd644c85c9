package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The access log cannot be forged through a key, and a client that leaves mid-body is logged as aborted. */
class AccessLogHardeningTest {

    @TempDir
    Path root;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private LocalAccessPoint ap;
    private final StaticCredentialsProvider creds = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY));

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(root.resolve("data"));
        byte[] big = new byte[32 * 1024 * 1024];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("data/big.bin"), big);
        ap = LocalAccessPoint.builder().root(root).port(0).accessLog(log::add).start();
    }

    @AfterEach
    void stop() {
        ap.close();
    }

    @Test
    void aKeyWithALineFeedIsEscapedAndCannotForgeALine() {
        String forged = "x\naccess method=GET key=/data/secret status=200 end=complete\r";
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(ap.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(creds).build()) {
            assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("data").key(forged)))
                    .isInstanceOf(NoSuchKeyException.class);
        }
        assertThat(log).isNotEmpty().allSatisfy(l -> assertThat(l).doesNotContain("\n").doesNotContain("\r"));
        assertThat(log).anySatisfy(l -> assertThat(l)
                .contains("key=/data/x\\x0aaccess method=GET key=/data/secret status=200 end=complete\\x0d status=404"));
    }

    @Test
    void escapingKeepsPrintableTextAndMarksEveryControlCharacter() {
        assertThat(AccessLog.escape("/b/plain key+ü")).isEqualTo("/b/plain key+ü");
        assertThat(AccessLog.escape("a\u0000b\tc\\d\u2028")).isEqualTo("a\\x00b\\x09c\\\\d\\u2028");
    }

    @Test
    void aClientThatDisconnectsMidBodyIsLoggedAsAborted() throws Exception {
        URL url;
        try (S3Presigner p = S3Presigner.builder().endpointOverride(URI.create(ap.endpoint())).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(creds).build()) {
            url = p.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("data").key("big.bin"))).url();
        }
        try (Socket s = new Socket("127.0.0.1", url.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + url.getFile() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            int got = 0;
            while (got < 256 * 1024) {
                int n = in.read(buf);
                assertThat(n).isPositive();
                got += n;
            }
            s.setSoLinger(true, 0);
        }
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (log.stream().noneMatch(l -> l.contains("key=/data/big.bin")) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(log).filteredOn(l -> l.contains("key=/data/big.bin")).singleElement()
                .satisfies(l -> assertThat(l).contains("end=aborted").doesNotContain("end=complete"));
    }
}
