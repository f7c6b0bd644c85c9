package io.transflux.connectors.oss;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.common.auth.DefaultCredentials;
import com.aliyun.oss.common.comm.RequestMessage;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.internal.signer.OSSSignerBase;
import com.aliyun.oss.internal.signer.OSSSignerParams;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A local Reactor Netty server playing OSS PutObject and multipart upload (path-style), which recomputes every
 * request's V4 signature with {@code aliyun-sdk-oss} 3.18.5 and answers 403 {@code SignatureDoesNotMatch} on a
 * mismatch. Records requests, stored objects, open uploads and aborts.
 */
final class FakeOssServer implements AutoCloseable {

    static final String REGION = "cn-hangzhou";
    private static final Pattern PART = Pattern.compile("<PartNumber>(\\d+)</PartNumber><ETag>([^<]+)</ETag>");

    final OssCredentials credentials;
    final DisposableServer server;
    final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    final Map<String, String> contentTypes = new ConcurrentHashMap<>();
    final Map<String, Map<Integer, byte[]>> uploads = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger signatureMismatches = new AtomicInteger();
    final AtomicInteger aborts = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong partBytes = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger ids = new AtomicInteger();

    FakeOssServer(OssCredentials credentials) {
        this.credentials = credentials;
        this.server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> req.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                        .flatMap(body -> handle(req, res, body).then()))
                .bindNow(Duration.ofSeconds(10));
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    OssStore store() {
        return OssStore.create(endpoint(), REGION, credentials).pathStyle(true);
    }

    private Mono<Void> handle(HttpServerRequest req, HttpServerResponse res, byte[] body) {
        URI uri = URI.create(req.uri());
        String path = URLDecoder.decode(uri.getRawPath().replace("+", "%2B"), StandardCharsets.UTF_8);
        Map<String, String> query = new TreeMap<>();
        if (uri.getRawQuery() != null) {
            for (String p : uri.getRawQuery().split("&")) {
                int eq = p.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? null : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String method = req.method().name();
        requests.add(method + " " + path + (query.isEmpty() ? "" : "?" + String.join("&", query.keySet())));
        if (!signatureMatches(req, method, path, query)) {
            signatureMismatches.incrementAndGet();
            return error(res, 403, "SignatureDoesNotMatch");
        }
        if (method.equals("PUT") && query.isEmpty()) {
            objects.put(path, body);
            contentTypes.put(path, String.valueOf(req.requestHeaders().get("Content-Type")));
            return res.header("ETag", "\"e" + body.length + "\"").send();
        }
        if (method.equals("POST") && query.containsKey("uploads")) {
            String id = "upload-" + ids.incrementAndGet();
            uploads.put(id, new ConcurrentHashMap<>());
            contentTypes.put(path, String.valueOf(req.requestHeaders().get("Content-Type")));
            return res.sendString(Mono.just("<?xml version=\"1.0\" encoding=\"UTF-8\"?><InitiateMultipartUploadResult>"
                    + "<Bucket>b</Bucket><Key>k</Key><UploadId>" + id + "</UploadId></InitiateMultipartUploadResult>")).then();
        }
        Map<Integer, byte[]> parts = uploads.get(query.get("uploadId"));
        if (parts == null) {
            return error(res, 404, "NoSuchUpload");
        }
        if (method.equals("PUT") && query.containsKey("partNumber")) {
            int n = Integer.parseInt(query.get("partNumber"));
            parts.put(n, body);
            partBytes.addAndGet(body.length);
            return res.header("ETag", "\"part" + n + "\"").send();
        }
        if (method.equals("DELETE")) {
            uploads.remove(query.get("uploadId"));
            aborts.incrementAndGet();
            return res.status(204).send();
        }
        if (method.equals("POST")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Matcher m = PART.matcher(new String(body, StandardCharsets.UTF_8));
            int expected = 1;
            while (m.find()) {
                int n = Integer.parseInt(m.group(1));
                if (n != expected++ || !m.group(2).equals("&quot;part" + n + "&quot;") || !parts.containsKey(n)) {
                    return error(res, 400, "InvalidPart");
                }
                out.writeBytes(parts.get(n));
            }
            uploads.remove(query.get("uploadId"));
            objects.put(path, out.toByteArray());
            return res.sendString(Mono.just("<CompleteMultipartUploadResult><ETag>\"x-" + (expected - 1)
                    + "\"</ETag></CompleteMultipartUploadResult>")).then();
        }
        return error(res, 400, "InvalidRequest");
    }

    private boolean signatureMatches(HttpServerRequest req, String method, String path, Map<String, String> query) {
        try {
            Map<String, String> headers = new LinkedHashMap<>();
            req.requestHeaders().forEach(e -> headers.put(e.getKey(), e.getValue()));
            String received = headers.remove("Authorization");
            String date = headers.get("x-oss-date");
            if (received == null || date == null) {
                return false;
            }
            long at = LocalDateTime.parse(date, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                    .toInstant(ZoneOffset.UTC).toEpochMilli();
            RequestMessage m = new RequestMessage(null, null);
            m.setMethod(HttpMethod.valueOf(method));
            m.setEndpoint(URI.create(endpoint()));
            m.setResourcePath(path);
            m.setHeaders(headers);
            m.setParameters(new LinkedHashMap<>(query));
            OSSSignerParams p = new OSSSignerParams(path, new DefaultCredentials(credentials.accessKeyId(),
                    credentials.accessKeySecret()));
            p.setProduct("oss");
            p.setRegion(REGION);
            p.setTickOffset(at - System.currentTimeMillis());
            OSSSignerBase.createRequestSigner(SignVersion.V4, p).sign(m);
            return received.equals(m.getHeaders().get("Authorization"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Mono<Void> error(HttpServerResponse res, int status, String code) {
        return res.status(HttpResponseStatus.valueOf(status)).header("Content-Type", "application/xml")
                .sendString(Mono.just("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                        + "</Code><Message>m</Message></Error>")).then();
    }

    List<String> requests() {
        return new ArrayList<>(requests);
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
