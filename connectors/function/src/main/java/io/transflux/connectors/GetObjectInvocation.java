package io.transflux.connectors;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.transflux.connectors.InvocationOutcome.Delivery;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.internal.spool.Spool;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One GetObject invocation of an {@link ObjectLambdaFunction}: per-call state (counters, whether the WGOR
 * began) and the decision tree from source to WGOR. The status is chosen only once {@link #COMMIT_BYTES} of
 * transformed output exist or the output ended, so a pipeline failing before that still gets an error status.
 */
final class GetObjectInvocation {

    /**
     * Output held before the status is committed (8 MiB): a failure inside it, such as a limit reached early,
     * is answered with its own status instead of a started 200. Bounded: at most this plus one chunk in memory.
     */
    static final long COMMIT_BYTES = 8L * 1024 * 1024;

    private final ObjectLambdaFunction fn;
    private final GetObjectRequest req;
    private final ResponseWriter writer;
    private final long startNanos = System.nanoTime();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicBoolean wgorStarted = new AtomicBoolean();
    private final AtomicBoolean bodyFailed = new AtomicBoolean();
    private volatile int status;
    private volatile @Nullable OutputChecksum checksum;

    GetObjectInvocation(ObjectLambdaFunction fn, GetObjectRequest req, ResponseWriter writer) {
        this.fn = fn;
        this.req = req;
        this.writer = writer;
    }

    Mono<InvocationOutcome> run() {
        RangeRequest range;
        try {
            range = RangeRequest.parse(req.range(), req.partNumber(), fn.partSize);
        } catch (RuntimeException e) {
            return answerError(e);
        }
        ChecksumDelivery delivery = effectiveDelivery();
        return Mono.defer(() -> fn.sourceOpener.get(req.sourceUrl(), req.sourceHeaders()).open())
                .flatMap(src -> respond(src, range, delivery))
                .then(Mono.fromCallable(() -> outcome(status, null, Delivery.SENT)))
                .onErrorResume(e -> {
                    if (!wgorStarted.get()) {
                        return answerError(e);
                    }
                    Delivery d = bodyFailed.get() ? Delivery.ABORTED : Delivery.FAILED;
                    return Mono.just(outcome(status, ErrorMapping.map(e).code(), d));
                });
    }

    private ChecksumDelivery effectiveDelivery() {
        ChecksumDelivery d = fn.checksumDelivery;
        if (d == ChecksumDelivery.AUTO) {
            d = req.checksumRequested() ? ChecksumDelivery.HEADER : ChecksumDelivery.NONE;
        }
        if (d == ChecksumDelivery.TRAILER && writer.requiresContentLength()) {
            return ChecksumDelivery.HEADER;
        }
        return d;
    }

    private Mono<Void> respond(ObjectStream src, @Nullable RangeRequest range, ChecksumDelivery delivery) {
        ObjectStream observed = src.mapContent(c -> c.doOnNext(b -> bytesIn.addAndGet(b.remaining())));
        // Counting leaves the bytes as they are, so the source's range reader still fits them.
        ObjectStream out = fn.pipeline.apply(src.rangeReader().map(observed::withRangeReader).orElse(observed),
                fn.limits);
        ObjectMetadata meta = out.metadata();
        OptionalLong total = meta.contentLength();
        Flux<ByteBuffer> content = out.content();

        if (range != null && total.isEmpty()) {
            if (range.needsTotal()) {
                return withSpool(content, sp -> {
                    RangeRequest.Slice s = range.resolve(sp.length());
                    return sendSpooled(sp, s.start(), s.length(), head(206, meta, range, s, OptionalLong.of(sp.length())),
                            delivery);
                });
            }
            long[] seen = {0};
            boolean[] ended = {false};
            Flux<ByteBuffer> counted = content.doOnNext(b -> seen[0] += b.remaining()).doOnComplete(() -> ended[0] = true);
            return withSpool(ByteSlicer.slice(counted, range.first, range.last - range.first + 1), sp -> {
                OptionalLong t = ended[0] ? OptionalLong.of(seen[0]) : OptionalLong.empty();
                if (sp.length() == 0) {
                    throw RangeRequest.unsatisfiable(t);
                }
                RangeRequest.Slice s = new RangeRequest.Slice(range.first, sp.length());
                return sendSpooled(sp, 0, sp.length(), head(206, meta, range, s, t), delivery);
            });
        }

        ObjectResponse.Builder head;
        Flux<ByteBuffer> body;
        long length;
        if (range != null) {
            RangeRequest.Slice s;
            try {
                s = range.resolve(total.getAsLong());
            } catch (RuntimeException e) {
                ByteSlicer.cancel(content);
                throw e;
            }
            head = head(206, meta, range, s, total);
            body = ByteSlicer.slice(content, s.start(), s.length());
            length = s.length();
        } else {
            head = head(200, meta, null, null, total);
            body = content;
            length = total.orElse(-1);
        }
        if (delivery == ChecksumDelivery.HEADER || (writer.requiresContentLength() && length < 0)) {
            return withSpool(body, sp -> sendSpooled(sp, 0, sp.length(), head, delivery));
        }
        return send(head.contentLength(length), body, delivery);
    }

    private ObjectResponse.Builder head(int st, ObjectMetadata meta, @Nullable RangeRequest range,
            RangeRequest.@Nullable Slice slice, OptionalLong total) {
        ObjectMetadata forwarded = meta.toBuilder().unknownContentLength()
                .eTag(fn.pipeline.isEmpty() ? meta.eTag() : null).build();
        ObjectResponse.Builder b = ObjectResponse.builder(st).metadata(forwarded).acceptRanges(true);
        if (range != null && slice != null) {
            b.contentRange(RangeRequest.contentRange(slice.start(), slice.length(), total));
            if (range.kind == RangeRequest.Kind.PART && total.isPresent()) {
                b.partsCount(range.partsCount(total.getAsLong()));
            }
        }
        return b;
    }

    private Mono<Void> withSpool(Flux<ByteBuffer> content, java.util.function.Function<Spool, Mono<Void>> use) {
        return Mono.usingWhen(Spool.write(content, fn.spoolDirectory, "transflux-spool-", fn.maxSpoolBytes,
                        "raise it with ObjectLambdaFunction.builder().maxSpoolBytes(..) or the access point payload's "
                                + "\"maxSpoolBytes\""),
                sp -> Mono.defer(() -> use.apply(sp)),
                Spool::closeAsync,
                (sp, e) -> sp.closeAsync(),
                Spool::closeAsync);
    }

    private Mono<Void> sendSpooled(Spool sp, long start, long length, ObjectResponse.Builder head,
            ChecksumDelivery delivery) {
        int chunk = fn.limits.maxChunkBytes();
        if (delivery != ChecksumDelivery.HEADER) {
            return send(head.contentLength(length), sp.content(start, length, chunk), delivery);
        }
        OutputChecksum pre = new OutputChecksum(fn.checksumAlgorithm);
        return pre.observe(sp.content(start, length, chunk)).then(pre.result())
                .flatMap(v -> send(head.contentLength(length)
                                .checksumHeader(Map.entry(writer.checksumHeaderName(fn.checksumAlgorithm), v)),
                        sp.content(start, length, chunk), delivery));
    }

    private Mono<Void> send(ObjectResponse.Builder head, Flux<ByteBuffer> body, ChecksumDelivery delivery) {
        OutputChecksum ck = new OutputChecksum(fn.checksumAlgorithm);
        checksum = ck;
        if (delivery == ChecksumDelivery.TRAILER) {
            head.contentLength(-1).checksumTrailer(writer.checksumHeaderName(fn.checksumAlgorithm), ck.result());
        }
        int st = head.build().status();
        Flux<ByteBuffer> observed = ck.observe(body)
                .doOnNext(b -> bytesOut.addAndGet(b.remaining()))
                .doOnError(e -> bodyFailed.set(true));
        // Hold up to COMMIT_BYTES of output before the status goes out: a limit or error inside them still
        // gets a clean error status; past them, the body is streamed and a failure aborts the WGOR.
        long[] held = {0};
        Flux<java.util.List<ByteBuffer>> batches = observed.bufferUntil(b -> (held[0] += b.remaining()) >= COMMIT_BYTES);
        return batches.switchOnFirst((sig, rest) -> {
            if (sig.isOnError()) {
                Throwable t = sig.getThrowable();
                bodyFailed.set(false);
                return Mono.error(t == null ? new IllegalStateException("error signal without error") : t);
            }
            status = st;
            wgorStarted.set(true);
            return writer.write(head.body(rest.concatMapIterable(l -> l)).build());
        }).then();
    }

    private Mono<InvocationOutcome> answerError(Throwable e) {
        ErrorReply r = ErrorMapping.map(e);
        ObjectResponse.Builder b = ObjectResponse.builder(r.status());
        if (r.code() != null) {
            b.error(r.code(), r.message() == null ? "" : r.message());
        }
        Throwable cause = reactor.core.Exceptions.unwrap(e);
        if (cause instanceof RangeRequest.RangeNotSatisfiable rn && rn.total().isPresent()) {
            b.contentRange("bytes */" + rn.total().getAsLong());
        }
        if (r.status() == 304 && cause instanceof io.transflux.pipeline.SourceException se) {
            // RFC 9110 §15.4.5: a 304 carries the validators a 200 would have.
            b.metadata(ObjectMetadata.builder().eTag(se.validators().get("ETag"))
                    .lastModified(io.transflux.connectors.http.HttpDate.parse(se.validators().get("Last-Modified")))
                    .build());
        }
        wgorStarted.set(true);
        status = r.status();
        return writer.write(b.build())
                .then(Mono.fromCallable(() -> outcome(r.status(), r.code(), Delivery.SENT)))
                .onErrorResume(we -> Mono.just(outcome(r.status(), r.code(), Delivery.FAILED)));
    }

    private InvocationOutcome outcome(int st, @Nullable String code, Delivery d) {
        OutputChecksum ck = checksum;
        Map<String, String> sums = ck == null ? Map.of() : ck.valueIfDone();
        return new InvocationOutcome(st, code, d, bytesIn.get(), bytesOut.get(), sums,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
