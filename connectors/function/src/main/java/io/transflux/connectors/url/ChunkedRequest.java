package io.transflux.connectors.url;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.transflux.connectors.ErrorMapping;
import io.transflux.connectors.ErrorReply;
import reactor.core.publisher.Flux;

/**
 * The bytes of one streaming response to the Runtime API (docs/protocols.md §11.2-9.3), written by hand because the
 * HTTP client cannot send request trailers: the request head, then HTTP/1.1 chunks (RFC 9112 §7.1) carrying the
 * HTTP-integration prelude (JSON, then 8 NUL bytes) and the body, then either the last chunk or, when the body
 * failed, the last chunk with the {@code Lambda-Runtime-Function-Error-Type}/{@code -Body} trailers.
 *
 * <p><b>Buffers:</b> body {@code ByteBuffer}s are wrapped, never copied; the wrappers are released by the transport
 * after writing. An empty buffer is skipped, since a zero-size chunk would end the body.
 */
final class ChunkedRequest {

    static final String CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";
    static final String MODE_HEADER = "Lambda-Runtime-Function-Response-Mode";
    static final String ERROR_TYPE_TRAILER = "Lambda-Runtime-Function-Error-Type";
    static final String ERROR_BODY_TRAILER = "Lambda-Runtime-Function-Error-Body";
    static final int DELIMITER_BYTES = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CRLF = {'\r', '\n'};

    private ChunkedRequest() {
    }

    static Flux<ByteBuf> frames(String host, String requestId, HttpReply reply, java.util.function.Consumer<Throwable> onBodyError) {
        ByteBuf head = ascii("POST /2018-06-01/runtime/invocation/" + requestId + "/response HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + MODE_HEADER + ": streaming\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "Content-Type: " + CONTENT_TYPE + "\r\n"
                + "Trailer: " + ERROR_TYPE_TRAILER + ", " + ERROR_BODY_TRAILER + "\r\n"
                + "Connection: close\r\n\r\n");
        byte[] prelude = prelude(reply);
        ByteBuf first = chunk(Unpooled.wrappedBuffer(prelude, new byte[DELIMITER_BYTES]));
        Flux<ByteBuf> body = reply.body().filter(ByteBuffer::hasRemaining).map(b -> chunk(Unpooled.wrappedBuffer(b)));
        return Flux.concat(Flux.just(head, first), body, Flux.defer(() -> Flux.just(ascii("0\r\n\r\n"))))
                .onErrorResume(e -> {
                    onBodyError.accept(e);
                    return Flux.just(errorTrailers(e));
                });
    }

    /** {@code {"statusCode":..,"headers":{..},"cookies":[]}}; Jackson escapes, so no NUL can appear in it. */
    static byte[] prelude(HttpReply reply) {
        ObjectNode root = JSON.createObjectNode();
        root.put("statusCode", reply.status());
        ObjectNode h = root.putObject("headers");
        for (Map.Entry<String, String> e : reply.headers().entrySet()) {
            h.put(e.getKey(), e.getValue());
        }
        root.putArray("cookies");
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("prelude not serialisable", e);
        }
    }

    /** The last chunk with the error trailers: the mapped code as type, its static message in the body. */
    static ByteBuf errorTrailers(Throwable e) {
        ErrorReply r = ErrorMapping.map(e);
        String type = r.code() != null ? r.code() : "InternalError";
        ObjectNode body = JSON.createObjectNode();
        body.put("errorMessage", r.message() == null ? "" : r.message());
        body.put("errorType", type);
        body.putArray("stackTrace");
        String b64 = Base64.getEncoder().encodeToString(body.toString().getBytes(StandardCharsets.UTF_8));
        return ascii("0\r\n" + ERROR_TYPE_TRAILER + ": " + type + "\r\n" + ERROR_BODY_TRAILER + ": " + b64 + "\r\n\r\n");
    }

    private static ByteBuf chunk(ByteBuf data) {
        int n = data.readableBytes();
        return Unpooled.wrappedBuffer(Unpooled.wrappedBuffer((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII)),
                data, Unpooled.wrappedBuffer(CRLF));
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII));
    }
}
