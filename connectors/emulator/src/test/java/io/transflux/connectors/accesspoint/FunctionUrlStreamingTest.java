package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.testing.ExternalTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function URL end to end, as on Lambda: curl talks to serve's emulated function URL, which invokes the
 * deployable function in a separate JVM running the custom runtime ({@code UrlRuntime}) through the Runtime API in
 * streaming mode; the function reads a SigV4-presigned source and streams the transformed bytes back.
 */
class FunctionUrlStreamingTest {

    static final AwsCredentials ROLE = AwsCredentials.of("AKIAFUNCTIONROLE0001", "role-secret-0001", "role-session-token");

    @TempDir
    static Path dir;
    static SignedObjectSource source;
    static FunctionUrlServer url;
    static byte[] plain;
    static String plainETag = "\"0123456789abcdef0123456789abcdef\"";

    @BeforeAll
    static void start() throws IOException {
        ExternalTools.require("curl", "curl");
        source = new SignedObjectSource(ROLE);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 3 * 1024 * 1024; i++) {
            sb.append("record ").append(i).append(" value ").append(Integer.toHexString(i * 7919)).append('\n');
        }
        plain = sb.toString().getBytes(StandardCharsets.US_ASCII);
        source.put("data/public/log.txt.gz", gzip(plain), plainETag);
        source.put("data/secret/keys.txt.gz", gzip("secret".getBytes(StandardCharsets.US_ASCII)), "\"s\"");
        // 24 MiB of text, gzip cut at 75%: fails well past the 8 MiB the function holds before committing a status.
        StringBuilder big = new StringBuilder();
        java.util.Random r = new java.util.Random(7);
        while (big.length() < 24 * 1024 * 1024) {
            big.append(Long.toString(r.nextLong(), 36)).append(' ');
        }
        byte[] gz = gzip(big.toString().getBytes(StandardCharsets.US_ASCII));
        source.put("data/public/broken.txt.gz", Arrays.copyOf(gz, gz.length * 3 / 4), "\"broken\"");
        url = FunctionUrlServer.builder()
                .runtime(runtime(List.of("-Xmx96m")))
                .environment(functionEnv("decompress/gzip"))
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    static Map<String, String> functionEnv(String pipeline) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("AWS_ACCESS_KEY_ID", ROLE.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", "role-secret-0001", "AWS_SESSION_TOKEN", "role-session-token",
                "AWS_ENDPOINT_URL_S3", source.endpoint(), "TRANSFLUX_URL_BUCKET", "data",
                "TRANSFLUX_URL_KEY_PREFIX", "public/", "TRANSFLUX_URL_CACHE_CONTROL", "public, max-age=60"));
        if (!pipeline.isEmpty()) {
            env.put("TRANSFLUX_PIPELINE", pipeline);
        }
        return env;
    }

    static FunctionRuntimeSpec runtime(List<String> jvmOptions) {
        FunctionRuntimeSpec.Builder b = FunctionRuntimeSpec.builder().mainClass(FunctionRuntimeSpec.URL_RUNTIME_MAIN)
                .handler(FunctionRuntimeSpec.URL_RUNTIME_MAIN).jvmOptions(jvmOptions);
        if (Files.isRegularFile(LocalAccessPointRicModeTest.LEAN_JAR)) {
            return b.functionJar(LocalAccessPointRicModeTest.LEAN_JAR).build();
        }
        return b.classpath(LocalAccessPointRicModeTest.functionClasspath()).build();
    }

    /**
     * 2 GiB generated lazily by the source, through a function JVM with a 64 MiB heap and 32 MiB of direct memory,
     * read by curl signing with SigV4 for the function URL's AWS_IAM auth; every byte is checked as it arrives.
     * An unsigned request is refused with 403 before the function runs.
     * Tagged {@code load}: a capacity test, run once per CI run (on the first JDK).
     */
    @Test
    @Tag("load")
    void twoGibibytesStreamThroughAFunctionJvmWithBoundedMemoryUnderIamAuth() throws Exception {
        long size = 2L * 1024 * 1024 * 1024;
        source.putGenerated("data/public/big.bin", size, "\"big\"");
        AwsCredentials caller = AwsCredentials.of("AKIACALLER0000000001", "caller-secret", null);
        try (FunctionUrlServer iam = FunctionUrlServer.builder()
                .runtime(runtime(List.of("-Xmx64m", "-XX:MaxDirectMemorySize=32m")))
                .environment(Map.of()).environment(functionEnv(""))
                .environment(Map.of("TRANSFLUX_MAX_OUTPUT_BYTES", Long.toString(size)))
                .auth(FunctionUrlServer.Auth.AWS_IAM).caller(caller)
                // The function timeout bounds the whole stream (as on Lambda): Lambda's maximum, 15 minutes.
                .timeout(Duration.ofSeconds(900)).build()) {
            assertThat(curl(iam.url() + "/big.bin").status()).isEqualTo(403);
            source.paths.clear();
            Process p = new ProcessBuilder("curl", "-sS", "--fail", "--aws-sigv4", "aws:amz:us-east-1:lambda",
                    "--user", caller.accessKeyId() + ":caller-secret", "-o", "-", iam.url() + "/big.bin")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long n = 0;
            long mismatch = -1;
            byte[] buf = new byte[1 << 16];
            try (var in = p.getInputStream()) {
                for (int r; (r = in.read(buf)) > 0; ) {
                    for (int i = 0; i < r && mismatch < 0; i++) {
                        if (buf[i] != SignedObjectSource.generatedByte(n + i)) {
                            mismatch = n + i;
                        }
                    }
                    n += r;
                }
            }
            assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(mismatch).isEqualTo(-1);
            assertThat(n).isEqualTo(size);
            assertThat(source.paths).containsExactly("/data/public/big.bin");
        }
    }

    @AfterAll
    static void stop() {
        if (url != null) {
            url.close();
        }
        if (source != null) {
            source.close();
        }
    }

    static byte[] gzip(byte[] in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(in);
        }
        return out.toByteArray();
    }

    /** curl's exit code, headers and body. */
    record Curl(int exit, String headers, byte[] body) {
        int status() {
            String[] blocks = headers.trim().split("\r\n\r\n");
            String last = blocks[blocks.length - 1];
            return Integer.parseInt(last.split(" ")[1]);
        }

        String header(String name) {
            for (String l : headers.split("\r\n")) {
                int c = l.indexOf(':');
                if (c > 0 && l.substring(0, c).equalsIgnoreCase(name)) {
                    return l.substring(c + 1).trim();
                }
            }
            return null;
        }
    }

    static Curl curl(String... args) throws IOException, InterruptedException {
        Path h = Files.createTempFile(dir, "h", ".txt");
        Path b = Files.createTempFile(dir, "b", ".bin");
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--path-as-is", "-D", h.toString(), "-o", b.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Curl(p.exitValue(), Files.readString(h, StandardCharsets.ISO_8859_1), Files.readAllBytes(b));
    }

    @Test
    void getStreamsTheTransformedBytesExactlyWithDerivedETagAndCacheControl() throws Exception {
        Curl c = curl(url.url() + "/log.txt.gz");
        assertThat(c.exit()).isZero();
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.body()).isEqualTo(plain);
        assertThat(c.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
        assertThat(c.header("Cache-Control")).isEqualTo("public, max-age=60");
        assertThat(c.header("ETag")).matches("\"[0-9a-f]{32}\"").isNotEqualTo(plainETag);
        // Deterministic: the same source version through the same pipeline, the same tag.
        assertThat(curl("-I", url.url() + "/log.txt.gz").header("ETag")).isEqualTo(c.header("ETag"));
    }

    @Test
    void rangeIsAppliedToTheTransformedBytes() throws Exception {
        Curl c = curl("-H", "Range: bytes=100-1099", url.url() + "/log.txt.gz");
        assertThat(c.exit()).isZero();
        assertThat(c.status()).isEqualTo(206);
        assertThat(c.body()).isEqualTo(Arrays.copyOfRange(plain, 100, 1100));
        // The transformed total is unknown until the end (decompression): '*', as the core answers Object Lambda.
        assertThat(c.header("Content-Range")).isEqualTo("bytes 100-1099/*");
    }

    @Test
    void rangeBeyondTheTransformedObjectIs416() throws Exception {
        Curl c = curl("-H", "Range: bytes=" + (plain.length + 10) + "-", url.url() + "/log.txt.gz");
        assertThat(c.status()).isEqualTo(416);
        assertThat(new String(c.body(), StandardCharsets.UTF_8)).contains("<Code>InvalidRange</Code>");
    }

    @Test
    void ifNoneMatchWithTheDerivedETagIs304WithoutABody() throws Exception {
        String tag = curl("-I", url.url() + "/log.txt.gz").header("ETag");
        Curl c = curl("-H", "If-None-Match: " + tag, url.url() + "/log.txt.gz");
        assertThat(c.exit()).isZero();
        assertThat(c.status()).isEqualTo(304);
        assertThat(c.body()).isEmpty();
        assertThat(c.header("ETag")).isEqualTo(tag);
        // The source's own ETag is not the transformed object's: no 304 for it.
        assertThat(curl("-H", "If-None-Match: " + plainETag, url.url() + "/log.txt.gz").status()).isEqualTo(200);
    }

    @Test
    void headAnswersTheTransformedLengthWithoutABody() throws Exception {
        Curl c = curl("-I", url.url() + "/log.txt.gz");
        assertThat(c.exit()).isZero();
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.header("Content-Length")).isEqualTo(Integer.toString(plain.length));
        // curl -I writes the header block to the output: nothing may follow it.
        assertThat(new String(c.body(), StandardCharsets.ISO_8859_1)).isEqualTo(c.headers());
    }

    @Test
    void missingKeyIsTheSources404AsS3Xml() throws Exception {
        Curl c = curl(url.url() + "/absent.gz");
        assertThat(c.status()).isEqualTo(404);
        assertThat(c.header("Content-Type")).isEqualTo("application/xml");
        assertThat(new String(c.body(), StandardCharsets.UTF_8)).contains("<Code>NoSuchKey</Code>");
    }

    @Test
    void dotDotEncodedSlashesAndControlCharactersAre400AndNeverReachTheSource() throws Exception {
        source.paths.clear();
        for (String bad : List.of("/../secret/keys.txt.gz", "/a/../../secret/keys.txt.gz", "/%2e%2e/secret/keys.txt.gz",
                "/..%2Fsecret%2Fkeys.txt.gz", "/a%5C..%5Csecret", "/log%0A.txt.gz", "/log%00.txt.gz", "//log.txt.gz")) {
            Curl c = curl(url.url() + bad);
            assertThat(c.status()).as(bad).isEqualTo(400);
            assertThat(new String(c.body(), StandardCharsets.UTF_8)).as(bad).contains("<Code>InvalidURI</Code>");
        }
        assertThat(source.paths).isEmpty();
    }

    @Test
    void aPipelineFailureAfterTheBodyBeganFailsTheCallersResponseNeverLooksComplete() throws Exception {
        Curl c = curl(url.url() + "/broken.txt.gz");
        assertThat(c.status()).isEqualTo(200);
        // 18: "Partial file. Only a part of the file was transferred" — the chunked body never ended.
        assertThat(c.exit()).isEqualTo(18);
        assertThat(c.body().length).isGreaterThan(8 * 1024 * 1024).isLessThan(24 * 1024 * 1024);
    }
}
