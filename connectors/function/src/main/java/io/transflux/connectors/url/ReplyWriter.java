package io.transflux.connectors.url;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;

import io.transflux.connectors.ObjectResponse;
import io.transflux.connectors.ResponseWriter;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

/**
 * The function core's {@link ResponseWriter} for a function URL: the one {@link ObjectResponse} becomes the
 * {@link HttpReply} handed to the runtime, whose streamed body completes the write. The ETag is the derived one
 * (the core drops the source's after a transform), Cache-Control the configured one, errors an S3 XML document.
 */
final class ReplyWriter implements ResponseWriter {

    private final MonoSink<HttpReply> sink;
    private final EtagGate gate;
    private final UrlFunctionSpec spec;
    private final String requestId;
    private final java.util.concurrent.atomic.AtomicBoolean wrote = new java.util.concurrent.atomic.AtomicBoolean();

    ReplyWriter(MonoSink<HttpReply> sink, EtagGate gate, UrlFunctionSpec spec, String requestId) {
        this.sink = sink;
        this.gate = gate;
        this.spec = spec;
        this.requestId = requestId;
    }

    /** Whether the core has handed over its answer. */
    boolean wrote() {
        return wrote.get();
    }

    @Override
    public Mono<Void> write(ObjectResponse r) {
        wrote.set(true);
        if (r.status() >= 400) {
            ObjectUrlFunction.cancel(r.body());
            sink.success(ObjectUrlFunction.errorReply(r.status(), r.errorCode(), r.errorMessage(), requestId, false));
            return Mono.empty();
        }
        Map<String, String> h = new LinkedHashMap<>();
        if (r.status() == 304) {
            ObjectUrlFunction.cancel(r.body());
            String tag = r.metadata().eTag();
            putIfPresent(h, "ETag", tag != null ? tag : gate.derivedETag());
            putIfPresent(h, "Cache-Control", spec.cacheControl());
            if (r.metadata().lastModified() != null) {
                h.put("Last-Modified", io.transflux.connectors.http.HttpDate.format(r.metadata().lastModified()));
            }
            sink.success(new HttpReply(304, h, Flux.empty()));
            return Mono.empty();
        }
        h.putAll(r.forwardedHeaders());
        h.remove("ETag");
        putIfPresent(h, "ETag", gate.derivedETag());
        if (spec.cacheControl() != null) {
            h.put("Cache-Control", spec.cacheControl());
        }
        if (r.contentLength().isPresent()) {
            h.put("Content-Length", Long.toString(r.contentLength().getAsLong()));
        }
        if (r.checksumHeader() != null) {
            h.put(r.checksumHeader().getKey(), r.checksumHeader().getValue());
        }
        h.putIfAbsent("Content-Type", "application/octet-stream");
        Sinks.Empty<Void> done = Sinks.empty();
        Flux<ByteBuffer> body = r.body()
                .doOnComplete(done::tryEmitEmpty)
                .doOnError(done::tryEmitError)
                .doOnCancel(() -> done.tryEmitError(new CancellationException("the caller stopped reading")));
        sink.success(new HttpReply(r.status(), h, body));
        return done.asMono();
    }

    @Override
    public String checksumHeaderName(String algorithmId) {
        return "x-amz-checksum-" + algorithmId;
    }

    private static void putIfPresent(Map<String, String> h, String name, @Nullable String value) {
        if (value != null) {
            h.put(name, value);
        }
    }
}
