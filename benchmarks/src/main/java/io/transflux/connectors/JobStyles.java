package io.transflux.connectors;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.connectors.s3.S3ObjectLambda;
import io.transflux.connectors.s3.S3WgorClient;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.Pipeline;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.WriteGetObjectResponseRequest;

/**
 * One GetObject job (fetch a compressed object from a presigned URL, decompress, CRC32C, send to WGOR) written
 * three ways against the same {@link LoopbackRig}:
 * <ul>
 *   <li>{@link Style#BUFFERED}: the AWS/OSS sample style: {@code java.net.http} reads the whole object into a
 *       {@code byte[]}, the codec's {@code InputStream} inflates it into another, and
 *       {@code S3Client.writeGetObjectResponse} sends it with {@code RequestBody.fromBytes} (Content-Length).</li>
 *   <li>{@link Style#SDK_STREAMS}: the streaming version a Java developer writes from the SDK documentation: the
 *       codec's {@code InputStream} over the {@code java.net.http} response stream, a {@link CheckedInputStream}
 *       for CRC32C, and {@code RequestBody.fromContentProvider(provider, mimeType)} (length unknown).</li>
 *   <li>{@link Style#TRANSFLUX}: {@link S3ObjectLambda} with pipeline {@code decompress/<format>,ratio_0}, as
 *       {@code transflux invoke} runs it.</li>
 * </ul>
 * Both SDK styles use the SDK's default sync HTTP client (Apache 5) with path {@code /WriteGetObjectResponse}
 * on the loopback endpoint (host-prefix injection off, as an endpoint override on an IP needs), signing as over
 * {@code https} ({@link HttpsEquivalentSigner}: unsigned payload, as against the real endpoint).
 */
final class JobStyles implements AutoCloseable {

    enum Style {
        TRANSFLUX, BUFFERED, SDK_STREAMS;

        static Style of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    static final String ROUTE = "io-bench-1";
    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final Logger QUIET = Logger.getLogger(S3ObjectLambda.LOGGER);
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final String wgorEndpoint;
    private @Nullable S3Client s3;
    private final Map<BenchCodec, S3ObjectLambda> lambdas = new EnumMap<>(BenchCodec.class);

    JobStyles(String wgorEndpoint) {
        // One INFO line per invocation would otherwise go to stderr.
        QUIET.setLevel(Level.WARNING);
        this.wgorEndpoint = wgorEndpoint;
    }

    /** Built on first use, so a JVM running one style loads only that style's classes. */
    private synchronized S3Client s3() {
        if (s3 == null) {
            s3 = S3Client.builder().region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench-secret")))
                    .endpointOverride(URI.create(wgorEndpoint))
                    .httpClient(Apache5HttpClient.create())
                    .putAuthScheme(HttpsEquivalentSigner.scheme())
                    .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                    .build();
        }
        return s3;
    }

    private synchronized S3ObjectLambda lambda(BenchCodec codec) {
        return lambdas.computeIfAbsent(codec, c -> S3ObjectLambda.create(ObjectLambdaFunction.builder()
                        .pipeline(Pipeline.parse(c.stage()))
                        .limits(Limits.builder().unlimitedOutput().noDeadline().build())
                        .sourceOpener(HttpSourceOpener.fromEnvironment(Map.of(), List.of("127.0.0.1"))).build(),
                S3WgorClient.create("us-east-1", AwsCredentials.of("AKIDBENCH", "bench-secret", null))
                        .endpointOverride(wgorEndpoint)));
    }

    /** Runs one GetObject of {@code url} in {@code style}, answering with {@code token}; blocks until done. */
    void run(Style style, BenchCodec codec, String url, String token) {
        try {
            switch (style) {
                case TRANSFLUX -> transflux(codec, url, token);
                case BUFFERED -> buffered(codec, url, token);
                case SDK_STREAMS -> sdkStreams(codec, url, token);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void transflux(BenchCodec codec, String url, String token) {
        String event = "{\"xAmzRequestId\":\"" + token + "\",\"protocolVersion\":\"1.00\",\"getObjectContext\":{\"inputS3Url\":\""
                + url + "\",\"outputRoute\":\"" + ROUTE + "\",\"outputToken\":\"" + token
                + "\"},\"userRequest\":{\"url\":\"https://bench.example/object\",\"headers\":{}}}";
        S3ObjectLambda.Result r = lambda(codec).handle(event.getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
        if (r == null || r.outcome() == null || !r.outcome().succeeded()) {
            throw new IllegalStateException("transflux invocation failed: " + (r == null ? "no result" : r.replyJson()
                    + (r.outcome() == null ? "" : " " + r.outcome().toLogLine())));
        }
    }

    private void buffered(BenchCodec codec, String url, String token) throws IOException, InterruptedException {
        HttpResponse<byte[]> source = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        byte[] transformed;
        try (InputStream in = codec.open(new ByteArrayInputStream(source.body()))) {
            transformed = in.readAllBytes();
        }
        CRC32C crc = new CRC32C();
        crc.update(transformed);
        s3().writeGetObjectResponse(WriteGetObjectResponseRequest.builder().requestRoute(ROUTE).requestToken(token)
                .statusCode(200).checksumCRC32C(base64(crc)).build(), RequestBody.fromBytes(transformed));
    }

    private void sdkStreams(BenchCodec codec, String url, String token) throws IOException, InterruptedException {
        HttpResponse<InputStream> source = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        CRC32C crc = new CRC32C();
        try (InputStream body = new CheckedInputStream(codec.open(source.body()), crc)) {
            s3().writeGetObjectResponse(WriteGetObjectResponseRequest.builder().requestRoute(ROUTE).requestToken(token)
                    .statusCode(200).build(), RequestBody.fromContentProvider(() -> body, "application/octet-stream"));
        }
    }

    private static String base64(CRC32C crc) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Override
    public synchronized void close() {
        if (s3 != null) {
            s3.close();
        }
    }
}
