package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.GenericResult;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.ProcessObjectRequest;
import io.transflux.connectors.process.SaveAs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code x-oss-process} on the OSS flavour: process on read and process and save, with the unmodified SDK. */
class LocalAccessPointOssProcessTest {

    @TempDir
    Path root;

    private LocalAccessPoint ap;
    private OSS oss;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static void png(Path file, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    @BeforeEach
    void start() throws IOException {
        png(root.resolve("bkt/pic.png"), 200, 100);
        Files.writeString(root.resolve("bkt/hello.txt"), "not an image");
        Files.createDirectories(root.resolve("other"));
        ap = LocalAccessPoint.builder().root(root).port(0)
                .defaultAccessPoint(AccessPointSpec.builder().flavor(Flavor.OSS).features(EnumSet.allOf(Feature.class))
                        .build())
                .accessPoints(List.of(AccessPointSpec.builder().bucket("bkt").flavor(Flavor.OSS).build(),
                        AccessPointSpec.builder().bucket("logs").pipeline("decompress/auto").flavor(Flavor.OSS).build()))
                .accessLog(line -> { })
                .start();
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setSLDEnabled(true);
        oss = new OSSClientBuilder().build(ap.endpoint(), LocalAccessPoint.DEFAULT_ACCESS_KEY_ID,
                LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY, conf);
    }

    @AfterEach
    void stop() {
        oss.shutdown();
        ap.close();
    }

    @Test
    void signedGetWithProcessReturnsTheResizedImage() throws Exception {
        GetObjectRequest get = new GetObjectRequest("bkt", "pic.png");
        get.setProcess("image/resize,w_50");
        OSSObject o = oss.getObject(get);
        try (InputStream in = o.getObjectContent()) {
            BufferedImage img = ImageIO.read(in);
            assertThat(img.getWidth()).isEqualTo(50);
            assertThat(img.getHeight()).isEqualTo(25);
        }
    }

    @Test
    void cropStartingOutsideTheImageIsOss400BadRequest() throws Exception {
        png(root.resolve("bkt/small.png"), 64, 64);
        GetObjectRequest get = new GetObjectRequest("bkt", "small.png");
        get.setProcess("image/crop,x_100");
        // OSS Custom crop, usage notes: 400 BadRequest, "Advance cut's position is out of image."
        assertThatThrownBy(() -> oss.getObject(get))
                .isInstanceOf(OSSException.class)
                .satisfies(e -> {
                    assertThat(((OSSException) e).getErrorCode()).isEqualTo("BadRequest");
                    assertThat(((OSSException) e).getErrorMessage()).contains("Advance cut's position is out of image");
                });
    }

    @Test
    void putWithAKeySegmentOver255BytesIs400SayingWhy() throws Exception {
        String key = "a/" + "x".repeat(300) + "/b.txt";
        assertThatThrownBy(() -> oss.putObject("bkt", key, new java.io.ByteArrayInputStream(new byte[] {1})))
                .isInstanceOf(OSSException.class)
                .satisfies(e -> {
                    assertThat(((OSSException) e).getErrorCode()).isEqualTo("InvalidObjectName");
                    assertThat(((OSSException) e).getErrorMessage()).contains("300 bytes").contains("255");
                });
        // A long name that fits is stored, though its temporary file's name is longer than the limit would allow.
        String fits = "y".repeat(250);
        oss.putObject("bkt", fits, new java.io.ByteArrayInputStream("ok".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try (InputStream in = oss.getObject("bkt", fits).getObjectContent()) {
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("ok");
        }
    }

    @Test
    void getWithSaveAsIsInvalidArgument() {
        GetObjectRequest get = new GetObjectRequest("bkt", "pic.png");
        get.setProcess("image/resize,w_50|" + new SaveAs("t.png", null));
        assertThatThrownBy(() -> oss.getObject(get))
                .isInstanceOf(OSSException.class)
                .satisfies(e -> assertThat(((OSSException) e).getErrorCode()).isEqualTo("InvalidArgument"));
        assertThat(root.resolve("bkt/t.png")).doesNotExist();
    }

    @Test
    void rawPostSavesTheProcessedObjectAndAnswersOssJson() throws Exception {
        HttpResponse<String> r = post("bkt", "pic.png", "x-oss-process=image/resize,w_100|sys/saveas,o_"
                + SaveAs.encode("thumbs/pic.png") + ",b_" + SaveAs.encode("bkt"));
        assertThat(r.statusCode()).isEqualTo(200);
        long size = Files.size(root.resolve("bkt/thumbs/pic.png"));
        assertThat(r.body()).isEqualTo("{\"bucket\":\"bkt\",\"fileSize\":" + size
                + ",\"object\":\"thumbs/pic.png\",\"status\":\"OK\"}");
        BufferedImage img = ImageIO.read(root.resolve("bkt/thumbs/pic.png").toFile());
        assertThat(img.getWidth()).isEqualTo(100);
        assertThat(img.getHeight()).isEqualTo(50);
    }

    @Test
    void sdkProcessObjectSavesIntoTheSourceBucketByDefault() throws Exception {
        GenericResult res = oss.processObject(new ProcessObjectRequest("bkt", "pic.png",
                "image/resize,w_40|sys/saveas,o_" + SaveAs.encode("small.png")));
        try (InputStream in = res.getResponse().getContent()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("\"object\":\"small.png\"")
                    .contains("\"status\":\"OK\"");
        }
        assertThat(ImageIO.read(root.resolve("bkt/small.png").toFile()).getWidth()).isEqualTo(40);
    }

    @Test
    void badTargetsGetTheOssErrorCodes() throws Exception {
        assertError(post("bkt", "pic.png", "x-oss-process=image/resize,w_10|sys/saveas,o_%21%21%21"), 400,
                "InvalidArgument");
        assertError(post("bkt", "pic.png", "x-oss-process=image/resize,w_10|sys/saveas,o_"
                + SaveAs.encode("a.png") + ",b_" + SaveAs.encode("nosuchbucket")), 403, "AccessDenied");
        assertError(post("bkt", "pic.png", "x-oss-process=image/resize,w_10|sys/saveas,o_"
                + SaveAs.encode("a.png") + ",b_" + SaveAs.encode("other")), 403, "AccessDenied");
        assertError(post("bkt", "pic.png", "x-oss-process=image/resize,w_10"), 400, "InvalidArgument");
        assertError(post("bkt", "pic.png", "nothing=here"), 400, "InvalidArgument");
        assertError(post("bkt", "missing.png", "x-oss-process=image/resize,w_10|sys/saveas,o_"
                + SaveAs.encode("a.png")), 404, "NoSuchKey");
        assertThat(root.resolve("bkt/a.png")).doesNotExist();
        assertThat(root.resolve("other/a.png")).doesNotExist();
    }

    @Test
    void aMissingTargetBucketIsNoSuchBucketWhereTheAccessPointAllowsAnyBucket() throws Exception {
        Files.createDirectories(root.resolve("free"));
        Files.copy(root.resolve("bkt/pic.png"), root.resolve("free/pic.png"));
        assertError(post("free", "pic.png", "x-oss-process=image/resize,w_10|sys/saveas,o_"
                + SaveAs.encode("a.png") + ",b_" + SaveAs.encode("nosuchbucket")), 404, "NoSuchBucket");
        HttpResponse<String> ok = post("free", "pic.png", "x-oss-process=image/resize,w_10|sys/saveas,o_"
                + SaveAs.encode("a.png") + ",b_" + SaveAs.encode("other"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(root.resolve("other/a.png")).exists();
    }

    @Test
    void aFailedPipelineLeavesNoPartialTarget() throws Exception {
        HttpResponse<String> r = post("bkt", "hello.txt", "x-oss-process=image/resize,w_10|sys/saveas,o_"
                + SaveAs.encode("broken.png"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<Code>UnsupportedObjectFormat</Code>");
        try (Stream<Path> files = Files.list(root.resolve("bkt"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("pic.png", "hello.txt");
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/xml");
        assertThat(r.body()).contains("<Code>" + code + "</Code>");
    }

    private HttpResponse<String> post(String bucket, String key, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ap.endpoint() + "/" + bucket + "/" + key + "?x-oss-process"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAccessPointsOwnStagesRunBeforeTheRequestedOnes() throws Exception {
        Files.createDirectories(root.resolve("logs"));
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(
                Files.newOutputStream(root.resolve("logs/app.log.gz")))) {
            gz.write("user alice@example.com logged in\n".getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(ap.endpoint() + "/logs/app.log.gz"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> redacted = http.send(HttpRequest.newBuilder(URI.create(ap.endpoint()
                        + "/logs/app.log.gz?x-oss-process=redact/pii")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).isEqualTo("user alice@example.com logged in\n");
        assertThat(redacted.statusCode()).isEqualTo(200);
        // decompress/auto (the access point's) ran first, then redact/pii (the request's; masks by default)
        assertThat(redacted.body()).isEqualTo("user " + "*".repeat("alice@example.com".length()) + " logged in\n");
    }
}
