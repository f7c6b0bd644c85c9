package io.transflux.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import io.transflux.connectors.process.SaveAs;
import io.transflux.connectors.s3.S3MockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** {@code transflux process} in a child JVM against S3Mock, as a user would run it. */
class ProcessCommandTest {

    static S3MockServer s3mock;
    static S3Client client;

    @BeforeAll
    static void start() throws Exception {
        s3mock = S3MockServer.start();
        client = s3mock.client();
        client.createBucket(b -> b.bucket("photos"));
        client.createBucket(b -> b.bucket("thumbs"));
        client.putObject(b -> b.bucket("photos").key("in/cat.jpg").contentType("image/jpeg"),
                RequestBody.fromBytes(jpeg(400, 300)));
        client.putObject(b -> b.bucket("photos").key("not-an-image.txt"),
                RequestBody.fromString("plain text, not a picture"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (s3mock != null) {
            s3mock.close();
        }
    }

    static byte[] jpeg(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLUE);
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, "jpg", out)).isTrue();
        return out.toByteArray();
    }

    record Result(int exit, String stdout, String stderr) {
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(60, args);
    }

    static Result run(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(args));
        pb.environment().put("AWS_ACCESS_KEY_ID", S3MockServer.ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", S3MockServer.SECRET_KEY);
        pb.environment().put("AWS_REGION", "us-east-1");
        pb.environment().remove("AWS_ENDPOINT_URL");
        pb.environment().remove("AWS_ENDPOINT_URL_S3");
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread e = new Thread(() -> copy(p.getErrorStream(), err));
        e.start();
        copy(p.getInputStream(), out);
        assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as("transflux finished").isTrue();
        e.join(10_000);
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void resizesAnS3ObjectAndSavesTheThumbnailToAnotherBucket() throws Exception {
        String process = "image/resize,w_100|" + new SaveAs("small/cat.jpg", "thumbs");

        Result r = run("process", "--source", "s3://photos/in/cat.jpg", "--process", process,
                "--endpoint", s3mock.endpoint());

        assertThat(r.exit()).as(r.stderr()).isZero();
        byte[] saved = client.getObjectAsBytes(b -> b.bucket("thumbs").key("small/cat.jpg")).asByteArray();
        assertThat(r.stdout().trim()).isEqualTo("{\"bucket\":\"thumbs\",\"fileSize\":" + saved.length
                + ",\"object\":\"small/cat.jpg\",\"status\":\"OK\"}");
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(saved));
        assertThat(thumb.getWidth()).isEqualTo(100);
        assertThat(thumb.getHeight()).isEqualTo(75);
        assertThat(client.headObject(b -> b.bucket("thumbs").key("small/cat.jpg")).contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void targetBucketDefaultsToTheSourceBucket() throws Exception {
        Result r = run("process", "--source", "s3://photos/in/cat.jpg",
                "--process", "image/resize,w_50|sys/saveas,o_" + SaveAs.encode("in/cat-50.jpg"),
                "--endpoint", s3mock.endpoint());

        assertThat(r.exit()).as(r.stderr()).isZero();
        byte[] saved = client.getObjectAsBytes(b -> b.bucket("photos").key("in/cat-50.jpg")).asByteArray();
        assertThat(ImageIO.read(new ByteArrayInputStream(saved)).getWidth()).isEqualTo(50);
    }

    @Test
    void badBase64ExitsOneWithTheOssErrorCodeAndWritesNothing() throws Exception {
        Result r = run("process", "--source", "s3://photos/in/cat.jpg",
                "--process", "image/resize,w_50|sys/saveas,o_!!!", "--endpoint", s3mock.endpoint());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr().trim()).isEqualTo("error: InvalidArgument: sys/saveas: parameter o: not Base64 "
                + "(expected the URL-safe alphabet A-Z a-z 0-9 - _)");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void failingPipelineLeavesNoTargetObject() throws Exception {
        Result r = run("process", "--source", "s3://photos/not-an-image.txt",
                "--process", "image/resize,w_50|" + new SaveAs("broken.jpg", "thumbs"), "--endpoint", s3mock.endpoint());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("error: UnsupportedObjectFormat: ");
        assertThatThrownBy(() -> client.headObject(b -> b.bucket("thumbs").key("broken.jpg")))
                .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);
        assertThatThrownBy(() -> client.getObject(b -> b.bucket("thumbs").key("broken.jpg")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void missingSourceObjectReportsTheSourceError() throws Exception {
        Result r = run("process", "--source", "s3://photos/nope.jpg",
                "--process", "image/resize,w_50|" + new SaveAs("nope.jpg", "thumbs"), "--endpoint", s3mock.endpoint());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("error: ");
        assertThat(r.stderr()).contains("X-Amz-Signature=***").doesNotContainPattern("X-Amz-Signature=[0-9a-f]")
                .doesNotContain(S3MockServer.SECRET_KEY).doesNotContain(S3MockServer.ACCESS_KEY);
    }
}
