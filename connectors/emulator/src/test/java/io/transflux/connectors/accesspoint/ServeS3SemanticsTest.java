package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.transflux.connectors.http.HttpDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3's read-side semantics through {@code serve} with the pass-through pipeline (issue 12 §5, §6): listing pages
 * that end on a common prefix, {@code max-keys=0}, Owner, conditional requests in RFC 9110 order, 304 validators,
 * 416 with {@code Content-Range}, malformed URIs and tokens, and empty objects fetched by clients that close at once.
 * Listing runs through the unmodified SDK v2; the rest uses raw HTTP (anonymous, allowed on loopback).
 */
class ServeS3SemanticsTest {

    @TempDir
    static Path root;
    static LocalAccessPoint server;
    static S3Client s3;
    static final List<String> LOG = new CopyOnWriteArrayList<>();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Instant MODIFIED = Instant.parse("2026-11-03T10:15:30Z");

    @BeforeAll
    static void start() throws IOException {
        Path b = Files.createDirectories(root.resolve("b"));
        for (String k : List.of("a.txt", "boo/bar", "boo/baz", "c.txt", "d/e", "d/f")) {
            Files.createDirectories(b.resolve(k).getParent());
            Files.writeString(b.resolve(k), k);
        }
        Files.write(b.resolve("empty.txt"), new byte[0]);
        Files.writeString(b.resolve("dated.txt"), "0123456789");
        Files.setLastModifiedTime(b.resolve("dated.txt"), FileTime.from(MODIFIED));
        server = LocalAccessPoint.builder().root(root).port(0).accessLog(LOG::add).start();
        s3 = S3Client.builder().endpointOverride(URI.create(server.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY)))
                .build();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    static HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(server.endpoint() + pathAndQuery))
                .timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            rb.headers(headers);
        }
        return HTTP.send(rb.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    // --- ListObjects paging ----------------------------------------------------------------------------------

    @Test
    void v1PageEndingOnACommonPrefixNamesThePrefixAndTheNextPageSkipsIt() {
        ListObjectsResponse p1 = s3.listObjects(r -> r.bucket("b").delimiter("/").maxKeys(2));
        assertThat(p1.contents()).extracting(S3Object::key).containsExactly("a.txt");
        assertThat(p1.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("boo/");
        assertThat(p1.isTruncated()).isTrue();
        assertThat(p1.nextMarker()).isEqualTo("boo/");

        ListObjectsResponse p2 = s3.listObjects(r -> r.bucket("b").delimiter("/").maxKeys(2).marker(p1.nextMarker()));
        assertThat(p2.contents()).extracting(S3Object::key).containsExactly("c.txt");
        assertThat(p2.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("d/");
        assertThat(p2.isTruncated()).isTrue();
        assertThat(p2.nextMarker()).isEqualTo("d/");

        ListObjectsResponse p3 = s3.listObjects(r -> r.bucket("b").delimiter("/").maxKeys(2).marker(p2.nextMarker()));
        assertThat(p3.commonPrefixes()).isEmpty();
        assertThat(p3.contents()).extracting(S3Object::key).containsExactly("dated.txt", "empty.txt");
        assertThat(p3.isTruncated()).as("nothing follows").isFalse();
    }

    @Test
    void aMarkerInsideACommonPrefixSkipsTheWholePrefix() {
        ListObjectsResponse r = s3.listObjects(q -> q.bucket("b").delimiter("/").marker("boo/bar"));
        assertThat(r.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("d/");
        assertThat(r.contents()).extracting(S3Object::key).containsExactly("c.txt", "dated.txt", "empty.txt");
    }

    @Test
    void v2PaginatorSeesEveryPrefixOnceAndStopsExactly() {
        List<String> keys = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        int pages = 0;
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(r -> r.bucket("b").delimiter("/").maxKeys(1))) {
            pages++;
            page.contents().forEach(o -> keys.add(o.key()));
            page.commonPrefixes().forEach(p -> prefixes.add(p.prefix()));
            if (page.commonPrefixes().size() == 1 && page.isTruncated()) {
                assertThat(new String(java.util.Base64.getUrlDecoder().decode(page.nextContinuationToken()),
                        StandardCharsets.UTF_8)).isEqualTo(page.commonPrefixes().get(0).prefix());
            }
        }
        assertThat(prefixes).containsExactly("boo/", "d/");
        assertThat(keys).containsExactly("a.txt", "c.txt", "dated.txt", "empty.txt");
        assertThat(pages).as("one entry a page, no empty trailing page").isEqualTo(6);
    }

    @Test
    void maxKeysZeroIsAnEmptyUntruncatedPage() {
        ListObjectsV2Response v2 = s3.listObjectsV2(r -> r.bucket("b").maxKeys(0));
        assertThat(v2.contents()).isEmpty();
        assertThat(v2.isTruncated()).isFalse();
        ListObjectsResponse v1 = s3.listObjects(r -> r.bucket("b").maxKeys(0));
        assertThat(v1.contents()).isEmpty();
        assertThat(v1.isTruncated()).isFalse();
    }

    @Test
    void ownerIsListedByV1AndByV2OnlyWithFetchOwner() {
        assertThat(s3.listObjects(r -> r.bucket("b")).contents()).allSatisfy(o -> assertThat(o.owner()).isNotNull());
        assertThat(s3.listObjectsV2(r -> r.bucket("b")).contents()).allSatisfy(o -> assertThat(o.owner()).isNull());
        assertThat(s3.listObjectsV2(r -> r.bucket("b").fetchOwner(true)).contents())
                .allSatisfy(o -> assertThat(o.owner().id()).isEqualTo("local"));
    }

    @Test
    void aContinuationTokenThatIsNotOursIs400InvalidArgument() throws Exception {
        HttpResponse<String> r = get("/b?list-type=2&continuation-token=!!!");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<Code>InvalidArgument</Code>");
        assertThatThrownBy(() -> s3.listObjectsV2(q -> q.bucket("b").continuationToken("!!!")))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(400));
    }

    // --- Conditional requests ----------------------------------------------------------------------------------

    @Test
    void notModifiedCarriesETagAndLastModified() throws Exception {
        String etag = get("/b/dated.txt").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> r = get("/b/dated.txt", "If-None-Match", etag);
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.headers().firstValue("ETag")).contains(etag);
        assertThat(r.headers().firstValue("Last-Modified")).contains(HttpDate.format(MODIFIED));
    }

    @Test
    void ifModifiedSinceAnswers304WhenNotModifiedAnd200WhenModified() throws Exception {
        HttpResponse<String> same = get("/b/dated.txt", "If-Modified-Since", HttpDate.format(MODIFIED));
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.headers().firstValue("Last-Modified")).contains(HttpDate.format(MODIFIED));
        assertThat(get("/b/dated.txt", "If-Modified-Since", HttpDate.format(MODIFIED.minusSeconds(1))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void ifUnmodifiedSinceAnswers412WhenModifiedAfter() throws Exception {
        HttpResponse<String> r = get("/b/dated.txt", "If-Unmodified-Since", HttpDate.format(MODIFIED.minusSeconds(60)));
        assertThat(r.statusCode()).isEqualTo(412);
        assertThat(r.body()).contains("<Code>PreconditionFailed</Code>");
        assertThat(get("/b/dated.txt", "If-Unmodified-Since", HttpDate.format(MODIFIED)).statusCode()).isEqualTo(200);
    }

    @Test
    void ifMatchTakesPrecedenceOverIfUnmodifiedSinceAndIfNoneMatchOverIfModifiedSince() throws Exception {
        String etag = get("/b/dated.txt").headers().firstValue("ETag").orElseThrow();
        assertThat(get("/b/dated.txt", "If-Match", etag, "If-Unmodified-Since",
                HttpDate.format(MODIFIED.minusSeconds(60))).statusCode()).isEqualTo(200);
        assertThat(get("/b/dated.txt", "If-None-Match", "\"other\"", "If-Modified-Since",
                HttpDate.format(MODIFIED.plusSeconds(60))).statusCode()).isEqualTo(200);
        assertThat(get("/b/dated.txt", "If-Match", "\"other\"", "If-Unmodified-Since",
                HttpDate.format(MODIFIED.plusSeconds(60))).statusCode()).isEqualTo(412);
    }

    // --- Bad requests ------------------------------------------------------------------------------------------

    @Test
    void aRangeStartingPastTheEndIs416WithTheLength() throws Exception {
        HttpResponse<String> r = get("/b/dated.txt", "Range", "bytes=999999999-");
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(r.headers().firstValue("Content-Range")).contains("bytes */10");
        assertThat(r.body()).contains("<Code>InvalidRange</Code>");
    }

    @Test
    void aMalformedPercentEscapeIs400InvalidUriAndIsLogged() throws Exception {
        int before = LOG.size();
        String reply = raw("GET /b/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(reply).startsWith("HTTP/1.1 400").contains("<Code>InvalidURI</Code>");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (LOG.stream().skip(before).noneMatch(l -> l.contains("(invalid URI)")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(LOG.stream().skip(before).toList()).anySatisfy(l -> assertThat(l).contains("status=400")
                .contains("(invalid URI)"));
    }

    // --- Empty objects and impatient callers -------------------------------------------------------------------

    @Test
    void emptyObjectFetchedByCallersThatCloseAtOnceIsDeliveredEveryTime() throws Exception {
        int n = 150;
        LOG.clear();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                replies.add(pool.submit(() -> headersThenClose("GET /b/empty.txt HTTP/1.1\r\nHost: x\r\n\r\n")));
            }
            for (Future<String> f : replies) {
                assertThat(f.get()).startsWith("HTTP/1.1 200").containsIgnoringCase("content-length: 0");
            }
        } finally {
            pool.shutdownNow();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (wgorLines().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(wgorLines()).hasSize(n).allSatisfy(l -> assertThat(l).contains("status=200"));
    }

    private static List<String> wgorLines() {
        return LOG.stream().filter(l -> l.contains("key=/WriteGetObjectResponse")).toList();
    }

    /** Sends {@code request} and returns the whole reply (the server closes). */
    static String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Like curl on an empty body: reads the header block, then closes without waiting for anything else. */
    static String headersThenClose(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                sb.append((char) c);
                if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
            return sb.toString();
        }
    }
}
