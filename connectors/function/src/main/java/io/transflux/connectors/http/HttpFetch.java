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
import io.transflux.pipeline.RangeReader;
import io.transflux.pipeline.SourceException;
import io.transflux.pipeline.internal.timeout.StreamTimeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * One {@code open()}: the first GET (retried on transient failures), then the content as one contiguous
 * stream stitched from ranged resumes, all inside the total deadline. State lives in a
 * {@link ResumeState}; failures are mapped by {@link SourceErrors}. When the first reply had a strong ETag
 * and a length, the stream also carries a {@link RangeReader} ({@link Ranges}) for the same version.
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
                .map(first -> {
                    ObjectStream s = ObjectStream.of(content(first), metadata(first.headers()));
                    String etag = state.etag();
                    long total = state.expectedTotal();
                    return etag != null && total >= 0 ? s.withRangeReader(new Ranges(etag, total)) : s;
                });
    }

    /**
     * A {@code HEAD}: the metadata of a 2xx reply and empty content. Transient failures are retried within the
     * budget like the first GET; other statuses map as for GET, without an error code (a HEAD has no body).
     */
    Mono<ObjectStream> head() {
        return withRetries(() -> client.headers(h -> headers.applyTo(h, -1, null))
                        .head()
                        .uri(url.raw())
                        .response()
                        .flatMap(res -> {
                            int status = res.status().code();
                            if (status < 200 || status >= 300) {
                                return Mono.error(SourceErrors.forStatus(status, null, false, url));
                            }
                            HttpHeaders h = res.responseHeaders();
                            return Mono.just(ObjectStream.of(Flux.empty(),
                                    ResponseMetadata.of(h, ResponseMetadata.contentLength(h))));
                        })
                        .onErrorMap(e -> !(e instanceof SourceException || e instanceof TransientFailure),
                                e -> SourceErrors.transport(e, url, "before the HEAD response")))
                .timeout(spec.totalDeadline(), Mono.error(() -> deadlineError("before the HEAD response")));
    }

    private ObjectMetadata metadata(HttpHeaders h) {
        return ResponseMetadata.of(h, state.expectedTotal());
    }

    /** The first request: transient failures are retried from scratch within the shared budget. */
    private <T> Mono<T> withRetries(Supplier<Mono<T>> request) {
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
                if (status == 304) {
                    return Mono.error(SourceErrors.notModified(res.responseHeaders(), resuming, url));
                }
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
            return StreamTimeout.failAfter(segment(Mono.just(first)), Duration.ofNanos(remaining),
                    elapsedMillis -> deadlineError(where()));
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

    /**
     * Closed-range GETs of the version the first reply announced: {@code Range: bytes=a-b} with
     * {@code If-Match: <etag>}; only a 206 whose {@code Content-Range} is exactly {@code a-b/total} with the
     * same ETag is read. Anything else fails with {@code SOURCE_CHANGED} (a 200, 412, other range, total or
     * ETag) or as the status says. The host guard, the idle-read timeout and the open's total deadline apply;
     * a broken ranged read is not retried.
     */
    final class Ranges implements RangeReader {
        private final String etag;
        private final long size;

        Ranges(String etag, long size) {
            this.etag = etag;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public Flux<ByteBuffer> read(long start, long endExclusive) {
            RangeReader.checkRange(start, endExclusive, size);
            if (start == endExclusive) {
                return Flux.empty();
            }
            long length = endExclusive - start;
            String range = "bytes " + start + "-" + (endExclusive - 1) + "/" + size;
            return Flux.defer(() -> {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return Flux.error(deadlineError("before a ranged read of " + range));
                }
                long[] got = {0};
                Flux<ByteBuffer> body = request(start, endExclusive - 1, range)
                        .flatMapMany(a -> a.body(spec.chunkBytes(), spec.idleReadTimeout(),
                                () -> new TransientFailure(ErrorCode.SOURCE_TIMEOUT, 0, null, "GET " + url.redacted()
                                        + " (" + range + "): no body bytes for " + spec.idleReadTimeout()
                                        + " while the subscriber was waiting", null),
                                () -> new IllegalStateException("ranged body abandoned")))
                        .<ByteBuffer>handle((buf, sink) -> {
                            got[0] += buf.remaining();
                            if (got[0] > length) {
                                sink.error(new SourceException(ErrorCode.SOURCE_ERROR, 206, null, "GET " + url.redacted()
                                        + ": more than the " + length + " bytes of " + range));
                            } else {
                                sink.next(buf);
                            }
                        })
                        .concatWith(Mono.defer(() -> got[0] == length ? Mono.<ByteBuffer>empty()
                                : Mono.error(new TransientFailure(ErrorCode.SOURCE_UNAVAILABLE, 0, null, "GET "
                                        + url.redacted() + ": ranged body ended after " + got[0] + " of " + length
                                        + " bytes of " + range, null))))
                        .onErrorMap(e -> !(e instanceof SourceException || e instanceof TransientFailure),
                                e -> SourceErrors.transport(e, url, "during a ranged read of " + range))
                        .onErrorMap(TransientFailure.class, f -> f.giveUp("ranged reads are not retried"));
                return StreamTimeout.failAfter(body, Duration.ofNanos(remaining),
                        elapsedMillis -> deadlineError("during a ranged read of " + range));
            });
        }

        private Mono<Attempt> request(long first, long last, String range) {
            return client.headers(h -> headers.applyTo(h, first, last, etag))
                    .get()
                    .uri(url.raw())
                    .responseConnection((res, conn) -> onRangeResponse(res, conn, first, last))
                    .single()
                    .onErrorMap(e -> !(e instanceof SourceException || e instanceof TransientFailure),
                            e -> SourceErrors.transport(e, url, "before the response to a ranged read of " + range));
        }

        private Mono<Attempt> onRangeResponse(HttpClientResponse res, Connection conn, long first, long last) {
            int status = res.status().code();
            if (status != 206 && (status < 200 || status >= 300)) {
                conn.dispose();
                return Mono.error(SourceErrors.forStatus(status, null, true, url));
            }
            HttpHeaders h = res.responseHeaders();
            ContentRange got = ContentRange.parse(h.get(HttpHeaderNames.CONTENT_RANGE));
            long contentLength = ResponseMetadata.contentLength(h);
            String replyETag = h.get(HttpHeaderNames.ETAG);
            String rejection = status != 206 ? "status " + status + " to a Range request"
                    : got == null ? "206 without a valid Content-Range"
                    : got.first() != first || got.last() != last || got.total() != size
                            ? "Content-Range " + got + ", expected bytes " + first + "-" + last + "/" + size
                    : contentLength >= 0 && contentLength != got.length()
                            ? "Content-Length " + contentLength + ", expected " + got.length() + " for " + got
                    : !etag.equals(replyETag) ? "ETag " + (replyETag == null ? "absent" : "changed") + " on a ranged read"
                    : null;
            if (rejection != null) {
                conn.dispose();
                return Mono.error(new SourceException(ErrorCode.SOURCE_CHANGED, status, null,
                        "GET " + url.redacted() + " (ranged read): " + rejection));
            }
            conn.removeHandler(NettyPipeline.ResponseTimeoutHandler);
            return Mono.just(new Attempt(conn, h, spec.idleReadTimeout()));
        }
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
