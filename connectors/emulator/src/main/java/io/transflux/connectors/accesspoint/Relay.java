package io.transflux.connectors.accesspoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.Unpooled;
import io.transflux.pipeline.ChecksumMismatchException;
import io.transflux.pipeline.checksum.ChecksumAlgorithm;
import io.transflux.pipeline.checksum.ChecksumTap;
import io.transflux.pipeline.checksum.ChecksumValue;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Answers the waiting caller from a WGOR: the forwarded status, headers ({@code x-amz-fwd-header-X} or
 * {@code x-oss-fwd-header-X} become {@code X}), user metadata and {@code Content-Length}; an error code becomes an
 * XML error document. The body streams from the WGOR request to the caller's socket with the caller's demand;
 * when the caller asked for checksum mode, a forwarded checksum (header or chunked trailer) is verified as the
 * bytes pass and a mismatch, like a WGOR body that breaks off, aborts the caller's response without a clean end.
 */
final class Relay {

    /** How long the caller's response waits for the WGOR's answer to be written before ending anyway. */
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(5);

    private Relay() {
    }

    /**
     * The caller's response, ended by the function timeout ({@code deadlineNanos}, {@link System#nanoTime()}) however
     * slowly the caller reads: before the status line is out the caller gets 500 {@code LambdaTimeout}; after it, its
     * connection is reset (never a clean end) and the WGOR fails with {@code LambdaTimeout}. The timer does not
     * depend on the caller's demand, so a stalled reader cannot hold the exchange (or the bytes queued for it) open.
     */
    static Mono<Void> toCaller(LocalAccessPoint ap, HttpServerResponse res, Request r, AccessLog log, Flavor flavor,
            Invocations.Arrival a, boolean checksumMode, long deadlineNanos) {
        Duration remaining = Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime()));
        return exchange(ap, res, r, log, flavor, a, checksumMode)
                .timeout(Mono.delay(remaining).doOnNext(x -> {
                    // Before the exchange is cancelled, so the WGOR learns why (not "the caller went away").
                    a.done().tryEmitError(PlatformError.timeout());
                }), Mono.defer(() -> {
                    abort(res);
                    return Mono.error(PlatformError.timeout());
                }));
    }

    private static Mono<Void> exchange(LocalAccessPoint ap, HttpServerResponse res, Request r, AccessLog log,
            Flavor flavor, Invocations.Arrival a, boolean checksumMode) {
        String fwd = flavor == Flavor.S3 ? "x-amz-fwd-header-" : "x-oss-fwd-header-";
        String meta = flavor == Flavor.S3 ? "x-amz-meta-" : "x-oss-meta-";
        String errorCode = a.header("x-amz-fwd-error-code");
        String id = ap.newRequestId();
        log.status = a.status();
        res.status(a.status()).header(flavor == Flavor.S3 ? "x-amz-request-id" : "x-oss-request-id", id);
        String checksumName = null;
        for (Map.Entry<String, String> e : a.headers().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(fwd)) {
                String name = k.substring(fwd.length());
                if (errorCode != null && name.equalsIgnoreCase("content-type")) {
                    continue;
                }
                // An error keeps what describes it, such as a 416's Content-Range: bytes */<length>.
                res.header(name, e.getValue());
                if (name.startsWith("x-amz-checksum-")) {
                    checksumName = name;
                }
            } else if (k.startsWith(meta) && errorCode == null) {
                res.header(k, e.getValue());
            }
        }
        if (errorCode != null) {
            String msg = a.headers().getOrDefault("x-amz-fwd-error-message", "");
            return drain(a).then(Mono.defer(() -> {
                byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + PlatformError.escape(errorCode)
                        + "</Code><Message>" + PlatformError.escape(msg) + "</Message><RequestId>" + id
                        + "</RequestId></Error>\n").getBytes(StandardCharsets.UTF_8);
                log.bytesOut = xml.length;
                log.firstByte();
                a.done().tryEmitEmpty();
                return res.header("Content-Type", "application/xml").header("Content-Length", Integer.toString(xml.length))
                        .send(Mono.just(Unpooled.wrappedBuffer(xml)).concatWith(answered(a))).then();
            })).doOnError(e -> a.done().tryEmitError(e));
        }
        String contentLength = a.header("content-length");
        boolean errorBody = flavor == Flavor.OSS && a.status() >= 300;
        if (errorBody && a.header("content-type") != null) {
            res.header("Content-Type", a.header("content-type"));
        }
        String trailerName = null;
        String announced = a.header("trailer");
        if (announced != null && announced.toLowerCase(Locale.ROOT).trim().startsWith(fwd + "x-amz-checksum-")) {
            trailerName = announced.toLowerCase(Locale.ROOT).trim();
        }
        if (contentLength != null) {
            res.header("Content-Length", contentLength);
        }
        Flux<ByteBuffer> body = a.body();
        if (checksumMode && (checksumName != null || trailerName != null)) {
            body = verified(body, a, checksumName != null ? checksumName : trailerName.substring(fwd.length()),
                    checksumName != null ? a.header(fwd + checksumName) : null, trailerName);
        }
        Flux<ByteBuffer> bounded = body;
        if (r.method().equals("HEAD") || a.status() == 304 || "0".equals(contentLength)) {
            // Nothing to stream: the caller has all it needs with the status line, and may close at once (curl
            // does). So the WGOR is read to its end and answered first, and only then does the caller get its
            // answer; a body that breaks off or fails its checksum still fails the caller.
            return bounded.then(Mono.defer(() -> {
                        a.done().tryEmitEmpty();
                        return answered(a);
                    }))
                    .then(Mono.defer(() -> res.send().then()))
                    .doOnError(e -> a.done().tryEmitError(e));
        }
        long declared = contentLength == null ? -1 : parseLength(contentLength);
        // The WGOR is answered 200 once its whole body has passed to the caller's connection, and the caller's
        // response ends only after that answer. A caller that goes away once it has every declared byte, before
        // the WGOR's end was seen, has still been delivered the object.
        // Reactor Netty completes the send when the caller goes away mid-body (it cancels the body), so the end of
        // the send alone does not mean delivery.
        AtomicBoolean bodyEnded = new AtomicBoolean();
        Flux<io.netty.buffer.ByteBuf> out = bounded.doOnComplete(() -> bodyEnded.set(true)).map(b -> {
                    log.firstByte();
                    log.bytesOut += b.remaining();
                    return Unpooled.wrappedBuffer(b);
                })
                .concatWith(Mono.defer(() -> {
                    a.done().tryEmitEmpty();
                    return answered(a);
                }));
        return res.send(out)
                .then()
                .then(Mono.defer(() -> bodyEnded.get() || (declared >= 0 && log.bytesOut == declared)
                        ? Mono.<Void>empty()
                        : Mono.error(new PlatformError(500, "InternalError", "The caller went away."))))
                .doOnSuccess(v -> a.done().tryEmitEmpty())
                .doOnError(e -> {
                    LocalAccessPoint.logDebug("caller response aborted: " + e.getClass().getSimpleName());
                    a.done().tryEmitError(e);
                    abort(res);
                })
                .doOnCancel(() -> {
                    if (declared >= 0 && log.bytesOut == declared) {
                        a.done().tryEmitEmpty();
                    } else {
                        a.done().tryEmitError(new PlatformError(500, "InternalError", "The caller went away."));
                    }
                });
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Waits (bounded) until the WGOR has been answered, emitting nothing. */
    private static <T> Mono<T> answered(Invocations.Arrival a) {
        return a.answered().asMono().timeout(ANSWER_WAIT, Mono.empty()).then(Mono.empty());
    }

    /**
     * Resets the caller's connection after a failure once the status is out: with a declared length the
     * client sees it unmet, and a chunked body ends without its last chunk, which some clients (the async
     * SDK's {@code toFile}) would otherwise take for the end of a complete body.
     */
    private static void abort(HttpServerResponse res) {
        if (!res.hasSentHeaders()) {
            return;
        }
        res.withConnection(c -> {
            c.channel().config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
            c.channel().close();
        });
    }

    /** The body, failing before its end unless its checksum equals the forwarded header or trailer value. */
    private static Flux<ByteBuffer> verified(Flux<ByteBuffer> body, Invocations.Arrival a, String checksumHeader,
            @Nullable String headerValue, @Nullable String trailerName) {
        ChecksumAlgorithm alg;
        try {
            alg = ChecksumAlgorithm.fromId(checksumHeader.substring("x-amz-checksum-".length()));
        } catch (RuntimeException e) {
            return body;
        }
        ChecksumTap tap = ChecksumTap.of(alg);
        return tap.apply(body).concatWith(Mono.defer(() -> tap.results().flatMap(m -> {
            String expected = headerValue != null ? headerValue
                    : trailerName != null ? a.trailers().get().get(trailerName) : null;
            ChecksumValue actual = m.get(alg);
            if (expected == null || !actual.base64().equals(expected.trim())) {
                return Mono.error(new ChecksumMismatchException(alg.id(), expected == null ? "(missing trailer)" : expected,
                        actual.base64()));
            }
            return Mono.<ByteBuffer>empty();
        })));
    }

    private static Mono<Void> drain(Invocations.Arrival a) {
        return a.body().then();
    }
}
