package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * A function written with the AWS SDK for Java v2 ({@code S3Client.writeGetObjectResponse}, sync and async), run
 * behind {@code functionUrl}, serves an upper-cased object to an unmodified {@code S3Client}; its only settings
 * are the ones docs/serve.md shows (endpoint, credentials, {@code DISABLE_HOST_PREFIX_INJECTION}). HEAD and LIST
 * are answered from the store and never reach the GetObject-only handler.
 */
class SdkV2FunctionTest {

    @TempDir
    Path root;

    private static final String TEXT = "hello from a stock sdk function\n".repeat(5000);

    @Test
    void syncSdkV2HandlerServesTheUppercasedObjectAndHeadAndListSkipIt() throws Exception {
        run(false);
    }

    @Test
    void asyncSdkV2HandlerServesTheUppercasedObject() throws Exception {
        run(true);
    }

    private void run(boolean async) throws Exception {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/a.txt"), TEXT);
        List<String> wgorPayloads = new CopyOnWriteArrayList<>();
        String[] endpoint = new String[1];
        try (FunctionServer fn = new FunctionServer(event -> handle(event, endpoint[0], async));
             LocalAccessPoint ap = LocalAccessPoint.builder().root(root).port(0).functionUrl(fn.url())
                     .accessLog(l -> wgorPayloads.add(l)).start();
             S3Client caller = client(ap.endpoint())) {
            endpoint[0] = ap.endpoint();
            byte[] got = caller.getObjectAsBytes(b -> b.bucket("docs").key("a.txt")).asByteArray();
            assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo(TEXT.toUpperCase(Locale.ROOT));
            HeadObjectResponse head = caller.headObject(b -> b.bucket("docs").key("a.txt"));
            assertThat(head.contentLength()).isEqualTo(TEXT.length());
            ListObjectsV2Response list = caller.listObjectsV2(b -> b.bucket("docs"));
            assertThat(list.contents()).extracting(o -> o.key()).containsExactly("a.txt");
            assertThat(fn.failures).isEmpty();
            assertThat(fn.contexts).containsExactly("getObjectContext");
            assertThat(wgorPayloads).anySatisfy(l -> assertThat(l).contains("method=POST key=/WriteGetObjectResponse status=200"));
        }
    }

    /** The handler as the AWS documentation writes it, in Java: fetch, transform, writeGetObjectResponse. */
    private static void handle(JsonNode event, String endpoint, boolean async) throws Exception {
        byte[] upper = new String(FunctionServer.fetchInput(event), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT)
                .getBytes(StandardCharsets.UTF_8);
        String route = FunctionServer.route(event);
        String token = FunctionServer.token(event);
        if (async) {
            try (S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                    .credentialsProvider(credentials())
                    .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                    .build()) {
                s3.writeGetObjectResponse(b -> b.requestRoute(route).requestToken(token).statusCode(200),
                        AsyncRequestBody.fromBytes(upper)).get(30, TimeUnit.SECONDS);
            }
        } else {
            try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                    .credentialsProvider(credentials())
                    .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                    .build()) {
                s3.writeGetObjectResponse(b -> b.requestRoute(route).requestToken(token).statusCode(200),
                        RequestBody.fromBytes(upper));
            }
        }
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID,
                LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY));
    }

    private static S3Client client(String endpoint) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).build();
    }
}
