package io.transflux.operators.image;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.StageSpec;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Front door of the image stages: OSS IMG process strings such as
 * {@code image/resize,m_lfit,w_1024,h_1024/quality,Q_80/format,jpg} as {@link Operator}s. See
 * {@code docs/images.md} for every action, parameter, bound and limit.
 */
public final class Images {

    private static final AtomicInteger OPEN_READERS = new AtomicInteger();

    private Images() {
    }

    /** {@link #operator(StageSpec, ImageLimits, Scheduler)} with default limits on {@code boundedElastic}. */
    public static Operator operator(StageSpec spec) {
        return operator(spec, ImageLimits.defaults(), Schedulers.boundedElastic());
    }

    /**
     * An operator for one {@code image/...} stage.
     *
     * <p><b>Backpressure:</b> the source is requested in batches of 8 and collected (the one buffering stage);
     * the encoded image is emitted one chunk per request. <b>Cancellation:</b> cancelling aborts a running
     * decode and disposes the ImageIO reader on the worker as it unwinds; the source is cancelled.
     * <b>Errors:</b> {@link io.transflux.pipeline.PipelineSpecException} here for bad parameters (with the OSS
     * bound); on subscription {@link io.transflux.pipeline.UnsupportedFormatException} (format not allowed),
     * {@link ImageDecodeException} (truncated or corrupt), {@link io.transflux.pipeline.LimitExceededException}
     * (a limit of {@code limits}). <b>Limits:</b> {@code limits} are checked from the header before any raster
     * is allocated; decoding and encoding run on {@code worker}, never on the caller's thread.
     *
     * @param spec   the stage, category {@code image}
     * @param limits the image limits
     * @param worker a bounded scheduler for blocking decode/encode work
     * @return the operator; its {@link Operator#spec()} is {@code spec}
     */
    public static Operator operator(StageSpec spec, ImageLimits limits, Scheduler worker) {
        return new ImageOperator(ImageRequest.parse(Objects.requireNonNull(spec, "spec")),
                Objects.requireNonNull(limits, "limits"), Objects.requireNonNull(worker, "worker"), OPEN_READERS);
    }

    /**
     * Runs {@code operator} (from this class) and yields the output once encoded, with exact metadata:
     * Content-Type of the output format, Content-Length of the encoded bytes, no Content-Encoding. Use it
     * where headers must be sent before the body and must be exact.
     *
     * @throws IllegalArgumentException when {@code operator} is not an image operator
     */
    public static Mono<ObjectStream> process(Operator operator, ObjectStream input, Limits limits) {
        if (!(operator instanceof ImageOperator image)) {
            throw new IllegalArgumentException("operator: actual " + operator.spec() + ", expected an image/... "
                    + "operator from Images");
        }
        return image.process(input, limits);
    }

    /** How many ImageIO readers are open right now, across all image operators (a gauge; 0 when idle). */
    public static int openReaders() {
        return OPEN_READERS.get();
    }
}
