package io.transflux.connectors.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** The callback server: verification, journal before the answer, idempotency, replay after a crash. */
class CallbackServerTest {

    static CallbackKeys keys;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        keys = new CallbackKeys();
    }

    @AfterAll
    static void stop() {
        keys.close();
    }

    static final String BODY = "bucket=photos&object=in%2Fcat.jpg&etag=D41D8CD9&size=1234&mimeType=image%2Fjpeg";

    CallbackServer server(CallbackJournal journal, CallbackHandler handler) {
        return CallbackServer.start("127.0.0.1", 0,
                CallbackVerifier.create(keys.policy(), HttpKeyResolver.create()), journal, handler);
    }

    HttpResponse<String> post(CallbackServer s, String target, String body, String signedText) throws Exception {
        return postSigned(s, target, body, keys.sign(signedText));
    }

    HttpResponse<String> postSigned(CallbackServer s, String target, String body, String authorization) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + target))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", authorization)
                .header("x-oss-pub-key-url", CallbackKeys.b64(keys.url("/key.pem")))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(end);
            Thread.sleep(20);
        }
    }

    @Test
    void answersAVerifiedCallbackWithJsonAndRunsTheJobOnce() throws Exception {
        List<CallbackJob> ran = new CopyOnWriteArrayList<>();
        try (CallbackJournal journal = CallbackJournal.open(dir);
             CallbackServer s = server(journal, job -> Mono.fromRunnable(() -> ran.add(job)))) {

            HttpResponse<String> first = post(s, "/cb?x=1", BODY, "/cb?x=1\n" + BODY);
            HttpResponse<String> replay = post(s, "/cb?x=1", BODY, "/cb?x=1\n" + BODY);

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEqualTo(CallbackServer.OK_BODY);
            assertThat(first.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(first.headers().firstValue("Content-Length")).contains(Integer.toString(CallbackServer.OK_BODY.length()));
            assertThat(replay.statusCode()).isEqualTo(200);
            await(() -> journal.pending().isEmpty());
            assertThat(ran).hasSize(1);
            assertThat(ran.get(0).object()).isEqualTo("in/cat.jpg");
            assertThat(ran.get(0).fields()).containsEntry("size", "1234").containsEntry("mimeType", "image/jpeg");
        }
    }

    @Test
    void tamperedOrUnsignedCallbacksGet403WithAnEmptyBodyAndNoWork() throws Exception {
        List<CallbackJob> ran = new CopyOnWriteArrayList<>();
        try (CallbackJournal journal = CallbackJournal.open(dir);
             CallbackServer s = server(journal, job -> Mono.fromRunnable(() -> ran.add(job)))) {

            HttpResponse<String> body = post(s, "/cb", BODY.replace("cat", "dog"), "/cb\n" + BODY);
            HttpResponse<String> path = post(s, "/cb2", BODY, "/cb\n" + BODY);
            HttpResponse<String> query = post(s, "/cb?x=2", BODY, "/cb?x=1\n" + BODY);
            HttpResponse<String> badB64 = postSigned(s, "/cb", BODY, "###");
            String big = BODY + "&pad=" + "x".repeat(CallbackVerifier.MAX_BODY_BYTES);
            HttpResponse<String> oversized = post(s, "/cb", big, "/cb\n" + big);

            for (HttpResponse<String> r : List.of(body, path, query, badB64, oversized)) {
                assertThat(r.statusCode()).isEqualTo(403);
                assertThat(r.body()).isEmpty();
            }
            assertThat(ran).isEmpty();
            assertThat(journal.pending()).isEmpty();
        }
    }

    @Test
    void aBodyWithoutTheIdempotencyFieldsIs400() throws Exception {
        try (CallbackJournal journal = CallbackJournal.open(dir);
             CallbackServer s = server(journal, job -> Mono.empty())) {

            HttpResponse<String> r = post(s, "/cb", "bucket=b&object=o", "/cb\nbucket=b&object=o");

            assertThat(r.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void jobsAcceptedBeforeACrashAreReplayedAtStartUpOnce() throws Exception {
        // First life: the answer goes out, the job never finishes (the process "crashes").
        try (CallbackJournal journal = CallbackJournal.open(dir);
             CallbackServer s = server(journal, job -> Mono.never())) {
            assertThat(post(s, "/cb", BODY, "/cb\n" + BODY).statusCode()).isEqualTo(200);
        }
        assertThat(Files.readString(dir.resolve(CallbackJournal.FILE_NAME), StandardCharsets.UTF_8)).startsWith("A ");

        // Second life: the pending job runs at start-up, exactly once, even when the callback is replayed.
        List<CallbackJob> ran = new CopyOnWriteArrayList<>();
        try (CallbackJournal journal = CallbackJournal.open(dir);
             CallbackServer s = server(journal, job -> Mono.fromRunnable(() -> ran.add(job)))) {
            await(() -> journal.pending().isEmpty());
            assertThat(post(s, "/cb", BODY, "/cb\n" + BODY).statusCode()).isEqualTo(200);
            assertThat(ran).extracting(CallbackJob::object).containsExactly("in/cat.jpg");
        }

        // Third life: nothing left to replay.
        List<CallbackJob> third = new CopyOnWriteArrayList<>();
        try (CallbackJournal journal = CallbackJournal.open(dir);
             CallbackServer s = server(journal, job -> Mono.fromRunnable(() -> third.add(job)))) {
            assertThat(journal.pending()).isEmpty();
            assertThat(post(s, "/cb", BODY, "/cb\n" + BODY).statusCode()).isEqualTo(200);
            Thread.sleep(100);
            assertThat(third).isEmpty();
        }
    }

    @Test
    void aTornLastJournalLineIsIgnored() throws Exception {
        Files.writeString(dir.resolve(CallbackJournal.FILE_NAME), "A YnVj");

        try (CallbackJournal journal = CallbackJournal.open(dir)) {
            assertThat(journal.pending()).isEmpty();
        }
    }

    @Test
    void aFailedJobStaysPendingForTheNextStart() throws Exception {
        try (CallbackJournal journal = CallbackJournal.open(dir);
             CallbackServer s = server(journal, job -> Mono.error(new IllegalStateException("store down")))) {
            assertThat(post(s, "/cb", BODY, "/cb\n" + BODY).statusCode()).isEqualTo(200);
            await(() -> s.failures() == 1);
            assertThat(journal.pending()).hasSize(1);
        }
    }

    @Test
    void aJobStartedBeforeACrashIsRedeliveredOnceWithTheSameIdempotencyKeyAndCounted() throws Exception {
        List<String> firstKeys = new CopyOnWriteArrayList<>();
        // First life: the delivery starts (its effect may happen) and never reports back: the process "crashes".
        try (CallbackJournal journal = CallbackJournal.open(dir);
             CallbackServer s = server(journal, job -> Mono.fromRunnable(() -> firstKeys.add(job.idempotencyKeyField()))
                     .then(Mono.never()))) {
            assertThat(post(s, "/cb", BODY, "/cb\n" + BODY).statusCode()).isEqualTo(200);
            await(() -> !firstKeys.isEmpty());
            assertThat(s.redeliveries()).isZero();
        }
        assertThat(Files.readString(dir.resolve(CallbackJournal.FILE_NAME), StandardCharsets.UTF_8)).contains("\nS ");

        // Second life: the job runs again, known as a redelivery, under the same key.
        List<String> secondKeys = new CopyOnWriteArrayList<>();
        try (CallbackJournal journal = CallbackJournal.open(dir)) {
            assertThat(journal.pending()).singleElement().satisfies(j -> assertThat(journal.wasStarted(j)).isTrue());
            try (CallbackServer s = server(journal, job -> Mono.fromRunnable(() -> secondKeys.add(job.idempotencyKeyField())))) {
                await(() -> journal.pending().isEmpty());
                assertThat(s.redeliveries()).isEqualTo(1);
            }
        }
        assertThat(secondKeys).containsExactlyElementsOf(firstKeys)
                .containsExactly("\"54937fdbda6c000e6b9208ee931ec47519f640ad90619161aee8853444c33dcf\"");
    }

    @Test
    void theIdempotencyKeyIsTheSha256OfBucketObjectAndEtagAsAStructuredFieldString() {
        CallbackJob job = CallbackJob.parse("application/x-www-form-urlencoded", BODY.getBytes(StandardCharsets.UTF_8));
        CallbackJob other = CallbackJob.parse(null, BODY.replace("D41D8CD9", "D41D8CDA").getBytes(StandardCharsets.UTF_8));

        // printf 'photos\nin/cat.jpg\nD41D8CD9' | sha256sum
        assertThat(job.idempotencyKey()).isEqualTo("54937fdbda6c000e6b9208ee931ec47519f640ad90619161aee8853444c33dcf");
        assertThat(job.idempotencyKeyField()).isEqualTo("\"" + job.idempotencyKey() + "\"");
        assertThat(IdempotentTarget.parseSfString(job.idempotencyKeyField())).isEqualTo(job.idempotencyKey());
        assertThat(other.idempotencyKey()).as("another ETag is another job").isNotEqualTo(job.idempotencyKey());
    }
}
