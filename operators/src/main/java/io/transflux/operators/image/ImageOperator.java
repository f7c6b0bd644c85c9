package io.transflux.operators.image;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import io.transflux.operators.image.ImageAction.OutputFormat;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.StageSpec;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The Reactor adapter around {@link ImageJob}: collects the source up to the byte limit, runs the job on a
 * bounded worker, and emits the encoded image in chunks of at most {@link Limits#maxChunkBytes()}.
 */
final class ImageOperator implements Operator {

    /** Upstream demand while collecting, so a network source keeps its backpressure. */
    private static final int COLLECT_PREFETCH = 8;

    private final ImageRequest request;
    private final ImageLimits imageLimits;
    private final Scheduler scheduler;
    private final AtomicInteger openReaders;

    ImageOperator(ImageRequest request, ImageLimits imageLimits, Scheduler scheduler, AtomicInteger openReaders) {
        this.request = request;
        this.imageLimits = imageLimits;
        this.scheduler = scheduler;
        this.openReaders = openReaders;
    }

    @Override
    public StageSpec spec() {
        return request.spec();
    }

    @Override
    public ObjectStream apply(ObjectStream input, Limits limits) {
        Flux<ByteBuffer> content = process(input, limits).flatMapMany(ObjectStream::content);
        return ObjectStream.of(content, assemblyMetadata(input.metadata()));
    }

    /**
     * Metadata known before the image is processed: Content-Encoding and Content-Length dropped, Content-Type
     * from {@code format} or {@code info}, otherwise unknown (the source format is only known once sniffed).
     */
    private ObjectMetadata assemblyMetadata(ObjectMetadata in) {
        OutputFormat declared = request.declaredFormat();
        @Nullable String type = request.isInfo() ? ImageInfo.CONTENT_TYPE
                : declared == null ? null : declared.contentType();
        return in.toBuilder().contentEncoding(null).unknownContentLength().contentType(type).build();
    }

    /** The processed object with exact metadata, available once the image has been encoded. */
    Mono<ObjectStream> process(ObjectStream input, Limits limits) {
        ObjectMetadata in = input.metadata();
        OptionalLong declared = in.contentLength();
        long max = imageLimits.maxSourceBytes();
        Mono<SourceBuffer> source;
        if (declared.isPresent() && declared.getAsLong() > max) {
            source = Mono.error(SourceBuffer.tooLarge(max, declared.getAsLong()));
        } else {
            source = input.content().limitRate(COLLECT_PREFETCH)
                    .collect(() -> new SourceBuffer(declared.orElse(-1), max), SourceBuffer::append);
        }
        return source.flatMap(buf -> Mono.using(
                        () -> new ImageJob(request, buf.data(), buf.size(), imageLimits, openReaders),
                        job -> Mono.fromCallable(job::run).subscribeOn(scheduler),
                        ImageJob::abort))
                .map(result -> {
                    ObjectMetadata meta = in.toBuilder().contentEncoding(null).contentLength(result.length())
                            .contentType(result.contentType()).build();
                    Flux<ByteBuffer> bytes = Flux.defer(() -> Flux.just(
                            ByteBuffer.wrap(result.bytes(), 0, result.length()).slice()));
                    return ObjectStream.of(
                            io.transflux.pipeline.ByteStreams.rechunk(bytes, limits.maxChunkBytes()), meta);
                });
    }

    @Override
    public String toString() {
        return request.spec().toString();
    }
}
