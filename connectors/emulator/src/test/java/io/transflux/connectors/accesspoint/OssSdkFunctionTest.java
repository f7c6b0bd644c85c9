package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ObjectListing;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.WriteGetObjectResponseRequest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Object FC function written with aliyun-sdk-oss ({@code OSSClient.writeGetObjectResponse}) behind
 * {@code functionUrl} on an OSS-flavour access point serves an upper-cased object to the unmodified OSS SDK; the
 * SDK's HEAD and LIST calls ({@code doesObjectExist}, {@code getObjectMetadata}, {@code listObjects}) are answered
 * from the store, untransformed, with OSS XML errors; a V4-signed request is told which signature versions work.
 */
class OssSdkFunctionTest {

    @TempDir
    Path root;

    private static final String TEXT = "object fc function written with the oss sdk\n".repeat(3000);

    @Test
    void ossSdkHandlerServesUppercaseAndHeadAndListAreAnsweredFromTheStore() throws Exception {
        Files.createDirectories(root.resolve("bkt/dir"));
        Files.writeString(root.resolve("bkt/dir/a.txt"), TEXT);
        Files.writeString(root.resolve("bkt/b.txt"), "bee");
        List<String> log = new CopyOnWriteArrayList<>();
        try (FunctionServer fn = new FunctionServer(OssSdkFunctionTest::handle);
             LocalAccessPoint ap = LocalAccessPoint.builder().root(root).port(0).functionUrl(fn.url()).accessLog(log::add)
                     .defaultAccessPoint(AccessPointSpec.builder().flavor(Flavor.OSS).build()).start()) {
            OSS oss = client(ap.endpoint(), SignVersion.V1);
            try {
                OSSObject o = oss.getObject("bkt", "dir/a.txt");
                try (InputStream in = o.getObjectContent()) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(TEXT.toUpperCase(Locale.ROOT));
                }
                assertThat(oss.doesObjectExist("bkt", "dir/a.txt")).isTrue();
                assertThat(oss.doesObjectExist("bkt", "dir/missing.txt")).isFalse();
                ObjectMetadata meta = oss.getObjectMetadata("bkt", "dir/a.txt");
                assertThat(meta.getContentLength()).isEqualTo(TEXT.length());
                assertThat(meta.getETag()).isNotBlank();
                ObjectListing listing = oss.listObjects("bkt");
                assertThat(listing.getObjectSummaries()).extracting(s -> s.getKey() + "=" + s.getSize())
                        .containsExactly("b.txt=3", "dir/a.txt=" + TEXT.length());
                ObjectListing under = oss.listObjects("bkt", "dir/");
                assertThat(under.getObjectSummaries()).extracting(s -> s.getKey()).containsExactly("dir/a.txt");
                assertThatThrownBy(() -> oss.getObjectMetadata("bkt", "nope.txt")).isInstanceOf(OSSException.class)
                        .satisfies(e -> assertThat(((OSSException) e).getErrorCode()).isEqualTo("NoSuchKey"));
                assertThatThrownBy(() -> oss.listObjects("nobucket")).isInstanceOf(OSSException.class)
                        .satisfies(e -> assertThat(((OSSException) e).getErrorCode()).isEqualTo("NoSuchBucket"));
            } finally {
                oss.shutdown();
            }
            assertThat(fn.failures).isEmpty();
            assertThat(fn.contexts).containsExactly("getObjectContext");
            OSS v4 = client(ap.endpoint(), SignVersion.V4);
            try {
                assertThatThrownBy(() -> v4.getObjectMetadata("bkt", "dir/a.txt")).isInstanceOf(OSSException.class);
                assertThatThrownBy(() -> v4.listObjects("bkt")).isInstanceOf(OSSException.class)
                        .satisfies(e -> assertThat(((OSSException) e).getErrorCode()).isEqualTo("InvalidArgument"))
                        .hasMessageContaining("signature version 1");
            } finally {
                v4.shutdown();
            }
        }
    }

    @Test
    void untransformedOssErrorsCarryTheOssXmlBody() throws Exception {
        Files.createDirectories(root.resolve("bkt"));
        try (LocalAccessPoint ap = LocalAccessPoint.builder().root(root).port(0)
                .defaultAccessPoint(AccessPointSpec.builder().flavor(Flavor.OSS).build()).start()) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ap.endpoint()
                    + "/nobucket?prefix=a")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.headers().firstValue("x-oss-request-id")).isPresent();
            assertThat(r.body()).contains("<Error>").contains("<Code>NoSuchBucket</Code>").contains("<RequestId>");
        }
    }

    /** The Object FC handler in the OSS documentation's shape: fetch inputOssUrl, transform, writeGetObjectResponse. */
    private static void handle(JsonNode event) throws Exception {
        JsonNode ctx = event.path("getObjectContext");
        HttpResponse<byte[]> in = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(ctx.path("inputOssUrl").asText())).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        byte[] upper = new String(in.body(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        OSS oss = client("http://" + ctx.path("outputRoute").asText(), SignVersion.V1);
        try {
            ObjectMetadata meta = new ObjectMetadata();
            meta.setContentLength(upper.length);
            oss.writeGetObjectResponse(new WriteGetObjectResponseRequest(ctx.path("outputRoute").asText(),
                    ctx.path("outputToken").asText(), 200, new ByteArrayInputStream(upper), meta));
        } finally {
            oss.shutdown();
        }
    }

    private static OSS client(String endpoint, SignVersion version) {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setSLDEnabled(true);
        conf.setSignatureVersion(version);
        return OSSClientBuilder.create().endpoint(endpoint).credentialsProvider(
                new com.aliyun.oss.common.auth.DefaultCredentialProvider(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID,
                        LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY))
                .clientConfiguration(conf).region(LocalAccessPoint.DEFAULT_OSS_REGION).build();
    }
}
