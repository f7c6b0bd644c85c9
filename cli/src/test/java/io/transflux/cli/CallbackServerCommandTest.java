package io.transflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import io.transflux.connectors.accesspoint.AccessPointSpec;
import io.transflux.connectors.accesspoint.Flavor;
import io.transflux.connectors.accesspoint.LocalAccessPoint;
import io.transflux.connectors.callback.CallbackJob;
import io.transflux.connectors.callback.CallbackJournal;
import io.transflux.connectors.callback.HttpKeyResolver;
import io.transflux.connectors.s3.S3MockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code transflux callback-server} in a child JVM: a signed callback (our key, served locally) for an uploaded
 * JPEG in S3Mock makes it save a 100-pixel-wide thumbnail; a tampered one gets 403 and no thumbnail; after a crash,
 * a redelivered job whose thumbnail was saved is not run again.
 */
class CallbackServerCommandTest {

    static S3MockServer s3mock;
    static S3Client client;
    static KeyPair pair;
    static DisposableServer keyServer;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        s3mock = S3MockServer.start();
        client = s3mock.client();
        client.createBucket(b -> b.bucket("uploads"));
        client.putObject(b -> b.bucket("uploads").key("in/cat.jpg").contentType("image/jpeg"),
                RequestBody.fromBytes(ProcessCommandTest.jpeg(400, 200)));
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        pair = g.generateKeyPair();
        String pem = HttpKeyResolver.toPem(pair.getPublic());
        keyServer = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/key.pem", (req, res) -> res.sendString(Mono.just(pem))))
                .bindNow(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        if (keyServer != null) {
            keyServer.disposeNow(Duration.ofSeconds(10));
        }
        if (client != null) {
            client.close();
        }
        if (s3mock != null) {
            s3mock.close();
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String sign(String text) throws Exception {
        Signature s = Signature.getInstance("MD5withRSA");
        s.initSign(pair.getPrivate());
        s.update(text.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }

    @Test
    void signedCallbackProducesAThumbnailAndATamperedOneIsRefused() throws Exception {
        int port = freePort();
        String keyHost = "127.0.0.1:" + keyServer.port();
        Path log = dir.resolve("stderr.log");
        Process p = startWithS3Store(port, dir.resolve("journal"), "thumbs/", log);
        try {
            awaitLog(p, log, Duration.ofSeconds(30), l -> l.contains("listening on"));
            String body = "bucket=uploads&object=in%2Fcat.jpg&etag=%22abc%22&size=1";
            // Generous bounds, not a timing check: the first verified callback of a cold child JVM (key fetch,
            // journal fsync, class loading) can take longer than OSS's 5 s budget on a loaded 2-core CI machine.
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/callback"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("x-oss-pub-key-url", Base64.getEncoder().encodeToString(
                            ("http://" + keyHost + "/key.pem").getBytes(StandardCharsets.UTF_8)));

            HttpResponse<String> tampered = http.send(req.copy().header("Authorization", sign("/callback\n" + body))
                    .POST(HttpRequest.BodyPublishers.ofString(body.replace("size=1", "size=2"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> ok = http.send(req.copy().header("Authorization", sign("/callback\n" + body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(tampered.statusCode()).isEqualTo(403);
            assertThat(ok.statusCode()).as(Files.readString(log)).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("{\"Status\":\"OK\"}");
            byte[] thumb = null;
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (thumb == null) {
                try {
                    thumb = client.getObjectAsBytes(b -> b.bucket("uploads").key("thumbs/in/cat.jpg")).asByteArray();
                } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException notYet) {
                    assertThat(System.nanoTime()).as(Files.readString(log)).isLessThan(end);
                    Thread.sleep(200);
                }
            }
            assertThat(ImageIO.read(new ByteArrayInputStream(thumb)).getWidth()).isEqualTo(100);
            // The job logs after the store's answer, which may come after the object became visible.
            while (!Files.readString(log).contains("saved {\"bucket\":\"uploads\"")) {
                assertThat(System.nanoTime()).as(Files.readString(log)).isLessThan(end);
                Thread.sleep(50);
            }
        } finally {
            stop(p);
        }
    }

    @Test
    void uploadToServeWithACallbackMakesTheCallbackServerSaveAThumbnailThroughServe() throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("photos"));
        // The flow is under test here, not OSS's 5 s budget (LocalAccessPointUploadCallbackTest has that): a cold
        // child JVM's first verified callback can take longer on a loaded 2-core CI machine.
        try (LocalAccessPoint ap = LocalAccessPoint.builder().root(root).port(0).accessLog(line -> { })
                .callbackTimeout(Duration.ofSeconds(30))
                .defaultAccessPoint(AccessPointSpec.builder().flavor(Flavor.OSS).build()).start()) {
            int port = freePort();
            Path log = dir.resolve("stderr-oss.log");
            Process p = new ProcessBuilder(ChildJvm.command(
                    "callback-server", "--port", Integer.toString(port), "--journal", dir.resolve("j2").toString(),
                    "--allow-key-host", ap.endpoint().substring("http://".length()), "--process", "image/resize,w_100",
                    "--oss-process-endpoint", ap.endpoint()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                awaitLog(p, log, Duration.ofSeconds(30), l -> l.contains("listening on"));
                String callback = Base64.getEncoder().encodeToString(("{\"callbackUrl\":\"http://127.0.0.1:" + port
                        + "/cb\",\"callbackBody\":\"bucket=${bucket}&object=${object}&etag=${etag}\"}")
                        .getBytes(StandardCharsets.UTF_8));
                HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(ap.endpoint() + "/photos/in/cat.jpg"))
                        .timeout(Duration.ofSeconds(20)).header("Content-Type", "image/jpeg")
                        .header("x-oss-callback", callback)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(ProcessCommandTest.jpeg(400, 200))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(put.statusCode()).as(put.body() + Files.readString(log)).isEqualTo(200);
                assertThat(put.body()).isEqualTo("{\"Status\":\"OK\"}");
                Path thumb = root.resolve("photos/thumbs/in/cat.jpg");
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!Files.exists(thumb)) {
                    assertThat(System.nanoTime()).as(Files.readString(log)).isLessThan(end);
                    Thread.sleep(100);
                }
                assertThat(ImageIO.read(thumb.toFile()).getWidth()).isEqualTo(100);
                // The job logs after serve's answer, which may come after the rename made the file visible.
                while (!Files.readString(log).contains("saved {\"bucket\":\"photos\"")) {
                    assertThat(System.nanoTime()).as(Files.readString(log)).isLessThan(end);
                    Thread.sleep(50);
                }
            } finally {
                stop(p);
            }
        }
    }

    @Test
    void aRedeliveredJobWhoseResultIsAlreadySavedIsNotRunAgainAndOneWithoutItIsRun() throws Exception {
        client.putObject(b -> b.bucket("uploads").key("in/dog.jpg").contentType("image/jpeg"),
                RequestBody.fromBytes(ProcessCommandTest.jpeg(300, 300)));
        CallbackJob saved = job("in/cat.jpg", "\"red-1\"");
        CallbackJob lost = job("in/dog.jpg", "\"red-2\"");
        // what a crash after the cat's upload completed and before either done record leaves behind
        client.putObject(b -> b.bucket("uploads").key("redelivered/in/cat.jpg").contentType("image/jpeg")
                        .metadata(Map.of(CallbackServerCommand.META_CALLBACK_KEY, saved.idempotencyKey())),
                RequestBody.fromString("saved before the crash"));
        Path journalDir = dir.resolve("journal");
        try (CallbackJournal journal = CallbackJournal.open(journalDir)) {
            for (CallbackJob j : List.of(saved, lost)) {
                assertThat(journal.accept(j)).isTrue();
                assertThat(journal.started(j)).isFalse();
            }
        }
        int port = freePort();
        Path log = dir.resolve("stderr-redelivery.log");
        Process p = startWithS3Store(port, journalDir, "redelivered/", log);
        try {
            awaitLog(p, log, Duration.ofSeconds(60), l -> l.contains("already saved uploads/redelivered/in/cat.jpg")
                    && l.contains("\"object\":\"redelivered/in/dog.jpg\""));
            assertThat(Files.readString(log)).contains(
                    "replaying 2 unfinished jobs from the journal, 2 of them redeliveries");
        } finally {
            stop(p);
        }
        assertThat(client.getObjectAsBytes(b -> b.bucket("uploads").key("redelivered/in/cat.jpg")).asUtf8String())
                .as("the result saved before the crash is not written again").isEqualTo("saved before the crash");
        byte[] dog = client.getObjectAsBytes(b -> b.bucket("uploads").key("redelivered/in/dog.jpg")).asByteArray();
        assertThat(ImageIO.read(new ByteArrayInputStream(dog)).getWidth()).isEqualTo(100);
        assertThat(client.headObject(b -> b.bucket("uploads").key("redelivered/in/dog.jpg")).metadata())
                .containsEntry(CallbackServerCommand.META_CALLBACK_KEY, lost.idempotencyKey());
        try (CallbackJournal journal = CallbackJournal.open(journalDir)) {
            assertThat(journal.pending()).as("both jobs done").isEmpty();
        }
    }

    /** A callback-server child JVM that saves thumbnails to S3Mock under {@code targetPrefix}; output to {@code log}. */
    static Process startWithS3Store(int port, Path journal, String targetPrefix, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(
                "callback-server", "--port", Integer.toString(port), "--journal", journal.toString(),
                "--allow-key-host", "127.0.0.1:" + keyServer.port(), "--process", "image/resize,w_100",
                "--target-prefix", targetPrefix, "--endpoint", s3mock.endpoint()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", S3MockServer.ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", S3MockServer.SECRET_KEY);
        pb.environment().put("AWS_REGION", "us-east-1");
        return pb.start();
    }

    /** Waits until the child's output satisfies {@code done}; fails if the child dies or {@code limit} passes. */
    static void awaitLog(Process p, Path log, Duration limit, java.util.function.Predicate<String> done)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.test(Files.readString(log))) {
            assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as(Files.readString(log)).isLessThan(end);
            Thread.sleep(100);
        }
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static CallbackJob job(String object, String etag) {
        return new CallbackJob("uploads", object, etag, Map.of("bucket", "uploads", "object", object, "etag", etag));
    }
}
