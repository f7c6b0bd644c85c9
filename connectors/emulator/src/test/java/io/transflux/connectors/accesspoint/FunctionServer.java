package io.transflux.connectors.accesspoint;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A function behind {@code --function-url} as a test writes it: an HTTP server on 127.0.0.1 that receives the
 * event JSON, runs {@code handler} on a blocking thread (stock SDK clients block) and answers 200 {@code {}};
 * a handler exception answers 500, as a crashed Lambda does.
 */
final class FunctionServer implements AutoCloseable {

    /** The GetObject handler: gets the parsed event. */
    interface Handler {
        void handle(JsonNode event) throws Exception;
    }

    static final ObjectMapper JSON = new ObjectMapper();
    final List<String> contexts = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final DisposableServer server;

    FunctionServer(Handler handler) {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> req.receive().aggregate().asByteArray()
                        .publishOn(Schedulers.boundedElastic())
                        .flatMap(b -> {
                            try {
                                JsonNode event = JSON.readTree(b);
                                event.fieldNames().forEachRemaining(f -> {
                                    if (f.endsWith("Context") && !f.equals("userRequest")) {
                                        contexts.add(f);
                                    }
                                });
                                handler.handle(event);
                                return res.status(200).header("Content-Type", "application/json")
                                        .send(Mono.just(Unpooled.wrappedBuffer("{}".getBytes(StandardCharsets.UTF_8))))
                                        .then();
                            } catch (Exception e) {
                                failures.add(e);
                                return res.status(500).send().then();
                            }
                        }))
                .bindNow();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.port() + "/2015-03-31/functions/f/invocations");
    }

    /** GETs the event's {@code inputS3Url} as the AWS documentation's handlers do. */
    static byte[] fetchInput(JsonNode event) throws Exception {
        String url = event.path("getObjectContext").path("inputS3Url").asText();
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("inputS3Url answered " + r.statusCode());
        }
        return r.body();
    }

    static String route(JsonNode event) {
        return event.path("getObjectContext").path("outputRoute").asText();
    }

    static String token(JsonNode event) {
        return event.path("getObjectContext").path("outputToken").asText();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
