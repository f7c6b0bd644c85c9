package io.transflux.connectors.url;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.tcp.TcpClient;

/**
 * The Lambda Runtime API (2018-06-01) as a custom runtime uses it (docs/protocols.md §11.2): {@code GET next},
 * {@code POST response} in the streaming mode, {@code POST error} and {@code POST init/error}. The streaming
 * response goes over its own connection, written by {@link ChunkedRequest}, and the connection is closed after the
 * Runtime API's answer, as AWS asks.
 */
final class RuntimeApiClient {

    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String address;
    private final String host;
    private final int port;
    private final HttpClient http;

    /** @param address {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API} */
    RuntimeApiClient(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("AWS_LAMBDA_RUNTIME_API: expected host:port, got '" + address + "'");
        }
        this.address = address;
        this.host = address.substring(0, colon);
        this.port = Integer.parseInt(address.substring(colon + 1));
        // The long poll of /next may wait for minutes: no response timeout.
        this.http = HttpClient.create().baseUrl("http://" + address);
    }

    /** One invocation: its request id, deadline and event. */
    record Invocation(String id, long deadlineEpochMs, byte[] event) {
    }

    /** Blocks until the next invocation. */
    Invocation next() {
        Invocation inv = http.get().uri(PREFIX + "invocation/next")
                .responseSingle((res, body) -> body.asByteArray().defaultIfEmpty(new byte[0]).map(b -> {
                    if (res.status().code() != 200) {
                        throw new IllegalStateException("Runtime API /next answered " + res.status().code());
                    }
                    String id = res.responseHeaders().get("Lambda-Runtime-Aws-Request-Id");
                    if (id == null || id.isEmpty()) {
                        throw new IllegalStateException("Runtime API /next: no Lambda-Runtime-Aws-Request-Id");
                    }
                    String dl = res.responseHeaders().get("Lambda-Runtime-Deadline-Ms");
                    long deadline = dl == null ? Long.MAX_VALUE : Long.parseLong(dl.trim());
                    return new Invocation(id, deadline, b);
                }))
                .block();
        if (inv == null) {
            throw new IllegalStateException("Runtime API /next answered nothing");
        }
        return inv;
    }

    /**
     * Streams {@code reply} as the invocation's response. Completes with the Runtime API's status once it answered;
     * fails when the connection broke. A body failure is not an error here: it went out as trailers, and
     * {@code bodyError} holds it.
     */
    Mono<Integer> stream(String requestId, HttpReply reply, AtomicReference<@Nullable Throwable> bodyError) {
        return Mono.usingWhen(TcpClient.create().host(host).port(port).connect(),
                c -> c.outbound().send(ChunkedRequest.frames(address, requestId, reply, bodyError::set)).then()
                        .then(statusOf(c)),
                c -> Mono.fromRunnable(c::dispose));
    }

    /** The status code of the answer, read from its status line. */
    private static Mono<Integer> statusOf(Connection c) {
        StringBuilder seen = new StringBuilder();
        return c.inbound().receive().asString(StandardCharsets.ISO_8859_1)
                .map(s -> {
                    seen.append(s);
                    return seen.indexOf("\r\n");
                })
                .filter(i -> i > 0)
                .next()
                .map(i -> {
                    String[] line = seen.substring(0, i).split(" ");
                    return line.length >= 2 ? Integer.parseInt(line[1]) : 0;
                })
                .defaultIfEmpty(0);
    }

    /** Reports an invocation error before any response byte was sent. */
    void error(String requestId, String type, String message) {
        post(PREFIX + "invocation/" + requestId + "/error", type, message);
    }

    /** Reports a failed initialisation; Lambda then stops the environment. */
    void initError(String type, String message) {
        post(PREFIX + "init/error", type, message);
    }

    private void post(String path, String type, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("errorMessage", message);
        n.put("errorType", type);
        n.putArray("stackTrace");
        byte[] body = n.toString().getBytes(StandardCharsets.UTF_8);
        http.headers(h -> h.set("Lambda-Runtime-Function-Error-Type", type).set("Content-Type", "application/json"))
                .post().uri(path)
                .send(Mono.fromSupplier(() -> (ByteBuf) Unpooled.wrappedBuffer(body)))
                .responseSingle((res, b) -> b.then(Mono.just(res.status().code())))
                .block(Duration.ofSeconds(10));
    }
}
