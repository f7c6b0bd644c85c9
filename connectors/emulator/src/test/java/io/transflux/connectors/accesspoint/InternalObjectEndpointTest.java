package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.EnumSet;
import java.util.Map;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.connectors.s3.SigV4Check;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The internal object endpoint answers only the URLs serve presigned for its function, with a key pair made at
 * start-up; a caller holding serve's own credentials cannot presign it and read past the pipeline (#13 finding 1).
 */
class InternalObjectEndpointTest {

    private static final String EMAIL = "alice.liddell@example.com";
    private static final String TEXT = "ticket 17: reach me at " + EMAIL + " after five\n";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path root;

    private LocalAccessPoint start(Flavor flavor) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/pii.txt"), TEXT);
        return LocalAccessPoint.builder().root(root).port(0).functionTimeout(Duration.ofSeconds(20))
                .defaultAccessPoint(AccessPointSpec.builder().flavor(flavor).pipeline("redact/pii")
                        .features(EnumSet.allOf(Feature.class)).build())
                .start();
    }

    /** The AWS SDK v2 presigner with serve's credentials, aimed at the internal endpoint. */
    private static S3Presigner internalPresigner(LocalAccessPoint ap) {
        return S3Presigner.builder()
                // The endpoint's path puts the bucket under the internal prefix: /.transflux/objects/docs/pii.txt.
                .endpointOverride(URI.create(ap.endpoint() + "/.transflux/objects"))
                .region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY)))
                .build();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("<Code>AccessDenied</Code>").doesNotContain(EMAIL).doesNotContain("ticket 17");
    }

    @Test
    void urlPresignedWithServesCredentialsBySdkV2IsRefusedWhileTheTransformedGetWorks() throws Exception {
        try (LocalAccessPoint ap = start(Flavor.S3); S3Presigner presigner = internalPresigner(ap)) {
            HttpResponse<String> transformed = get(ap.endpoint() + "/docs/pii.txt");
            assertThat(transformed.statusCode()).isEqualTo(200);
            assertThat(transformed.body()).startsWith("ticket 17: reach me at ").endsWith(" after five\n")
                    .doesNotContain(EMAIL);

            URL presigned = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("docs").key("pii.txt"))).url();
            assertThat(presigned.getPath()).isEqualTo(LocalAccessPoint.INTERNAL_PREFIX + "docs/pii.txt");
            assertThat(presigned.getQuery()).contains("X-Amz-Credential=" + LocalAccessPoint.DEFAULT_ACCESS_KEY_ID);
            assertRefused(get(presigned.toString()));

            // The same with the project's own presigner, and with no signature at all.
            String own = SigV4Check.presign("GET", ap.endpoint() + LocalAccessPoint.INTERNAL_PREFIX + "docs/pii.txt", Map.of(),
                    AwsCredentials.of(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY,
                            null), "us-east-1", "s3", Duration.ofMinutes(1), Clock.systemUTC());
            assertRefused(get(own));
            assertRefused(get(ap.endpoint() + LocalAccessPoint.INTERNAL_PREFIX + "docs/pii.txt"));
            // A listing of the bucket through the internal endpoint is refused alike.
            assertRefused(get(ap.endpoint() + LocalAccessPoint.INTERNAL_PREFIX + "docs"));

            // The transformed GET still works afterwards.
            assertThat(get(ap.endpoint() + "/docs/pii.txt").body()).isEqualTo(transformed.body());
        }
    }

    @Test
    void urlPresignedWithServesCredentialsByTheOssSdkIsRefusedWhileTheTransformedGetWorks() throws Exception {
        try (LocalAccessPoint ap = start(Flavor.OSS)) {
            ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
            conf.setSLDEnabled(true);
            OSS oss = new OSSClientBuilder().build(ap.endpoint(), LocalAccessPoint.DEFAULT_ACCESS_KEY_ID,
                    LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY, conf);
            OSS internal = new OSSClientBuilder().build(ap.endpoint() + "/.transflux/objects",
                    LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY, conf);
            try {
                try (var o = oss.getObject("docs", "pii.txt"); var in = o.getObjectContent()) {
                    String body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    assertThat(body).startsWith("ticket 17: reach me at ").doesNotContain(EMAIL);
                }
                // The SDK refuses ".transflux" as a bucket name; an endpoint with the internal prefix as its path
                // makes the same URL: /.transflux/objects/docs/pii.txt.
                URL presigned = internal.generatePresignedUrl("docs", "pii.txt",
                        new Date(System.currentTimeMillis() + 300_000));
                assertThat(presigned.getPath()).isEqualTo(LocalAccessPoint.INTERNAL_PREFIX + "docs/pii.txt");
                assertThat(presigned.getQuery()).contains("OSSAccessKeyId=" + LocalAccessPoint.DEFAULT_ACCESS_KEY_ID);
                assertRefused(get(presigned.toString()));
                // The OSS function's input URL is SigV4 too: a SigV4 presign with serve's pair is refused as well.
                try (S3Presigner presigner = internalPresigner(ap)) {
                    assertRefused(get(presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                            .getObjectRequest(g -> g.bucket("docs").key("pii.txt"))).url().toString()));
                }
                URL direct = oss.generatePresignedUrl("docs", "pii.txt", new Date(System.currentTimeMillis() + 300_000));
                assertThat(get(direct.toString()).body()).startsWith("ticket 17: reach me at ").doesNotContain(EMAIL);
            } finally {
                oss.shutdown();
                internal.shutdown();
            }
        }
    }
}
