package io.transflux.connectors;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * A Reactor Netty proxy on 127.0.0.1 in front of an S3 or OSS endpoint that answers the first request for each method
 * and path with {@code 503 SlowDown} (S3's throttling answer, with its XML error body), then forwards every later
 * one unchanged. Each object's HEAD, GET and PUT is throttled once: a burst the client must ride out by retrying.
 * Shared by the batch tests of {@code cli} and {@code emulator} (this module's test-jar).
 */
public final class SlowDownProxy implements AutoCloseable {

    public static final String SLOW_DOWN = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
            + "<Message>Please reduce your request rate.</Message></Error>";

    private final DisposableServer server;
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private SlowDownProxy(String upstream) {
        HttpClient client = HttpClient.create().baseUrl(upstream).responseTimeout(Duration.ofSeconds(30));
        this.server = HttpServer.create().host("127.0.0.1").port(0).handle((req, res) -> {
            String uri = req.uri();
            int q = uri.indexOf('?');
            String path = q < 0 ? uri : uri.substring(0, q);
            String query = q < 0 ? "" : uri.substring(q + 1);
            // Listing and multipart sub-resources pass; the object requests (HEAD and GET through presigned URLs,
            // PUT) are throttled once each.
            boolean subresource = query.contains("uploadId=") || query.startsWith("uploads")
                    || query.contains("&uploads") || query.contains("list-type=");
            if (!subresource && seen.add(req.method().name() + " " + path)) {
                refused.incrementAndGet();
                return req.receive().then(res.status(503).header("Content-Type", "application/xml")
                        .sendString(Mono.just(SLOW_DOWN)).then());
            }
            forwarded.incrementAndGet();
            return client.headers(h -> h.set(req.requestHeaders()))
                    .request(req.method())
                    .uri(req.uri())
                    .send((creq, out) -> out.send(req.receive().retain()))
                    .response((cres, body) -> res.status(cres.status()).headers(cres.responseHeaders())
                            .send(body.retain()))
                    .then();
        }).bindNow(Duration.ofSeconds(10));
    }

    public static SlowDownProxy start(String upstream) {
        return new SlowDownProxy(upstream);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    public int refused() {
        return refused.get();
    }

    public int forwarded() {
        return forwarded.get();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
    }
}
