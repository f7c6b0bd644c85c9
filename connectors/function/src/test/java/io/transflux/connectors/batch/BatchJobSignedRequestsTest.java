package io.transflux.connectors.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.http.HostGuard;
import io.transflux.connectors.http.HttpSourceSpec;
import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.connectors.s3.S3Store;
import io.transflux.connectors.s3.SigV4Check;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Every request a task sends is signed as S3 checks it: the reads through presigned URLs (HttpObjectSource sends
 * no Authorization header of its own), the write with a SigV4 header. A small S3 on 127.0.0.1 verifies each one
 * with {@link SigV4Check} and answers 403 otherwise, which S3Mock, not checking signatures, would not.
 */
class BatchJobSignedRequestsTest {

    static final AwsCredentials CREDS = AwsCredentials.of("AKIDBATCHTEST", "batch-secret", null);
    static final String ETAG = "\"5d41402abc4b2a76b9719d911017c592\"";

    DisposableServer server;
    final List<String> seen = new CopyOnWriteArrayList<>();
    volatile byte[] stored;
    volatile Map<String, String> storedHeaders;

    @BeforeEach
    void start() {
        server = HttpServer.create().host("127.0.0.1").port(0).handle((req, res) -> {
            Map<String, String> h = headers(req);
            boolean query = req.uri().contains("X-Amz-Signature=");
            SigV4Check.Verdict v = query
                    ? SigV4Check.verifyQuery(req.method().name(), req.uri(), h, id -> id.equals("AKIDBATCHTEST") ? CREDS
                            : null, Clock.systemUTC())
                    : SigV4Check.verifyHeader(req.method().name(), req.uri(), h, id -> id.equals("AKIDBATCHTEST") ? CREDS
                            : null, Clock.systemUTC());
            String path = req.uri().substring(0, req.uri().indexOf('?') < 0 ? req.uri().length() : req.uri().indexOf('?'));
            seen.add(req.method().name() + " " + path + " " + (query ? "query" : "header") + " " + v.status()
                    + (req.uri().contains("versionId=v7") ? " versionId=v7" : "")
                    + (h.containsKey("if-match") ? " if-match=" + h.get("if-match") : ""));
            if (!v.valid()) {
                return req.receive().then(res.status(403).send());
            }
            if (path.equals("/src/a.txt") && (req.method().name().equals("HEAD") || req.method().name().equals("GET"))) {
                res.header("ETag", ETAG).header("Content-Type", "text/plain").header("Content-Length", "5");
                return req.method().name().equals("HEAD") ? res.send() : res.sendString(Mono.just("hello")).then();
            }
            if (path.equals("/dst/out/a.txt") && req.method().name().equals("PUT")) {
                storedHeaders = h;
                return req.receive().aggregate().asByteArray().doOnNext(b -> stored = b)
                        .then(res.header("ETag", "\"e1\"").send().then());
            }
            return req.receive().then(res.status(404).header("Content-Length", "0").send().then());
        }).bindNow(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        server.disposeNow(Duration.ofSeconds(10));
    }

    static Map<String, String> headers(HttpServerRequest req) {
        Map<String, String> out = new TreeMap<>();
        req.requestHeaders().forEach(e -> out.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(), (a, b) -> a + "," + b));
        return out;
    }

    BatchJob job() {
        S3Store store = S3Store.create("us-east-1", CREDS).endpointOverride("http://127.0.0.1:" + server.port());
        HttpSourceOpener opener = HttpSourceOpener.create(HttpSourceSpec.builder()
                .hostGuard(HostGuard.publicOnly().allowLoopback()).build());
        return BatchJob.builder().store(store).sourceOpener(opener).pipeline("decompress/auto").target("dst", "out/")
                .build();
    }

    @Test
    void readsThroughPresignedUrlsAndWritesWithASignedPut() {
        TaskResult r = job().run(new BatchTask("src", "a.txt", null), Instant.now().plusSeconds(60))
                .block(Duration.ofSeconds(30));
        assertThat(r).isNotNull();
        assertThat(r.code()).as("%s; requests %s", r, seen).isEqualTo(TaskResult.ResultCode.SUCCEEDED);
        assertThat(seen).containsExactly(
                "HEAD /src/a.txt query VALID",
                "HEAD /dst/out/a.txt query VALID",
                "GET /src/a.txt query VALID if-match=" + ETAG,
                "PUT /dst/out/a.txt header VALID");
        assertThat(new String(stored, StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(storedHeaders).containsEntry("x-amz-meta-" + BatchJob.META_SOURCE_ETAG, ETAG);
    }

    @Test
    void signsTheVersionIntoTheReads() {
        job().run(new BatchTask("src", "a.txt", "v7"), Instant.now().plusSeconds(60)).block(Duration.ofSeconds(30));
        assertThat(seen).startsWith("HEAD /src/a.txt query VALID versionId=v7");
        assertThat(seen).contains("GET /src/a.txt query VALID versionId=v7 if-match=" + ETAG);
    }
}
