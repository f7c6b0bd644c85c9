package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The platform's own answers (docs/protocols.md §2.6, §2.7, §2.9), driven by a scripted remote function that writes
 * (or does not write) its WGOR by hand, signed with the SDK signer.
 */
class PlatformErrorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path root;
    DisposableServer function;
    LocalAccessPoint server;
    volatile Function<JsonNode, Mono<Void>> script = e -> Mono.empty();
    final BlockingQueue<String> wgorAnswers = new LinkedBlockingQueue<>();
    final java.util.concurrent.CountDownLatch callerSawBytes = new java.util.concurrent.CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/k.txt"), "hello");
        function = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> req.receive().aggregate().asByteArray()
                        .flatMap(b -> {
                            try {
                                return script.apply(JSON.readTree(b));
                            } catch (IOException e) {
                                return Mono.error(e);
                            }
                        })
                        .then(res.status(200).sendString(Mono.just("{}")).then()))
                .bindNow();
        server = LocalAccessPoint.builder().root(root).port(0).functionTimeout(Duration.ofSeconds(2))
                .functionUrl(URI.create("http://127.0.0.1:" + function.port() + "/invoke")).start();
    }

    @AfterEach
    void stop() {
        server.close();
        function.disposeNow();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.endpoint() + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A raw WGOR from the scripted function: signed headers, then the given body bytes (chunked or not). */
    private String wgor(JsonNode event, Map<String, String> extra, String body, boolean abortMidway)
            throws IOException, InterruptedException {
        JsonNode g = event.get("getObjectContext");
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-amz-request-route", g.get("outputRoute").asText());
        h.put("x-amz-request-token", g.get("outputToken").asText());
        h.putAll(extra);
        URI u = URI.create(server.endpoint() + "/WriteGetObjectResponse");
        String signedUrl = u.toString();
        Map<String, String> signed = sign(signedUrl, h);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            StringBuilder req = new StringBuilder("POST /WriteGetObjectResponse HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\n");
            signed.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append(body.isEmpty() && !abortMidway ? "Content-Length: 0\r\n\r\n" : "Transfer-Encoding: chunked\r\n\r\n");
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (!body.isEmpty()) {
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(b);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
            if (abortMidway) {
                // Abort only once the caller has the status line and the first bytes: then it is mid-way.
                callerSawBytes.await(10, TimeUnit.SECONDS);
                s.setSoLinger(true, 0);
                return "aborted";
            }
            if (!body.isEmpty()) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
            return readStatusLine(s.getInputStream());
        }
    }

    private static Map<String, String> sign(String url, Map<String, String> headers) {
        software.amazon.awssdk.http.SdkHttpRequest.Builder req = software.amazon.awssdk.http.SdkHttpRequest.builder()
                .method(software.amazon.awssdk.http.SdkHttpMethod.POST).uri(URI.create(url));
        headers.forEach(req::putHeader);
        var signed = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(s -> s
                .identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(
                        LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY))
                .request(req.build())
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME,
                        "s3-object-lambda")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        Map<String, String> out = new LinkedHashMap<>();
        signed.request().headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Host")) {
                out.put(k, String.join(",", v));
            }
        });
        return out;
    }

    private static String readStatusLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1).trim();
    }

    @Test
    void functionEndingWithoutWgorGivesLambdaResponseNotReceived() throws Exception {
        script = e -> Mono.empty();
        HttpResponse<String> r = get("/b/k.txt");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("<Code>LambdaResponseNotReceived</Code>");
    }

    @Test
    void functionThatNeverAnswersGivesLambdaTimeout() throws Exception {
        script = e -> Mono.never();
        long t0 = System.nanoTime();
        HttpResponse<String> r = get("/b/k.txt");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("<Code>LambdaTimeout</Code>");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(10));
    }

    @Test
    void malformedWgorIsValidationErrorAndTheTokenStaysUsable() throws Exception {
        script = e -> Mono.fromCallable(() -> {
            wgorAnswers.add(wgor(e, Map.of("x-amz-fwd-status", "299"), "", false));
            wgorAnswers.add(wgor(e, Map.of("x-amz-fwd-status", "200", "x-amz-fwd-error-code", "NoSuchKey",
                    "x-amz-fwd-error-message", "x"), "", false));
            wgorAnswers.add(wgor(e, Map.of("x-amz-fwd-status", "404", "x-amz-fwd-error-code", "bad code"), "", false));
            wgorAnswers.add(wgor(e, Map.of("x-amz-fwd-header-x-amz-checksum-crc32", "AAAAAA==",
                    "x-amz-fwd-header-x-amz-checksum-crc32c", "AAAAAA=="), "", false));
            wgorAnswers.add(wgor(e, Map.of("x-amz-fwd-status", "200", "x-amz-fwd-header-Content-Type", "text/plain"),
                    "replaced", false));
            wgorAnswers.add(wgor(e, Map.of("x-amz-fwd-status", "200"), "again", false));
            return "";
        }).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()).then();
        HttpResponse<String> r = get("/b/k.txt");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("replaced");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        List<String> answers = List.of(poll(), poll(), poll(), poll(), poll(), poll());
        assertThat(answers.subList(0, 4)).allSatisfy(a -> assertThat(a).startsWith("HTTP/1.1 400"));
        assertThat(answers.get(4)).startsWith("HTTP/1.1 200");
        assertThat(answers.get(5)).as("reused token").startsWith("HTTP/1.1 400");
    }

    @Test
    void forwardedErrorBecomesTheCallersS3Error() throws Exception {
        script = e -> Mono.fromCallable(() -> wgor(e, Map.of("x-amz-fwd-status", "403", "x-amz-fwd-error-code",
                "AccessDenied", "x-amz-fwd-error-message", "Nope."), "", false))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()).then();
        HttpResponse<String> r = get("/b/k.txt");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("<Code>AccessDenied</Code>").contains("<Message>Nope.</Message>");
    }

    @Test
    void badlySignedWgorIsRefusedWith403() throws Exception {
        script = e -> Mono.fromCallable(() -> {
            JsonNode g = e.get("getObjectContext");
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/WriteGetObjectResponse"))
                    .header("x-amz-request-route", g.get("outputRoute").asText())
                    .header("x-amz-request-token", g.get("outputToken").asText())
                    .header("Authorization", "AWS4-HMAC-SHA256 Credential=transflux/20260101/us-east-1/s3-object-lambda/"
                            + "aws4_request, SignedHeaders=host, Signature=" + "0".repeat(64))
                    .header("x-amz-date", "20260101T000000Z")
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            wgorAnswers.add(r.statusCode() + " " + r.body());
            return "";
        }).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()).then();
        HttpResponse<String> r = get("/b/k.txt");
        assertThat(r.body()).contains("LambdaResponseNotReceived");
        assertThat(poll()).startsWith("403");
    }

    @Test
    void wgorBodyAbortingMidwayAbortsTheCallersResponse() throws Exception {
        script = e -> Mono.fromCallable(() -> wgor(e, Map.of("x-amz-fwd-status", "200"), "partial-bytes", true))
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()).then();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /b/k.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            boolean reset = false;
            try {
                while ((n = in.read(buf)) != -1) {
                    got.write(buf, 0, n);
                    if (got.toString(StandardCharsets.ISO_8859_1).contains("partial-bytes")) {
                        callerSawBytes.countDown();
                    }
                }
            } catch (java.net.SocketException ex) {
                reset = true; // the access point resets the connection: no client can take the body as complete
            }
            String wire = got.toString(StandardCharsets.ISO_8859_1);
            assertThat(wire).startsWith("HTTP/1.1 200").contains("transfer-encoding: chunked").contains("partial-bytes");
            assertThat(reset).as("the caller's connection is reset").isTrue();
            assertThat(wire).as("no terminating zero-length chunk").doesNotEndWith("0\r\n\r\n");
        }
    }

    private String poll() throws InterruptedException {
        String s = wgorAnswers.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a WGOR answer").isNotNull();
        return s;
    }

    @Test
    void badPercentEscapeInTheTargetIs400InvalidUri() throws Exception {
        // Found by RequestTargetFuzzTest: the decoder's IllegalArgumentException escaped the handler.
        URI base = URI.create(server.endpoint());
        for (String target : new String[] {"/b/%zz", "/b/k.txt?x-oss-process=%G0"}) {
            try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + base.getAuthority()
                        + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String reply = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(reply).as(target).startsWith("HTTP/1.1 400").contains("<Code>InvalidURI</Code>");
            }
        }
    }

    @Test
    void presignedInputUrlIsRefusedOnceTampered() throws Exception {
        // The URL serve presigned for the function (with its per-process key), taken from the event.
        java.util.concurrent.atomic.AtomicReference<String> input = new java.util.concurrent.atomic.AtomicReference<>();
        script = e -> {
            input.set(e.path("getObjectContext").path("inputS3Url").asText());
            return Mono.empty();
        };
        get("/b/k.txt");
        String url = input.get();
        assertThat(url).isNotNull();
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body())
                .isEqualTo("hello");
        HttpResponse<String> tampered = HTTP.send(HttpRequest.newBuilder(URI.create(url.replace("k.txt", "k.txt2"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tampered.statusCode()).isEqualTo(403);
        assertThat(tampered.body()).contains("<Code>AccessDenied</Code>");
        HttpResponse<String> ranged = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=1-2").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.body()).isEqualTo("el");
    }

}
