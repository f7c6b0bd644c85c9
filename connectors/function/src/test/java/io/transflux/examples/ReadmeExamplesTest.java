package io.transflux.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.Credentials;
import io.transflux.connectors.LocalSource;
import io.transflux.connectors.WgorEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's two embedding examples are these test sources, character for character (after the package line),
 * and they run: a gzip object holding an e-mail address comes back decompressed and masked through a local
 * WriteGetObjectResponse endpoint.
 */
class ReadmeExamplesTest {

    static final String TEXT = "user=alice@example.com ok\n";
    static final String MASKED = "user=***************** ok\n";

    LocalSource source;
    WgorEndpoint wgor;

    @BeforeEach
    void start() {
        source = new LocalSource();
        wgor = new WgorEndpoint();
    }

    @AfterEach
    void stop() {
        source.close();
        wgor.close();
    }

    static Path readme() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path r = d.resolve("README.md");
            if (Files.exists(r) && Files.exists(d.resolve("mvnw"))) {
                return r;
            }
        }
        throw new AssertionError("README.md: not found above " + Path.of("").toAbsolutePath());
    }

    static String readmeBlock(String marker) throws IOException {
        String md = Files.readString(readme());
        int at = md.indexOf("<!-- embed:" + marker + " -->");
        assertThat(at).as("README marker embed:%s", marker).isNotNegative();
        int start = md.indexOf("```java\n", at) + "```java\n".length();
        return md.substring(start, md.indexOf("\n```", start));
    }

    static String sourceAfterPackage(String simpleName) throws IOException {
        String s = Files.readString(Path.of("src/test/java/io/transflux/examples/" + simpleName + ".java"));
        return s.substring(s.indexOf('\n', s.indexOf("package ")) + 1).strip();
    }

    static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    @Test
    void readmeShowsExactlyTheTestedHandlers() throws IOException {
        assertThat(readmeBlock("lambda").strip()).isEqualTo(sourceAfterPackage("RedactingLambdaHandler"));
        assertThat(readmeBlock("fc").strip()).isEqualTo(sourceAfterPackage("RedactingFcHandler"));
    }

    @Test
    void theLambdaExampleDecompressesAndMasksThroughWgor() throws Exception {
        source.put("/logs/app.log.gz", gzip(TEXT), Map.of("Content-Type", "application/gzip"));
        Map<String, String> env = Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "example-secret", "AWS_ENDPOINT_URL_S3", wgor.base(),
                "TRANSFLUX_ALLOW_SOURCE_HOSTS", "127.0.0.1");
        String event = "{\"xAmzRequestId\":\"r1\",\"protocolVersion\":\"1.00\",\"getObjectContext\":{\"inputS3Url\":\""
                + source.presigned("/logs/app.log.gz", "host") + "\",\"outputRoute\":\"io-euw1-001\",\"outputToken\":\"t\"},"
                + "\"configuration\":{\"accessPointArn\":\"arn:aws:s3-object-lambda:eu-west-1:111122223333:accesspoint/ol\","
                + "\"supportingAccessPointArn\":\"arn:aws:s3:eu-west-1:111122223333:accesspoint/ap\",\"payload\":\"\"},"
                + "\"userRequest\":{\"url\":\"https://ol.example/logs/app.log.gz\","
                + "\"headers\":{\"x-amz-checksum-mode\":\"ENABLED\"}}}";

        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        new RedactingLambdaHandler(env).handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                reply, null);

        assertThat(reply.toString(StandardCharsets.UTF_8)).contains("\"statusCode\":200");
        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-amz-fwd-status")).isEqualTo("200");
        assertThat(new String(c.body(), StandardCharsets.UTF_8)).isEqualTo(MASKED);
        // The caller asked for checksums (x-amz-checksum-mode): the example's CRC32C of the masked bytes.
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(MASKED.getBytes(StandardCharsets.UTF_8));
        String expected = java.util.Base64.getEncoder().encodeToString(
                java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        assertThat(c.header("x-amz-fwd-header-x-amz-checksum-crc32c")).isEqualTo(expected);
        assertThat(c.complete()).isTrue();
    }

    @Test
    void theFcExampleSignsWithTheContextsCredentials() throws Exception {
        source.put("/logs/app.log.gz", gzip(TEXT), Map.of("Content-Type", "application/gzip"));
        Map<String, String> env = Map.of("TRANSFLUX_OSS_WGOR_ENDPOINT", wgor.base(),
                "TRANSFLUX_ALLOW_SOURCE_HOSTS", "127.0.0.1", "FC_REGION", "cn-qingdao");
        String event = "{\"getObjectContext\":{\"inputOssUrl\":\"" + source.presigned("/logs/app.log.gz", "host")
                + "\",\"outputRoute\":\"fc-ap-01.oss-cn-qingdao-internal.oss-object-process.aliyuncs.com\","
                + "\"outputToken\":\"OSSV1#t\"}}";
        Credentials role = new Credentials() {
            public String getAccessKeyId() {
                return "STS.example";
            }

            public String getAccessKeySecret() {
                return "example-secret";
            }

            public String getSecurityToken() {
                return "example-token";
            }
        };
        Context context = (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> method.getName().equals("getExecutionCredentials") ? role : null);

        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        new RedactingFcHandler(env).handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                reply, context);

        assertThat(reply.toString(StandardCharsets.UTF_8)).isEqualTo("{\"statusCode\":200}");
        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-oss-fwd-status")).isEqualTo("200");
        assertThat(c.header("authorization")).contains("STS.example");
        assertThat(c.header("x-oss-security-token")).isEqualTo("example-token");
        assertThat(new String(c.body(), StandardCharsets.UTF_8)).isEqualTo(MASKED);
    }
}
