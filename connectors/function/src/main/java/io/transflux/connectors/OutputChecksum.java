package io.transflux.connectors;

import java.nio.ByteBuffer;
import java.util.Map;

import io.transflux.pipeline.checksum.ChecksumAlgorithm;
import io.transflux.pipeline.checksum.ChecksumTap;
import io.transflux.pipeline.checksum.ChecksumValue;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The checksum of the bytes one answer returns, in the form the forwarded header carries: Base64 of the
 * big-endian value, except {@code crc64ecma}, which OSS writes as an unsigned decimal. Single use.
 */
final class OutputChecksum {

    private final ChecksumAlgorithm algorithm;
    private final ChecksumTap tap;
    private volatile Map<String, String> value = Map.of();

    OutputChecksum(String algorithmId) {
        this.algorithm = ChecksumAlgorithm.fromId(algorithmId);
        this.tap = ChecksumTap.of(algorithm);
        tap.results().subscribe(m -> value = Map.of(algorithm.id(), format(m.get(algorithm))), e -> { });
    }

    Flux<ByteBuffer> observe(Flux<ByteBuffer> content) {
        return tap.apply(content);
    }

    /** The header value, once the observed stream completed. */
    Mono<String> result() {
        return tap.results().map(m -> format(m.get(algorithm)));
    }

    /** {@code {id: value}} when the stream completed, else empty. */
    Map<String, String> valueIfDone() {
        return value;
    }

    private String format(ChecksumValue v) {
        return algorithm == ChecksumAlgorithm.CRC64ECMA ? v.unsignedDecimal() : v.base64();
    }
}
