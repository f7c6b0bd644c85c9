package io.transflux.connectors.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.SourceException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * One {@code open()}: the first GET (retried on transient failures), then the content as one contiguous
 * stream stitched from ranged resumes, all inside the total deadline. State lives in a
 * {@link ResumeState}; failures are mapped by {@link SourceErrors}.
 */
final class HttpFetch {

    private final HttpClient client;
    private final SourceUrl url;
    private final ForwardedHeaders headers;
    private final HttpSourceSpec spec;
    private final ResumeState state;
    private final long deadlineNanos;
    private final AtomicBoolean contentSubscribed = new AtomicBoolean();

    HttpFetch(HttpClient client, SourceUrl url, ForwardedHeaders headers, HttpSourceSpec spec) {
        this.client = client;
        this.url = url;
        this.headers = headers;
        this.spec = spec;
        this.state = new ResumeState(spec.maxResumes(), spec.resumeBackoff(), spec.maxResumeBackoff());
        this.deadlineNanos = System.nanoTime() + spec.totalDeadline().toNanos();
    }

    Mono<ObjectStream> open() {
        return withRetries(() -> request(-1))
                .timeout(spec.totalDeadline(), Mono.error(() -> deadlineError("before the response")))
                .doOnDiscard(Attempt.class, Attempt::abandon)
                .map(first -> ObjectStream.of(content(first), metadata(first.headers())));
    }

    private ObjectMetadata metadata(HttpHeaders h) {
        return ResponseMetadata.of(h, state.expectedTotal());
    }

    /** The first request: transient failures are retried from scratch within the shared budget. */
    private Mono<Attempt> withRetries(Supplier<Mono<Attempt>> request) {
        return Mono.defer(request).onErrorResume(TransientFailure.class, f -> {
            if (!state.tryConsume()) {
                return Mono.error(f.giveUp(budgetSpent()));
            }
            return Mono.delay(state.backoff()).then(withRetries(request));
        });
    }

    /** A GET from {@code rangeStart} ({@code -1}: the whole object, no {@code Range}). */
    private Mono<Attempt> request(long rangeStart) {
        boolean resuming = rangeStart >= 0;
        String ifMatch = resuming ? state.etag() : null;
        return client.headers(h -> headers.applyTo(h, rangeStart, ifMatch))
                .get()
                .uri(url.raw())
                .responseConnection((res, conn) -> onResponse(res, conn, resuming))
                .single()
                .onErrorMap(e -> !(e instanceof SourceException || e instanceof TransientFailure),
                        e -> SourceErrors.transport(e, url, resuming ? "before the resume response, " + where()
                                : "before the response"));
    }

    private Mono<Attempt> onResponse(HttpClientResponse res, Connection conn, boolean resuming) {
        int status = res.status().code();
        if (status < 200 || status >= 300) {
            if (status >= 300 && status < 400) {
                conn.dispose();
                return Mono.error(SourceErrors.forStatus(status, null, resuming, url));
            }
            return errorCode(conn).map(Optional::of).defaultIfEmpty(Optional.empty())
                    .flatMap(code -> Mono.error(SourceErrors.forStatus(status, code.orElse(null), resuming, url)));
        }
        HttpHeaders h = res.responseHeaders();
        long contentLength = ResponseMetadata.contentLength(h);
        String rejection;
        if (resuming) {
            rejection = status != 206 ? "status " + status + " to a Range request (Range ignored; bytes are never spliced)"
                    : state.rejectPartial(ContentRange.parse(h.get(HttpHeaderNames.CONTENT_RANGE)),
                            h.get(HttpHeaderNames.ETAG), contentLength);
        } else if (status == 206) {
            conn.dispose();
            return Mono.error(new SourceException(ErrorCode.SOURCE_ERROR, status, null,
                    "GET " + url.redacted() + ": status 206 to a request without Range"));
        } else {
            state.onFirstResponse(h.get(HttpHeaderNames.ETAG), status == 204 ? 0 : contentLength);
            rejection = null;
        }
        if (rejection != null) {
            conn.dispose();
            return Mono.error(new SourceException(ErrorCode.SOURCE_CHANGED, status, null,
                    "GET " + url.redacted() + " (resume " + where() + "): " + rejection));
        }
        // Headers are in: from here the demand-aware idle watchdog governs the body, not responseTimeout.
        conn.removeHandler(NettyPipeline.ResponseTimeoutHandler);
        return Mono.just(new Attempt(conn, h, spec.idleReadTimeout()));
    }

    /** The {@code <Code>} of an error body, read up to {@link SourceErrors#MAX_ERROR_BODY_BYTES}. */
    private Mono<String> errorCode(Connection conn) {
        byte[] body = new byte[SourceErrors.MAX_ERROR_BODY_BYTES];
        int[] length = {0};
        return conn.inbound().receive()
                .map(buf -> {
                    // Copied inside onNext and mapped to a plain value before any discarding operator.
                    int n = Math.min(buf.readableBytes(), body.length - length[0]);
                    buf.getBytes(buf.readerIndex(), body, length[0], n);
                    length[0] += n;
                    return length[0] >= body.length;
                })
                .takeUntil(full -> full)
                .then(Mono.fromCallable(() -> SourceErrors.errorCode(body, length[0])))
                .timeout(spec.idleReadTimeout())
                .onErrorResume(e -> Mono.empty()); // an unreadable error body just has no code
    }

    private Flux<ByteBuffer> content(Attempt first) {
        return Flux.defer(() -> {
            if (!contentSubscribed.compareAndSet(false, true)) {
                return Flux.error(new IllegalStateException("HTTP source content already subscribed; it is single-use"));
            }
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                first.abandon();
                return Flux.error(deadlineError("before the content was subscribed"));
            }
            return Tripwire.failWhen(segment(Mono.just(first)), Mono.delay(Duration.ofNanos(remaining)),
                    () -> deadlineError(where()));
        });
    }

    /** The body of one attempt, continued by resumes when it breaks off. */
    private Flux<ByteBuffer> segment(Mono<Attempt> attempt) {
        return attempt
                .flatMapMany(a -> a.body(spec.chunkBytes(), spec.idleReadTimeout(), this::idleError,
                        () -> new SourceException(ErrorCode.SOURCE_TIMEOUT, 0, null, "GET " + url.redacted()
                                + ": content not subscribed within " + spec.idleReadTimeout()
                                + " of the response; the connection was closed")))
                .onErrorMap(e -> !(e instanceof SourceException || e instanceof TransientFailure
                                || e instanceof IllegalStateException),
                        e -> SourceErrors.transport(e, url, "during the body, " + where()))
                .<ByteBuffer>handle((buf, sink) -> {
                    if (state.advance(buf.remaining())) {
                        sink.next(buf);
                    } else {
                        sink.error(new SourceException(ErrorCode.SOURCE_ERROR, 0, null, "GET " + url.redacted()
                                + ": more body bytes than the expected " + state.expectedTotal()));
                    }
                })
                .concatWith(Mono.defer(this::checkEnd))
                .onErrorResume(TransientFailure.class, this::resume);
    }

    private Mono<ByteBuffer> checkEnd() {
        if (state.expectedTotal() >= 0 && !state.complete()) {
            return Mono.error(new TransientFailure(ErrorCode.SOURCE_UNAVAILABLE, 0, null,
                    "GET " + url.redacted() + ": body ended early, " + where(), null));
        }
        return Mono.empty();
    }

    private Flux<ByteBuffer> resume(TransientFailure f) {
        if (state.complete()) {
            return Flux.empty();
        }
        if (!state.canResumeBody()) {
            return Flux.error(f.giveUp("not resumed: the first reply had no strong ETag, so another request"
                    + " could return another version of the object"));
        }
        if (!state.tryConsume()) {
            return Flux.error(f.giveUp(budgetSpent()));
        }
        return segment(Mono.delay(state.backoff()).then(Mono.defer(() -> request(state.delivered()))));
    }

    private TransientFailure idleError() {
        return new TransientFailure(ErrorCode.SOURCE_TIMEOUT, 0, null, "GET " + url.redacted() + ": no body bytes for "
                + spec.idleReadTimeout() + " while the subscriber was waiting, " + where(), null);
    }

    private SourceException deadlineError(String when) {
        return new SourceException(ErrorCode.SOURCE_TIMEOUT, 0, null, "GET " + url.redacted() + ": total deadline of "
                + spec.totalDeadline() + " passed " + when + " (" + state.resumesUsed() + " of " + state.maxResumes()
                + " retries used)");
    }

    private String budgetSpent() {
        return "gave up after " + state.resumesUsed() + " of " + state.maxResumes() + " retries";
    }

    /** "after N of M bytes" (or "after N bytes" when the total is unknown). */
    private String where() {
        long total = state.expectedTotal();
        return "after " + state.delivered() + (total >= 0 ? " of " + total : "") + " bytes";
    }
}
