package io.transflux.pipeline.checksum;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Several checksums computed in one pass: the synchronous core of a {@link ChecksumTap}, with no Reactor types.
 * Each buffer is read once per algorithm, through a duplicate, and never modified. Used from one thread at a
 * time; {@link #finish()} ends it.
 */
final class MultiChecksum {

    private final StreamingChecksum[] checksums;
    private long bytes;
    private boolean finished;

    MultiChecksum(Collection<ChecksumAlgorithm> algorithms) {
        checksums = algorithms.stream().map(StreamingChecksum::create).toArray(StreamingChecksum[]::new);
    }

    void update(ByteBuffer buffer) {
        if (finished) {
            throw new IllegalStateException("checksums already finished; update after finish");
        }
        for (StreamingChecksum c : checksums) {
            c.update(buffer);
        }
        bytes += buffer.remaining();
    }

    /** The number of bytes seen so far. */
    long bytes() {
        return bytes;
    }

    /** The values in the order the algorithms were given; unmodifiable. Callable once. */
    Map<ChecksumAlgorithm, ChecksumValue> finish() {
        if (finished) {
            throw new IllegalStateException("checksums already finished; finish called twice");
        }
        finished = true;
        Map<ChecksumAlgorithm, ChecksumValue> out = new LinkedHashMap<>();
        for (StreamingChecksum c : checksums) {
            out.put(c.algorithm(), ChecksumValue.of(c.algorithm(), c.finish()));
        }
        return Collections.unmodifiableMap(out);
    }
}
