package io.transflux.operators.compression;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.RangeReader;
import io.transflux.pipeline.StageSpec;
import io.transflux.pipeline.UnsupportedFormatException;
import io.transflux.pipeline.internal.timeout.StreamTimeout;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One {@code decompress/<action>} stage: picks the codec (or sniffs it for {@code auto}), fixes the metadata
 * and wraps the content in the codec's adapter, the idle watchdog and the deadline.
 */
final class DecompressionOperator implements Operator {

    private final DecodeSpec spec;
    private final StageSpec stageSpec;
    private final @Nullable Format format;
    private final Scheduler worker;

    DecompressionOperator(DecodeSpec spec, @Nullable Format format, Scheduler worker) {
        this.spec = spec;
        this.stageSpec = spec.toStageSpec();
        this.format = format;
        this.worker = worker;
        if (format == null || format == Format.ZSTD) {
            ZstdAvailability.ensureAvailable();
        }
        if (format == null || format == Format.SNAPPY) {
            SnappyAvailability.ensureAvailable();
        }
    }

    DecompressionOperator(DecodeSpec spec, @Nullable Format format) {
        this(spec, format, Schedulers.boundedElastic());
    }

    @Override
    public StageSpec spec() {
        return stageSpec;
    }

    @Override
    public ObjectStream apply(ObjectStream input, Limits limits) {
        DecodeLimits decodeLimits = new DecodeLimits(spec.action, spec, limits);
        RangeReader ranges = input.rangeReader().orElse(null);
        Flux<ByteBuffer> content = format == Format.ZIP && ranges != null
                ? ZipRangedReading.decode(input.content(), ranges, spec, decodeLimits, worker)
                : format != null
                ? decode(input.content(), format, decodeLimits)
                : FormatSniffer.sniff(input.content(), (first, flux) -> {
                    Format f = first != null ? Format.sniff(first, first.length) : null;
                    if (f == null) {
                        f = Format.fromContentEncoding(input.metadata().contentEncoding());
                    }
                    if (f == null) {
                        f = Format.fromName(input.metadata().key());
                    }
                    if (f == null) {
                        if (spec.unknownFail) {
                            return Flux.error(new UnsupportedFormatException("decompress/auto: unknown format"
                                    + (first == null ? " (empty input)" : ": first bytes " + hex(first))
                                    + ", no Content-Encoding or key extension to go by; expected one of gzip, zlib, "
                                    + "bzip2, zstd, snappy (framed or xerial), zip"));
                        }
                        return flux;
                    }
                    return decode(flux, f, decodeLimits.forFormat(f.action()));
                });
        content = guard(content, decodeLimits);
        return ObjectStream.of(content, metadata(input.metadata()));
    }

    private Flux<ByteBuffer> decode(Flux<ByteBuffer> content, Format f, DecodeLimits limits) {
        int chunk = limits.chunkBytes;
        boolean trailing = limits.trailingIgnore;
        return switch (f) {
            case GZIP -> PushDecoding.decode(content, () -> new GzipDecoder(chunk, trailing), limits);
            case ZLIB -> PushDecoding.decode(content, () -> new ZlibDecoder(chunk, spec.raw, trailing), limits);
            case ZSTD -> PushDecoding.decode(content, () -> new ZstdDecoder(chunk, spec.windowLogMax, trailing), limits);
            case SNAPPY -> switch (spec.snappyVariant) {
                case FRAMED -> PushDecoding.decode(content, () -> new SnappyFramedDecoder(chunk), limits);
                case XERIAL -> PushDecoding.decode(content, () -> new SnappyXerialDecoder(chunk, false), limits);
                case RAW -> PushDecoding.decode(content, () -> new SnappyXerialDecoder(chunk, true), limits);
            };
            case SNAPPY_XERIAL -> PushDecoding.decode(content, () -> new SnappyXerialDecoder(chunk, false), limits);
            // decode() may wait for its block workers, so it runs on the worker, never on the input's thread
            case BZIP2 -> PullDecoding.decode(content, bridge -> new ChunkDecoderReader(bridge,
                    new Bzip2Decoder(chunk, trailing, Bzip2Decoder.DEFAULT_PARALLELISM)), limits, worker);
            case ZIP -> PullDecoding.decode(content,
                    bridge -> new ZipEntryReader(bridge, spec.entryName, spec.list, spec.maxEntries, limits), limits, worker);
        };
    }

    /**
     * The no-progress watchdog and the deadline, so the stage is bounded even outside a Pipeline: one
     * {@link StreamTimeout} per subscription (one task each, no polling; elements only store a timestamp). The
     * watchdog counts only while downstream demand is outstanding: a subscriber that stops requesting (a slow caller
     * socket) is backpressure, not a stalled decoder. Pending timers are disposed on a worker so the thread
     * delivering data never touches the timer queue.
     */
    private static Flux<ByteBuffer> guard(Flux<ByteBuffer> content, DecodeLimits limits) {
        if (limits.idle.isZero() && limits.deadline.isZero()) {
            return content;
        }
        return StreamTimeout.none()
                .deadline(limits.deadline, elapsedMillis -> new LimitExceededException("deadline",
                        limits.deadline.toMillis(), elapsedMillis, "ms",
                        limits.format + ": raise it with Limits.builder().deadline(..) or --deadline"))
                .idle(limits.idle, limits::idleExceeded)
                .disposeOn(Schedulers.boundedElastic())
                .apply(content);
    }

    private ObjectMetadata metadata(ObjectMetadata in) {
        ObjectMetadata.Builder b = in.toBuilder().contentEncoding(null).unknownContentLength();
        if (spec.list) {
            return b.contentType("application/json").build();
        }
        Format f = format;
        String key = in.key();
        if (f == null) {
            f = Format.fromContentEncoding(in.contentEncoding());
            if (f == null) {
                f = Format.fromName(key);
            }
            if (f == null && !MediaTypeTable.isCompressedType(in.contentType())) {
                return b.build();
            }
        }
        String inner;
        if (f == Format.ZIP || (f == null && key != null && key.toLowerCase(java.util.Locale.ROOT).endsWith(".zip"))) {
            inner = spec.entryName;
        } else if (key == null) {
            inner = null;
        } else {
            Format byName = Format.fromName(key);
            inner = byName != null ? byName.innerName(key) : f != null ? f.innerName(key) : key;
        }
        return b.contentType(MediaTypeTable.forName(inner)).build();
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            sb.append(String.format("%02x ", b[i] & 0xff));
        }
        return sb.toString().trim();
    }

    @Override
    public String toString() {
        return stageSpec.toString();
    }
}
