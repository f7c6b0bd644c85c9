package io.transflux.connectors.accesspoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import reactor.netty.NettyPipeline;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The Lambda Runtime API (version 2018-06-01) of one execution environment, on an ephemeral loopback port: what
 * {@code AWS_LAMBDA_RUNTIME_API} points the Runtime Interface Client at. Paths, headers and status codes follow the
 * AWS "Using the Lambda runtime API for custom runtimes" page and the RIC's own client (docs/serve.md cites both):
 * {@code GET /2018-06-01/runtime/invocation/next} long-polls and answers 200 with the event and the
 * {@code Lambda-Runtime-*} headers; {@code POST .../invocation/{id}/response}, {@code .../{id}/error} and
 * {@code /runtime/init/error} answer 202. A response in the streaming mode ({@code Lambda-Runtime-Function-Response-Mode:
 * streaming}, chunked) is handed on as it arrives; its error trailers fail the relayed body (docs/protocols.md §11.2).
 */
final class RuntimeApi implements AutoCloseable {

    static final String PREFIX = "/2018-06-01/runtime/";
    static final String MODE_HEADER = "Lambda-Runtime-Function-Response-Mode";
    static final String ERROR_TYPE_TRAILER = "Lambda-Runtime-Function-Error-Type";
    private static final AttributeKey<String> STREAM_ERROR = AttributeKey.valueOf("transflux.streamErrorType");
    private static final AttributeKey<Boolean> LAST_SEEN = AttributeKey.valueOf("transflux.lastChunkSeen");
    /** Lambda's synchronous response payload limit; larger responses get 413. */
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RuntimePool.Environment env;
    private final DisposableServer server;

    RuntimeApi(RuntimePool.Environment env) {
        this.env = env;
        this.server = HttpServer.create().host("127.0.0.1").port(0)
                // The RIC keeps one connection and long-polls /next on it: no idle timeout here.
                .doOnChannelInit((obs, ch, addr) -> ch.pipeline().addAfter(NettyPipeline.HttpCodec, "transflux.trailers",
                        new TrailerCapture()))
                .handle(this::handle)
                .bindNow(Duration.ofSeconds(10));
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(2));
    }

    private Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        String path = req.uri();
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        if (!path.startsWith(PREFIX)) {
            return status(res, 404, "UnknownPath", "Not a Lambda Runtime API path");
        }
        String rest = path.substring(PREFIX.length());
        String method = req.method().name();
        if (method.equals("GET") && rest.equals("invocation/next")) {
            return env.next().flatMap(inv -> res.status(200)
                    .header("Lambda-Runtime-Aws-Request-Id", inv.id)
                    .header("Lambda-Runtime-Deadline-Ms", Long.toString(inv.deadlineEpochMs))
                    .header("Lambda-Runtime-Invoked-Function-Arn", inv.functionArn)
                    .header("Lambda-Runtime-Trace-Id", inv.traceId)
                    // The RIC's native client reads Content-Type unconditionally: without it, it crashes (SIGSEGV).
                    .header("Content-Type", "application/json")
                    .header("Content-Length", Integer.toString(inv.event.length))
                    .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(inv.event))).then()
                    .doOnError(e -> env.undeliverable(inv)));
        }
        if (method.equals("POST") && rest.equals("init/error")) {
            return req.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap(body -> {
                env.initFailed(errorType(req, body));
                return status(res, 202, null, null);
            });
        }
        if (method.equals("POST") && rest.startsWith("invocation/")) {
            String tail = rest.substring("invocation/".length());
            int slash = tail.indexOf('/');
            if (slash > 0) {
                String id = tail.substring(0, slash);
                String verb = tail.substring(slash + 1);
                if (verb.equals("response") && "streaming".equalsIgnoreCase(req.requestHeaders().get(MODE_HEADER))) {
                    return streamed(req, res, id);
                }
                if (verb.equals("response")) {
                    return req.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                            .flatMap(body -> body.length > MAX_RESPONSE_BYTES
                                    ? failAsTooLarge(res, id)
                                    : env.respond(id, body)
                                            ? status(res, 202, null, null)
                                            : status(res, 400, "InvalidRequestID", "Invalid request ID"));
                }
                if (verb.equals("error")) {
                    return req.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap(body ->
                            env.fail(id, errorType(req, body))
                                    ? status(res, 202, null, null)
                                    : status(res, 400, "InvalidRequestID", "Invalid request ID"));
                }
            }
        }
        return status(res, 404, "UnknownPath", "Not a Lambda Runtime API path");
    }

    /**
     * A streaming response (docs/protocols.md §11.2): the body is handed on as it arrives, with backpressure (the
     * runtime's connection stops being read while the relay has no demand), and the error trailers of the last
     * chunk fail it. Answered 202 once the body ended, also after an error trailer, as Lambda treats that as a
     * successful response carrying error metadata. The body also fails, so that it can never look complete, when
     * the function timeout passes mid-body or the runtime's connection ends without the terminating chunk.
     */
    private Mono<Void> streamed(HttpServerRequest req, HttpServerResponse res, String id) {
        Sinks.Empty<Void> done = Sinks.empty();
        io.netty.channel.Channel[] channel = new io.netty.channel.Channel[1];
        req.withConnection(c -> channel[0] = c.channel());
        boolean accepted = env.respondStreaming(id, req.requestHeaders().get("Content-Type"), inv -> req.receive().retain()
                .takeUntilOther(inv.expired.asMono())
                .concatWith(Flux.defer(() -> {
                    if (inv.timedOut) {
                        return Flux.error(new RuntimeResponse.FunctionStreamError("Sandbox.Timedout"));
                    }
                    String type = channel[0] == null ? null : channel[0].attr(STREAM_ERROR).getAndSet(null);
                    if (type != null) {
                        return Flux.error(new RuntimeResponse.FunctionStreamError(type.length() > 120 ? type.substring(0, 120) : type));
                    }
                    if (channel[0] == null || !Boolean.TRUE.equals(channel[0].attr(LAST_SEEN).get())) {
                        return Flux.error(new RuntimeResponse.FunctionStreamError("Runtime.ConnectionClosed"));
                    }
                    return Flux.empty();
                }))
                .doFinally(s -> env.streamEnded(inv))
                .doOnComplete(done::tryEmitEmpty)
                .doOnError(e -> done.tryEmitEmpty())
                .doOnCancel(() -> done.tryEmitError(new java.util.concurrent.CancellationException("relay cancelled"))));
        if (!accepted) {
            return req.receive().then(status(res, 400, "InvalidRequestID", "Invalid request ID"));
        }
        return done.asMono().then(Mono.defer(() -> status(res, 202, null, null)));
    }

    /**
     * Reactor Netty hands a request's body on without its last chunk's trailers, so this handler, right after the
     * HTTP codec, keeps the error type of a streamed response's trailers on the channel for {@link #streamed}, and
     * whether the current request's terminating chunk arrived at all.
     */
    private static final class TrailerCapture extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof io.netty.handler.codec.http.HttpRequest) {
                ctx.channel().attr(LAST_SEEN).set(Boolean.FALSE);
            }
            if (msg instanceof LastHttpContent last) {
                ctx.channel().attr(LAST_SEEN).set(Boolean.TRUE);
                if (last.trailingHeaders().contains(ERROR_TYPE_TRAILER)) {
                    ctx.channel().attr(STREAM_ERROR).set(last.trailingHeaders().get(ERROR_TYPE_TRAILER));
                }
            }
            super.channelRead(ctx, msg);
        }
    }

    private Mono<Void> failAsTooLarge(HttpServerResponse res, String id) {
        env.fail(id, "Function.ResponseSizeTooLarge");
        return status(res, 413, "RequestEntityTooLarge", "Response payload size exceeded maximum allowed payload size");
    }

    /** The error type the runtime reported: the header, else the body's {@code errorType}; never the message. */
    private static String errorType(HttpServerRequest req, byte[] body) {
        String h = req.requestHeaders().get("Lambda-Runtime-Function-Error-Type");
        String t = null;
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("errorType")) {
                t = n.get("errorType").asText();
            }
        } catch (java.io.IOException ignored) {
            // An unreadable error body still fails the invocation; only its type is lost.
        }
        String type = t != null && !t.isEmpty() ? t : h != null ? h : "Unknown";
        return type.length() > 120 ? type.substring(0, 120) : type;
    }

    private static Mono<Void> status(HttpServerResponse res, int status, String type, String message) {
        byte[] body = type == null ? "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8)
                : ("{\"errorMessage\":\"" + message + "\",\"errorType\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8);
        return res.status(status).header("Content-Type", "application/json")
                .header("Content-Length", Integer.toString(body.length))
                .send(Mono.just(Unpooled.wrappedBuffer(body))).then();
    }
}
