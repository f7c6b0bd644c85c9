package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The unmodified AWS SDK for Java v2 as a function URL's client: an {@link S3Client} and an {@link S3AsyncClient}
 * with {@code endpointOverride} set to the emulated function URL (auth {@code NONE}), path-style, so that
 * GetObject/HeadObject become {@code GET/HEAD /{bucket}/{key}}, answered by the custom runtime in a separate function
 * JVM through the streaming Runtime API. Paths choose pipelines by prefix ({@code TRANSFLUX_URL_PIPELINES}).
 * One pair of function JVMs for the class.
 */
class FunctionUrlSdkClientTest {

    @TempDir
    static Path dir;
    static SignedObjectSource source;
    static FunctionUrlServer url;
    static S3Client s3;
    static S3AsyncClient s3async;
    static byte[] plain;
    static byte[] gz;

    @BeforeAll
    static void start() throws IOException {
        io.transflux.testing.ExternalTools.require("curl", "curl");
        FunctionUrlStreamingTest.dir = dir;
        source = new SignedObjectSource(FunctionUrlStreamingTest.ROLE);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 512 * 1024; i++) {
            sb.append("line ").append(i).append(' ').append(Integer.toHexString(i * 31337)).append('\n');
        }
        plain = sb.toString().getBytes(StandardCharsets.US_ASCII);
        gz = FunctionUrlStreamingTest.gzip(plain);
        source.put("data/log.txt.gz", gz, "\"log\"");
        source.put("data/raw/log.txt.gz", gz, "\"log\"");
        source.put("logs/app/a.gz", gz, "\"log\"");
        source.put("secret/keys.gz", gz, "\"s\"");
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "AWS_ACCESS_KEY_ID", FunctionUrlStreamingTest.ROLE.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", "role-secret-0001", "AWS_SESSION_TOKEN", "role-session-token",
                "AWS_ENDPOINT_URL_S3", source.endpoint(), "TRANSFLUX_URL_BUCKETS", "data,logs",
                "TRANSFLUX_PIPELINE", "decompress/gzip",
                // data/raw/ is served as stored; everything else is gunzipped by the default pipeline.
                "TRANSFLUX_URL_PIPELINES", "{\"data/raw/\": \"\", \"logs/\": \"decompress/auto\"}"));
        url = FunctionUrlServer.builder()
                .runtime(runtime(2))
                .environment(env).timeout(Duration.ofSeconds(60)).build();
        s3 = S3Client.builder().endpointOverride(URI.create(url.url())).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create()).build();
        s3async = S3AsyncClient.builder().endpointOverride(URI.create(url.url())).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(16)).build();
    }

    /** The custom runtime in {@code processes} function JVMs: the built function jar, else the test classpath. */
    static FunctionRuntimeSpec runtime(int processes) {
        FunctionRuntimeSpec.Builder b = FunctionRuntimeSpec.builder().mainClass(FunctionRuntimeSpec.URL_RUNTIME_MAIN)
                .handler(FunctionRuntimeSpec.URL_RUNTIME_MAIN).jvmOptions(List.of("-Xmx96m")).processes(processes);
        return java.nio.file.Files.isRegularFile(LocalAccessPointRicModeTest.LEAN_JAR)
                ? b.functionJar(LocalAccessPointRicModeTest.LEAN_JAR).build()
                : b.classpath(LocalAccessPointRicModeTest.functionClasspath()).build();
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (s3async != null) {
            s3async.close();
        }
        if (url != null) {
            url.close();
        }
        if (source != null) {
            source.close();
        }
    }

    @Test
    void getObjectReturnsTheTransformedBytesExactlyWithTheDerivedETag() {
        ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket("data").key("log.txt.gz"));
        assertThat(r.asByteArray()).isEqualTo(plain);
        assertThat(r.response().eTag()).matches("\"[0-9a-f]{32}\"").isNotEqualTo("\"log\"");
    }

    @Test
    void pathPrefixesChooseThePipelineLongestPrefixFirst() {
        ResponseBytes<GetObjectResponse> raw = s3.getObjectAsBytes(b -> b.bucket("data").key("raw/log.txt.gz"));
        ResponseBytes<GetObjectResponse> auto = s3.getObjectAsBytes(b -> b.bucket("logs").key("app/a.gz"));
        ResponseBytes<GetObjectResponse> dflt = s3.getObjectAsBytes(b -> b.bucket("data").key("log.txt.gz"));
        assertThat(raw.asByteArray()).isEqualTo(gz);
        assertThat(auto.asByteArray()).isEqualTo(plain);
        assertThat(dflt.asByteArray()).isEqualTo(plain);
        // The same source version through different pipelines: different derived ETags.
        assertThat(raw.response().eTag()).isNotEqualTo(dflt.response().eTag());
        assertThat(auto.response().eTag()).isNotEqualTo(dflt.response().eTag());
    }

    @Test
    void rangeIsAppliedToTheTransformedBytes() {
        ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b -> b.bucket("data").key("log.txt.gz")
                .range("bytes=1000-4999"));
        assertThat(r.asByteArray()).isEqualTo(Arrays.copyOfRange(plain, 1000, 5000));
        assertThat(r.response().contentRange()).isEqualTo("bytes 1000-4999/*");
    }

    @Test
    void ifNoneMatchWithTheDerivedETagIsA304TheSdkSurfacesAsItsStatus() {
        String tag = s3.headObject(b -> b.bucket("data").key("log.txt.gz")).eTag();
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("data").key("log.txt.gz").ifNoneMatch(tag)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(304));
    }

    @Test
    void headObjectAnswersTheTransformedLength() {
        HeadObjectResponse h = s3.headObject(b -> b.bucket("data").key("log.txt.gz"));
        assertThat(h.contentLength()).isEqualTo(plain.length);
        assertThat(h.eTag()).isEqualTo(s3.getObjectAsBytes(b -> b.bucket("data").key("log.txt.gz")).response().eTag());
    }

    @Test
    void aMissingKeyIsTheSdksTypedNoSuchKey() {
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("data").key("absent.gz")))
                .isInstanceOfSatisfying(NoSuchKeyException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
                });
        assertThatThrownBy(() -> s3async.getObject(b -> b.bucket("data").key("absent.gz"),
                AsyncResponseTransformer.toBytes()).join()).hasCauseInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void aBucketOutsideTheAllowListIs403BeforeAnySourceRead() {
        source.paths.clear();
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("secret").key("keys.gz")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
        assertThat(source.paths).isEmpty();
    }

    @Test
    void bucketInPathTraversalEncodedSlashesAndControlCharactersAre400AndNeverReachTheSource() throws Exception {
        source.paths.clear();
        for (String bad : List.of("/data/../secret/keys.gz", "/data/%2e%2e/secret/keys.gz", "/data%2F..%2Fsecret/keys.gz",
                "/data/raw%2F..%2F..%2Fsecret/keys.gz", "/data/a%5C..%5Cb", "/data/log%0D%0A.txt.gz", "/data/log%00.gz",
                "/data//log.txt.gz", "/data/", "/data/log%ZZ.gz", "/data/log%C3%28.gz")) {
            FunctionUrlStreamingTest.Curl c = FunctionUrlStreamingTest.curl(url.url() + bad);
            assertThat(c.status()).as(bad).isEqualTo(400);
            assertThat(new String(c.body(), StandardCharsets.UTF_8)).as(bad).contains("<Code>InvalidURI</Code>");
        }
        // A traversal that a client or proxy normalises away stays inside the allow-list: 403 for another bucket.
        assertThat(FunctionUrlStreamingTest.curl(url.url() + "/secret/keys.gz").status()).isEqualTo(403);
        assertThat(source.paths).isEmpty();
    }

    @Test
    void sixteenParallelGetObjectsEachGetExactlyTheirBytesSyncAndAsync() throws Exception {
        List<CompletableFuture<ResponseBytes<GetObjectResponse>>> async = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String key = i % 2 == 0 ? "log.txt.gz" : "raw/log.txt.gz";
            async.add(s3async.getObject(b -> b.bucket("data").key(key), AsyncResponseTransformer.toBytes()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<byte[]>> sync = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int from = i * 1000;
                sync.add(pool.submit(() -> s3.getObjectAsBytes(b -> b.bucket("data").key("log.txt.gz")
                        .range("bytes=" + from + "-")).asByteArray()));
            }
            for (int i = 0; i < 16; i++) {
                assertThat(async.get(i).join().asByteArray()).as("async %d", i).isEqualTo(i % 2 == 0 ? plain : gz);
                assertThat(sync.get(i).get()).as("sync %d", i).isEqualTo(Arrays.copyOfRange(plain, i * 1000, plain.length));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
