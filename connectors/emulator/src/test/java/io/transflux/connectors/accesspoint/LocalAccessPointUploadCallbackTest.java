package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.imageio.ImageIO;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.Callback;
import com.aliyun.oss.model.CompleteMultipartUploadRequest;
import com.aliyun.oss.model.CompleteMultipartUploadResult;
import com.aliyun.oss.model.InitiateMultipartUploadRequest;
import com.aliyun.oss.model.PartETag;
import com.aliyun.oss.model.PutObjectRequest;
import com.aliyun.oss.model.PutObjectResult;
import com.aliyun.oss.model.UploadPartRequest;
import io.netty.buffer.Unpooled;
import io.transflux.connectors.callback.CallbackJob;
import io.transflux.connectors.callback.CallbackJournal;
import io.transflux.connectors.callback.CallbackServer;
import io.transflux.connectors.callback.CallbackVerifier;
import io.transflux.connectors.callback.HttpKeyResolver;
import io.transflux.connectors.callback.KeyUrlPolicy;
import io.transflux.connectors.oss.OssCredentials;
import io.transflux.connectors.oss.OssSigner;
import io.transflux.connectors.oss.OssStore;
import io.transflux.connectors.process.SaveAs;
import io.transflux.connectors.upload.MultipartSpec;
import io.transflux.pipeline.ObjectStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Upload callbacks end to end: the unmodified SDK's {@code putObject} with a {@link Callback} against the OSS
 * flavour; the access point stores the object and signs the callback; a {@link CallbackServer} verifies it with
 * the key the access point serves and asks the access point to save a thumbnail ({@code POST ?x-oss-process}).
 */
class LocalAccessPointUploadCallbackTest {

    @TempDir
    Path root;
    @TempDir
    Path journalDir;

    private LocalAccessPoint ap;
    private OSS oss;

    @BeforeEach
    void start() throws IOException {
        Files.createDirectories(root.resolve("bkt"));
        ap = LocalAccessPoint.builder().root(root).port(0)
                .defaultAccessPoint(AccessPointSpec.builder().flavor(Flavor.OSS).features(EnumSet.allOf(Feature.class))
                        .build())
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

    private static byte[] png(int w, int h) throws IOException {
        Path tmp = Files.createTempFile("cb", ".png");
        try {
            LocalAccessPointOssProcessTest.png(tmp, w, h);
            return Files.readAllBytes(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    /** The thumbnail job: process-and-save through the access point's own OSS API. */
    private Mono<Void> thumbnail(CallbackJob job) {
        String form = "x-oss-process=image/resize,w_100|sys/saveas,o_" + SaveAs.encode("thumbs/" + job.object())
                + ",b_" + SaveAs.encode(job.bucket());
        return HttpClient.create().headers(h -> h.set("Content-Type", "application/x-www-form-urlencoded"))
                .post().uri(ap.endpoint() + "/" + job.bucket() + "/" + job.object() + "?x-oss-process")
                .send(Mono.just(Unpooled.wrappedBuffer(form.getBytes(StandardCharsets.UTF_8))))
                .responseSingle((res, body) -> res.status().code() == 200 ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("process-and-save answered " + res.status())))
                .then();
    }

    @Test
    void sdkPutObjectWithCallbackIsVerifiedByTheCallbackServerWhichSavesAThumbnail() throws Exception {
        List<CallbackJob> jobs = new CopyOnWriteArrayList<>();
        KeyUrlPolicy policy = KeyUrlPolicy.ossOnly().allowLocalHost(ap.endpoint().substring("http://".length()));
        try (CallbackJournal journal = CallbackJournal.open(journalDir);
             CallbackServer server = CallbackServer.start("127.0.0.1", 0,
                     CallbackVerifier.create(policy, HttpKeyResolver.create()), journal,
                     job -> Mono.fromRunnable(() -> jobs.add(job)).then(thumbnail(job)))) {
            Callback cb = new Callback();
            cb.setCallbackUrl("http://127.0.0.1:" + server.port() + "/uploaded?from=test");
            cb.setCallbackBody("bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}"
                    + "&width=${imageInfo.width}&height=${imageInfo.height}&format=${imageInfo.format}&who=${x:who}");
            cb.addCallbackVar("x:who", "tester one");
            byte[] image = png(400, 200);
            PutObjectRequest put = new PutObjectRequest("bkt", "photos/cat.png", new ByteArrayInputStream(image));
            put.setCallback(cb);
            PutObjectResult result = oss.putObject(put);

            try (InputStream in = result.getResponse().getContent()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(CallbackServer.OK_BODY);
            }
            assertThat(Files.readAllBytes(root.resolve("bkt/photos/cat.png"))).isEqualTo(image);
            Path thumb = root.resolve("bkt/thumbs/photos/cat.png");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.exists(thumb) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            BufferedImage t = ImageIO.read(thumb.toFile());
            assertThat(t.getWidth()).isEqualTo(100);
            assertThat(t.getHeight()).isEqualTo(50);
            assertThat(jobs).hasSize(1);
            Map<String, String> f = jobs.get(0).fields();
            assertThat(f).containsEntry("bucket", "bkt").containsEntry("object", "photos/cat.png")
                    .containsEntry("size", Integer.toString(image.length)).containsEntry("width", "400")
                    .containsEntry("height", "200").containsEntry("format", "png").containsEntry("who", "tester one");
            assertThat(result.getETag()).isEqualTo(f.get("etag"));
            assertThat(server.failures()).isZero();
        }
    }

    @Test
    void aDeadCallbackUrlGives203CallbackFailedAndKeepsTheObject() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        Callback cb = new Callback();
        cb.setCallbackUrl("http://127.0.0.1:" + dead + "/cb");
        cb.setCallbackBody("bucket=${bucket}&object=${object}");
        PutObjectRequest put = new PutObjectRequest("bkt", "doc.txt",
                new ByteArrayInputStream("stored anyway".getBytes(StandardCharsets.UTF_8)));
        put.setCallback(cb);
        assertThatThrownBy(() -> oss.putObject(put))
                .isInstanceOf(OSSException.class)
                .satisfies(e -> assertThat(((OSSException) e).getErrorCode()).isEqualTo("CallbackFailed"));
        assertThat(Files.readString(root.resolve("bkt/doc.txt"))).isEqualTo("stored anyway");
    }

    @Test
    void aCallbackAnsweredAfterTheBudgetGives203CallbackFailedAndKeepsTheObject() throws Exception {
        // A real server that answers 200, but only after the access point's budget (shortened from OSS's 5 s).
        reactor.netty.DisposableServer slow = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> req.receive().then(Mono.delay(Duration.ofSeconds(3)))
                        .then(res.status(200).header("Content-Type", "application/json")
                                .sendString(Mono.just("{\"Status\":\"OK\"}")).then()))
                .bindNow();
        try (LocalAccessPoint quick = LocalAccessPoint.builder().root(root).port(0)
                .defaultAccessPoint(AccessPointSpec.builder().flavor(Flavor.OSS).build())
                .callbackTimeout(Duration.ofSeconds(1)).accessLog(line -> { }).start()) {
            ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
            conf.setSLDEnabled(true);
            OSS client = new OSSClientBuilder().build(quick.endpoint(), LocalAccessPoint.DEFAULT_ACCESS_KEY_ID,
                    LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY, conf);
            try {
                Callback cb = new Callback();
                cb.setCallbackUrl("http://127.0.0.1:" + slow.port() + "/cb");
                cb.setCallbackBody("bucket=${bucket}&object=${object}");
                PutObjectRequest put = new PutObjectRequest("bkt", "late.txt",
                        new ByteArrayInputStream("stored anyway".getBytes(StandardCharsets.UTF_8)));
                put.setCallback(cb);
                assertThatThrownBy(() -> client.putObject(put))
                        .isInstanceOf(OSSException.class)
                        .satisfies(e -> assertThat(((OSSException) e).getErrorCode()).isEqualTo("CallbackFailed"));
            } finally {
                client.shutdown();
            }
        } finally {
            slow.disposeNow(Duration.ofSeconds(10));
        }
        assertThat(Files.readString(root.resolve("bkt/late.txt"))).isEqualTo("stored anyway");
    }

    @Test
    void aWrongSecretCannotUpload() {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setSLDEnabled(true);
        OSS wrong = new OSSClientBuilder().build(ap.endpoint(), LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, "wrong", conf);
        try {
            assertThatThrownBy(() -> wrong.putObject("bkt", "x.txt", new ByteArrayInputStream(new byte[] {1})))
                    .isInstanceOf(OSSException.class)
                    .satisfies(e -> assertThat(((OSSException) e).getErrorCode()).isEqualTo("SignatureDoesNotMatch"));
        } finally {
            wrong.shutdown();
        }
        assertThat(root.resolve("bkt/x.txt")).doesNotExist();
    }

    @Test
    void aMalformedCallbackIsRefusedBeforeAnythingIsStored() {
        Callback cb = new Callback();
        cb.setCallbackUrl("http://127.0.0.1:1/cb");
        cb.setCallbackBody("bucket=${bucket");
        PutObjectRequest put = new PutObjectRequest("bkt", "never.txt", new ByteArrayInputStream(new byte[] {1}));
        put.setCallback(cb);
        assertThatThrownBy(() -> oss.putObject(put))
                .isInstanceOf(OSSException.class)
                .satisfies(e -> assertThat(((OSSException) e).getErrorCode()).isEqualTo("InvalidArgument"));
        assertThat(root.resolve("bkt/never.txt")).doesNotExist();
    }

    @Test
    void putWithAnUnsupportedSubResourceIsNotImplementedAndStoresNothing() throws Exception {
        HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(ap.endpoint() + "/bkt/part.bin?acl"))
                        .timeout(Duration.ofSeconds(10))
                        .PUT(HttpRequest.BodyPublishers.ofString("part")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(r.body()).contains("<Code>NotImplemented</Code>");
        assertThat(root.resolve("bkt/part.bin")).doesNotExist();
    }

    @Test
    void sdkMultipartUploadWithACallbackOnCompleteStoresThePartsInOrderAndCallsBack() throws Exception {
        List<CallbackJob> jobs = new CopyOnWriteArrayList<>();
        KeyUrlPolicy policy = KeyUrlPolicy.ossOnly().allowLocalHost(ap.endpoint().substring("http://".length()));
        try (CallbackJournal journal = CallbackJournal.open(journalDir);
             CallbackServer server = CallbackServer.start("127.0.0.1", 0,
                     CallbackVerifier.create(policy, HttpKeyResolver.create()), journal,
                     job -> Mono.fromRunnable(() -> jobs.add(job)))) {
            byte[] a = "A".repeat(150_000).getBytes(StandardCharsets.US_ASCII);
            byte[] b = "tail".getBytes(StandardCharsets.US_ASCII);
            String id = oss.initiateMultipartUpload(new InitiateMultipartUploadRequest("bkt", "big/file.txt"))
                    .getUploadId();
            List<PartETag> etags = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                UploadPartRequest part = new UploadPartRequest("bkt", "big/file.txt", id, i + 1,
                        new ByteArrayInputStream(i == 0 ? a : b), i == 0 ? a.length : b.length);
                etags.add(oss.uploadPart(part).getPartETag());
            }
            assertThat(root.resolve("bkt/big/file.txt")).doesNotExist();
            CompleteMultipartUploadRequest complete = new CompleteMultipartUploadRequest("bkt", "big/file.txt", id, etags);
            Callback cb = new Callback();
            cb.setCallbackUrl("http://127.0.0.1:" + server.port() + "/done");
            // As in the SDK's sample: the SDK pastes callbackBody into its JSON unescaped, so quotes come escaped.
            cb.setCallbackBody("{\\\"bucket\\\":${bucket},\\\"object\\\":${object},\\\"etag\\\":${etag},"
                    + "\\\"size\\\":${size}}");
            cb.setCalbackBodyType(Callback.CalbackBodyType.JSON);
            complete.setCallback(cb);
            CompleteMultipartUploadResult done = oss.completeMultipartUpload(complete);

            try (InputStream in = done.getResponse().getContent()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(CallbackServer.OK_BODY);
            }
            byte[] stored = Files.readAllBytes(root.resolve("bkt/big/file.txt"));
            assertThat(stored).hasSize(a.length + b.length);
            assertThat(new String(stored, StandardCharsets.US_ASCII)).startsWith("AAAA").endsWith("Atail");
            // The callback server answers once the job is journaled and runs it after: wait (bounded) for it.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (jobs.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(jobs).singleElement().satisfies(j -> assertThat(j.fields())
                    .containsEntry("object", "big/file.txt").containsEntry("size", Integer.toString(stored.length)));
            assertThat(root.resolve(MultipartFront.UPLOADS).resolve(id)).doesNotExist();
        }
    }

    @Test
    void theLibraryOssMultipartSinkWritesIntoServeAndAWrongUploadIdIsNoSuchUpload() throws Exception {
        OssStore store = OssStore.create(ap.endpoint(), LocalAccessPoint.DEFAULT_OSS_REGION,
                new OssCredentials(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY,
                        null)).signer(OssSigner.V1).pathStyle(true);
        byte[] data = new byte[MultipartSpec.MIN_PART_SIZE * 3 + 17];
        new java.util.Random(7).nextBytes(data);
        List<java.nio.ByteBuffer> chunks = new java.util.ArrayList<>();
        for (int i = 0; i < data.length; i += 65536) {
            chunks.add(java.nio.ByteBuffer.wrap(data, i, Math.min(65536, data.length - i)).slice());
        }
        store.sink("bkt", "lib/blob.bin", MultipartSpec.builder().partSize(MultipartSpec.MIN_PART_SIZE).build())
                .write(ObjectStream.of(reactor.core.publisher.Flux.fromIterable(chunks)))
                .block(Duration.ofSeconds(30));
        assertThat(Files.readAllBytes(root.resolve("bkt/lib/blob.bin"))).isEqualTo(data);

        assertThatThrownBy(() -> oss.uploadPart(new UploadPartRequest("bkt", "x.bin", "0".repeat(32), 1,
                new ByteArrayInputStream(new byte[] {1}), 1)))
                .isInstanceOf(OSSException.class)
                .satisfies(e -> assertThat(((OSSException) e).getErrorCode()).isEqualTo("NoSuchUpload"));
    }
}
