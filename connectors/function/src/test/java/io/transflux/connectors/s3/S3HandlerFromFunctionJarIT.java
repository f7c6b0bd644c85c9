package io.transflux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.github.luben.zstd.ZstdOutputStream;
import io.transflux.connectors.FunctionJarDriver;
import io.transflux.connectors.LocalSource;
import io.transflux.connectors.WgorEndpoint;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.SnappyFramedOutputStream;

/**
 * The deployable jar end to end: a separate JVM whose class path is {@code transflux-function.jar} plus a
 * one-class driver constructs {@link S3ObjectLambdaHandler} from its environment (as Lambda does) and handles one
 * GetObject event per codec, so every codec's classes (and their minimised dependencies) load from the jar. A
 * local source serves the objects; a local WGOR endpoint checks SigV4 and the bodies.
 */
class S3HandlerFromFunctionJarIT {

    static final Path JAR = Path.of(System.getProperty("transflux.function.jar", "target/transflux-function.jar"));
    static final String SECRET = "CANARYsecretKEY";
    static final String SESSION = "CANARYsessionTOKEN";

    interface Encoder {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    LocalSource source;
    WgorEndpoint wgor;

    @BeforeEach
    void start() {
        source = new LocalSource();
        wgor = new WgorEndpoint().verifier(new SigV4Verifier(SECRET, SESSION));
    }

    @AfterEach
    void stop() {
        source.close();
        wgor.close();
    }

    @Test
    void handlerInTheFunctionJarDecodesEveryCodecAndWritesSignedGetObjectResponses(@TempDir Path dir)
            throws Exception {
        byte[] plain = new byte[300_000];
        new Random(14).nextBytes(plain);
        Map<String, Encoder> codecs = new LinkedHashMap<>();
        codecs.put("gzip", GZIPOutputStream::new);
        codecs.put("bzip2", BZip2CompressorOutputStream::new);
        codecs.put("zstd", ZstdOutputStream::new);
        codecs.put("snappy", SnappyFramedOutputStream::new);
        codecs.put("zip", out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry("data.bin"));
            return zip;
        });
        List<Path> events = new ArrayList<>();
        for (Map.Entry<String, Encoder> codec : codecs.entrySet()) {
            ByteArrayOutputStream encoded = new ByteArrayOutputStream();
            try (OutputStream out = codec.getValue().wrap(encoded)) {
                out.write(plain);
            }
            String path = "/object." + codec.getKey();
            source.put(path, encoded.toByteArray(), Map.of("Content-Type", "application/octet-stream"));
            Path event = dir.resolve(codec.getKey() + ".json");
            Files.writeString(event, event(source.presigned(path, "host"), "decompress/" + codec.getKey()));
            events.add(event);
        }

        Process p = childJvm(dir, S3ObjectLambdaHandler.class.getName(), events);
        String replies = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertThat(p.exitValue()).as("driver exit; stderr:%n%s", err).isZero();
        assertThat(replies.lines().toList()).as("replies; stderr:%n%s", err).hasSize(codecs.size());
        assertThat(replies + err).doesNotContain("CANARY");

        for (String codec : codecs.keySet()) {
            WgorEndpoint.Capture c = wgor.take();
            assertThat(c.signatureValid()).as(codec).isTrue();
            assertThat(c.header("x-amz-fwd-status")).as(codec).isEqualTo("200");
            assertThat(c.complete()).as(codec).isTrue();
            assertThat(c.body()).as(codec).isEqualTo(plain);
        }
    }

    /**
     * The paths the codecs do not take, from the jar: an {@code https} source (Reactor Netty's TLS set-up, which
     * probes for QUIC, and the handshake failing against a plain-HTTP origin), an image resized and encoded as
     * WebP (ImageIO plugins and webp-imageio's Kotlin), and a HeadObject reply (JSON written by Jackson).
     */
    @Test
    void handlerInTheFunctionJarReachesTlsEncodesWebpAndAnswersHeadObject(@TempDir Path dir) throws Exception {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 48,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 0x40);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        assertThat(javax.imageio.ImageIO.write(img, "jpg", jpeg)).isTrue();
        source.put("/photo.jpg", jpeg.toByteArray(), Map.of("Content-Type", "image/jpeg"));
        source.put("/plain.txt", "head me".getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain"));

        Path tls = dir.resolve("tls.json");
        Files.writeString(tls, event(source.presigned("/photo.jpg", "host").replace("http://", "https://"), ""));
        Path webp = dir.resolve("webp.json");
        Files.writeString(webp, event(source.presigned("/photo.jpg", "host"), "image/resize,w_32/format,webp"));
        Path head = dir.resolve("head.json");
        Files.writeString(head, "{\"xAmzRequestId\":\"req-2\",\"protocolVersion\":\"1.01\",\"headObjectContext\":"
                + "{\"inputS3Url\":\"" + source.presigned("/plain.txt", "host") + "\"},"
                + "\"userRequest\":{\"url\":\"https://x/plain.txt\",\"headers\":{}}}");

        Process p = childJvm(dir, S3ObjectLambdaHandler.class.getName(), List.of(tls, webp, head));
        String replies = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("stderr.txt"));
        assertThat(p.exitValue()).as("driver exit; stderr:%n%s", err).isZero();
        List<String> lines = replies.lines().toList();
        assertThat(lines).as("replies; stderr:%n%s", err).hasSize(3);
        assertThat(err).doesNotContain("NoClassDefFoundError", "ClassNotFoundException");

        WgorEndpoint.Capture refused = wgor.take();
        assertThat(refused.header("x-amz-fwd-status")).isEqualTo("403");
        assertThat(refused.header("x-amz-fwd-error-code")).startsWith("SourceTls");

        WgorEndpoint.Capture resized = wgor.take();
        assertThat(resized.header("x-amz-fwd-status")).isEqualTo("200");
        assertThat(resized.header("x-amz-fwd-header-content-type")).isEqualTo("image/webp");
        byte[] b = resized.body();
        assertThat(new String(b, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(b, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WEBP");

        assertThat(lines.get(2)).contains("\"statusCode\":200").contains("\"Content-Length\":\"7\"")
                .contains("\"Content-Type\":\"text/plain\"");
    }

    static String event(String url, String pipeline) {
        return "{\"xAmzRequestId\":\"req-1\",\"protocolVersion\":\"1.00\",\"getObjectContext\":"
                + "{\"inputS3Url\":\"" + url + "\",\"outputRoute\":\"io-euw1-001\",\"outputToken\":\"tok\"},"
                + "\"configuration\":{\"accessPointArn\":\"arn:aws:s3-object-lambda:eu-west-1:111122223333:accesspoint/ol\","
                + "\"supportingAccessPointArn\":\"arn:aws:s3:eu-west-1:111122223333:accesspoint/ap\","
                + "\"payload\":\"{\\\"pipeline\\\":\\\"" + pipeline + "\\\"}\"},"
                + "\"userRequest\":{\"url\":\"https://x/object\",\"headers\":{}},\"userIdentity\":{\"type\":\"AssumedRole\"}}";
    }

    /** java -cp transflux-function.jar:driver-only-dir FunctionJarDriver handler events... */
    Process childJvm(Path dir, String handler, List<Path> events) throws IOException {
        Path driverDir = dir.resolve("driver");
        String rel = FunctionJarDriver.class.getName().replace('.', '/') + ".class";
        Path target = driverDir.resolve(rel);
        Files.createDirectories(target.getParent());
        try (var in = FunctionJarDriver.class.getClassLoader().getResourceAsStream(rel)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", JAR.toAbsolutePath() + java.io.File.pathSeparator + driverDir,
                FunctionJarDriver.class.getName(), handler));
        events.forEach(e -> cmd.add(e.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("TRANSFLUX_") || k.startsWith("ALIBABA_"));
        env.putAll(SigV4Verifier.env(wgor.base(), SECRET, SESSION));
        env.put("TRANSFLUX_ALLOW_SOURCE_HOSTS", "127.0.0.1");
        return pb.start();
    }
}
