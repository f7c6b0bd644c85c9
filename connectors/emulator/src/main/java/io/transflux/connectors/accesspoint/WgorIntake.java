package io.transflux.connectors.accesspoint;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.transflux.connectors.ConnectorException;
import io.transflux.connectors.oss.OssCredentials;
import io.transflux.connectors.oss.OssSigner;
import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.connectors.s3.S3WgorClient;
import io.transflux.connectors.s3.SigV4Check;
import io.transflux.connectors.s3.SignedPayload;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Accepts WriteGetObjectResponse requests (docs/protocols.md §2.9): verifies the signature, validates the request as
 * S3 documents it (400 {@code ValidationError}), claims the single-use token (unknown or reused: 400) and hands
 * the still-streaming body to the waiting caller. The WGOR is answered 200 only once the caller has received
 * the whole response; if the caller's response fails, the WGOR gets 500.
 */
final class WgorIntake {

    /** Statuses S3 accepts in {@code x-amz-fwd-status} (WriteGetObjectResponse API reference). */
    static final Set<Integer> S3_STATUSES = Set.of(200, 206, 304, 400, 401, 403, 404, 405, 409, 411, 412, 416, 500, 503);
    /** OSS adds 301, 302 and 303. */
    static final Set<Integer> OSS_STATUSES = Set.of(200, 206, 301, 302, 303, 304, 400, 401, 403, 404, 405, 409, 411, 412,
            416, 500, 503);

    private final LocalAccessPoint ap;

    WgorIntake(LocalAccessPoint ap) {
        this.ap = ap;
    }

    Mono<Void> s3(HttpServerRequest req, HttpServerResponse res, Request r, AccessLog log) {
        SigV4Check.Verdict v = SigV4Check.verifyHeader(r.method(), r.rawUri(), r.headers(), this::awsSecret, ap.clock);
        if (v.status() == SigV4Check.Status.UNSUPPORTED_PAYLOAD) {
            throw CallerFront.unsupportedPayload();
        }
        if (!v.valid() || !S3WgorClient.SIGNING_NAME.equals(v.service())) {
            throw new PlatformError(403, "SignatureDoesNotMatch", v.valid()
                    ? "The request was not signed for s3-object-lambda."
                    : "The request signature we calculated does not match the signature you provided.");
        }
        String token = r.header("x-amz-request-token");
        String route = r.header("x-amz-request-route");
        if (token == null || token.isEmpty() || route == null || route.isEmpty()) {
            throw validation("x-amz-request-route and x-amz-request-token are required.");
        }
        int status = status(r.header("x-amz-fwd-status"), S3_STATUSES);
        String code = r.header("x-amz-fwd-error-code");
        if (code != null) {
            if (!code.matches("[A-Z][a-zA-Z]+")) {
                throw validation("x-amz-fwd-error-code: expected ^[A-Z][a-zA-Z]+$.");
            }
            if (status < 300) {
                throw validation("x-amz-fwd-error-code is not allowed with a success status.");
            }
            String cl = r.header("content-length");
            if (cl != null && !cl.equals("0")) {
                throw validation("An error response cannot carry an object body.");
            }
        }
        long checksums = r.headers().keySet().stream().filter(k -> k.startsWith("x-amz-fwd-header-x-amz-checksum-")).count();
        if (checksums > 1) {
            throw validation("At most one x-amz-fwd-header-x-amz-checksum-* header is allowed.");
        }
        return handOver(req, res, r, log, token, route, status, v.payload());
    }

    Mono<Void> oss(HttpServerRequest req, HttpServerResponse res, Request r, AccessLog log) {
        if (!OssSigner.verifiesWgor(r.headers(), ap::ossCredentials)) {
            throw new PlatformError(403, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided.");
        }
        String token = r.header("x-oss-request-token");
        String route = r.header("x-oss-request-route");
        if (token == null || token.isEmpty() || route == null || route.isEmpty()) {
            throw validation("x-oss-request-route and x-oss-request-token are required.");
        }
        return handOver(req, res, r, log, token, route, status(r.header("x-oss-fwd-status"), OSS_STATUSES), null);
    }

    private Mono<Void> handOver(HttpServerRequest req, HttpServerResponse res, Request r, AccessLog log, String token,
            String route, int status, @Nullable SignedPayload payload) {
        Invocations.Pending p = ap.invocations.claim(token, route);
        if (p == null) {
            throw validation("The output token is not valid, has expired or was already used.");
        }
        AtomicReference<@Nullable Channel> channel = new AtomicReference<>();
        req.withConnection(conn -> channel.set(conn.channel()));
        Supplier<Map<String, String>> trailers = () -> {
            if (payload != null && payload.awsChunked()) {
                return payload.trailers();
            }
            Channel ch = channel.get();
            Map<String, String> t = ch == null ? null : ch.attr(LocalAccessPoint.TRAILERS).getAndSet(null);
            return t == null ? Map.of() : t;
        };
        Flux<ByteBuffer> body = req.receiveContent()
                .filter(c -> c.content().isReadable())
                .map(c -> {
                    ByteBuf b = c.content();
                    ByteBuffer copy = ByteBuffer.allocate(b.readableBytes());
                    b.getBytes(b.readerIndex(), copy);
                    copy.flip();
                    log.bytesIn += copy.remaining();
                    return copy;
                });
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        AtomicReference<@Nullable PlatformError> rejected = new AtomicReference<>();
        if (payload != null) {
            body = payload.verify(body).onErrorMap(ConnectorException.class, e -> {
                PlatformError pe = new PlatformError(e.status(), e.errorCode(), e.getMessage());
                rejected.set(pe);
                return pe;
            });
            if (payload.awsChunked()) {
                // The caller gets the decoded object: its length, and no aws-chunked coding.
                String decoded = headers.remove("x-amz-decoded-content-length");
                headers.remove("content-length");
                if (decoded != null) {
                    headers.put("content-length", decoded);
                }
                String coding = headers.remove("content-encoding");
                if (coding != null) {
                    String rest = java.util.Arrays.stream(coding.split(",")).map(String::trim)
                            .filter(c -> !c.equalsIgnoreCase("aws-chunked") && !c.isEmpty())
                            .collect(java.util.stream.Collectors.joining(","));
                    if (!rest.isEmpty()) {
                        headers.put("content-encoding", rest);
                    }
                }
            }
        }
        Sinks.Empty<Void> done = Sinks.empty();
        Sinks.Empty<Void> answered = Sinks.empty();
        Invocations.Arrival arrival = new Invocations.Arrival(status, headers, body, trailers, done, answered);
        if (!p.deliver(arrival)) {
            throw validation("The output token is not valid, has expired or was already used.");
        }
        return done.asMono()
                .then(Mono.defer(() -> {
                    log.status = 200;
                    return res.status(200).header("Content-Length", "0").send().then();
                }))
                .doFinally(s -> answered.tryEmitEmpty())
                .onErrorMap(e -> rejected.get() != null ? rejected.get() : !(e instanceof PlatformError) ? new PlatformError(500,
                        "InternalError", "The response could not be delivered to the caller.") : e);
    }

    private static int status(@Nullable String value, Set<Integer> allowed) {
        if (value == null) {
            return 200;
        }
        try {
            int s = Integer.parseInt(value.trim());
            if (allowed.contains(s)) {
                return s;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw validation("fwd-status: expected one of " + new java.util.TreeSet<>(allowed) + ".");
    }

    private static PlatformError validation(String message) {
        return new PlatformError(400, "ValidationError", message);
    }

    private @Nullable AwsCredentials awsSecret(String keyId) {
        return ap.awsCredentials(keyId);
    }
}
