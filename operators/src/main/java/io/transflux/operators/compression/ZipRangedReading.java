package io.transflux.operators.compression;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.reactivestreams.Subscription;

import org.apache.commons.compress.archivers.zip.ZipMethod;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.RangeReader;
import io.transflux.pipeline.UnsupportedFormatException;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code decompress/zip} when the input has a {@link RangeReader}: the sequential content is cancelled at once,
 * then a bounded tail read finds the end record, the central directory is read with one ranged read once its
 * declared size and entry count are within limits, overlapping entries are refused, and exactly the chosen
 * entry's compressed bytes are read and decoded: STORED passes through, DEFLATED goes through the push
 * inflater, Deflate64 and BZIP2 through commons-compress on the bridge. Every read is demand-driven; no step
 * blocks.
 */
final class ZipRangedReading {

    private static final int[] METHODS = {0, 8, 9, 12};

    private ZipRangedReading() {
    }

    static Flux<ByteBuffer> decode(Flux<ByteBuffer> content, RangeReader reader, DecodeSpec spec, DecodeLimits limits,
            Scheduler worker) {
        return Flux.defer(() -> {
            content.subscribe(new Cancelling());
            return directory(reader, spec).flatMapMany(d -> spec.list ? list(d.entries())
                    : entry(reader, d, spec, limits, worker));
        });
    }

    record Directory(ZipCentralDirectory.Location location, List<ZipCentralDirectory.Entry> entries) {
    }

    static Mono<Directory> directory(RangeReader reader, DecodeSpec spec) {
        long size = reader.size();
        long tailStart = Math.max(0, size - ZipCentralDirectory.MAX_TAIL_BYTES);
        return bytes(reader, tailStart, size)
                .map(tail -> ZipCentralDirectory.locate(tail, size))
                .flatMap(l -> l.zip64Offset() < 0 ? Mono.just(l)
                        : bytes(reader, l.zip64Offset(), l.zip64Offset() + ZipCentralDirectory.ZIP64_EOCD_BYTES)
                                .map(r -> ZipCentralDirectory.applyZip64(l, r)))
                .flatMap(l -> {
                    ZipCentralDirectory.checkLimits(l, spec.maxCdBytes, spec.maxEntries);
                    return bytes(reader, l.cdOffset(), l.cdOffset() + l.cdSize()).map(cd -> {
                        List<ZipCentralDirectory.Entry> entries = ZipCentralDirectory.parse(cd, l, spec.maxEntries);
                        ZipCentralDirectory.checkNoOverlap(entries, l);
                        return new Directory(l, entries);
                    });
                });
    }

    private static Flux<ByteBuffer> entry(RangeReader reader, Directory d, DecodeSpec spec, DecodeLimits limits,
            Scheduler worker) {
        ZipCentralDirectory.Entry e = ZipCentralDirectory.choose(d.entries(), spec.entryName);
        checkReadable(e);
        long boundary = ZipCentralDirectory.boundaryAfter(d.entries(), e, d.location());
        long headerEnd = Math.min(boundary, e.localHeaderOffset() + ZipCentralDirectory.LOCAL_HEADER_BYTES);
        return bytes(reader, e.localHeaderOffset(), headerEnd)
                .map(h -> ZipCentralDirectory.dataOffset(e, h, boundary))
                .flatMapMany(start -> {
                    Flux<ByteBuffer> data = reader.read(start, start + e.compressedSize());
                    int chunk = limits.chunkBytes;
                    return switch (e.method()) {
                        case 0 -> PushDecoding.decode(data, () -> new ZipStoredDecoder(e, chunk), limits);
                        case 8 -> PushDecoding.decode(data, () -> new ZipInflateDecoder(e, chunk), limits);
                        default -> PullDecoding.decode(data, bridge -> new ZipEntryStreamReader(bridge, e), limits, worker);
                    };
                });
    }

    private static void checkReadable(ZipCentralDirectory.Entry e) {
        if (e.encrypted()) {
            throw new UnsupportedFormatException("zip: entry '" + e.name() + "' is encrypted; encrypted entries are not"
                    + " supported");
        }
        for (int m : METHODS) {
            if (m == e.method()) {
                return;
            }
        }
        ZipMethod m = ZipMethod.getMethodByCode(e.method());
        throw new UnsupportedFormatException("zip: entry '" + e.name() + "' uses compression method " + e.method()
                + (m == null ? "" : " (" + m.name() + ")") + "; supported: STORED, DEFLATED, DEFLATE64 (ENHANCED_DEFLATED), BZIP2");
    }

    /** The listing from the central directory alone: one small buffer per entry, as demand arrives. */
    private static Flux<ByteBuffer> list(List<ZipCentralDirectory.Entry> entries) {
        return Flux.range(0, entries.size() + 1).map(i -> {
            StringBuilder json = new StringBuilder();
            if (i == 0) {
                json.append("{\"entries\":[");
            }
            if (i == entries.size()) {
                json.append("]}\n");
            } else {
                if (i > 0) {
                    json.append(',');
                }
                appendEntry(json, entries.get(i));
            }
            return ByteBuffer.wrap(json.toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    private static void appendEntry(StringBuilder json, ZipCentralDirectory.Entry e) {
        json.append("{\"name\":");
        ZipEntryReader.quote(json, e.name());
        json.append(",\"directory\":").append(e.isDirectory());
        json.append(",\"method\":");
        ZipMethod m = ZipMethod.getMethodByCode(e.method());
        ZipEntryReader.quote(json, m == null ? Integer.toString(e.method()) : m.name());
        json.append(",\"encrypted\":").append(e.encrypted());
        json.append(",\"size\":").append(e.size());
        json.append(",\"compressedSize\":").append(e.compressedSize());
        json.append(",\"crc32\":");
        if (e.isDirectory()) {
            json.append("null"); // no data, as in the streamed listing
        } else {
            ZipEntryReader.quote(json, String.format("%08x", e.crc()));
        }
        json.append('}');
    }

    /** Bytes {@code [start, end)}; callers only ask for ranges whose size they have bounded. */
    private static Mono<byte[]> bytes(RangeReader reader, long start, long end) {
        return ByteStreams.toBytes(reader.read(start, end));
    }

    /** Cancels the sequential content as soon as it is subscribed, releasing its connection or file. */
    private static final class Cancelling extends BaseSubscriber<ByteBuffer> {
        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.cancel();
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            // the content is not used: its failure (a source that failed before any byte) is not ours to report
        }
    }
}
