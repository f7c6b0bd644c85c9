package io.transflux.connectors;

import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.StageSpec;
import reactor.core.publisher.Flux;

/** Operators for connector tests: a length-hiding identity and stages that fail before or after bytes. */
public final class TestStages {

    private TestStages() {
    }

    /** Identity bytes, but the transformed length is unknown (like decompression). */
    public static Pipeline unknownLength() {
        return Pipeline.of(Operator.of(StageSpec.parse("test/unknownlength"),
                (s, l) -> s.mapMetadata(b -> b.unknownContentLength())));
    }

    /** Fails as corrupt input once {@code after} bytes have passed (0: before the first byte). */
    public static Pipeline failAfter(long after) {
        return Pipeline.of(Operator.of(StageSpec.parse("test/failafter"), (s, l) -> s
                .mapMetadata(b -> b.unknownContentLength())
                .mapContent(c -> Flux.defer(() -> {
                    long[] seen = {0};
                    return c.handle((buf, sink) -> {
                        if (seen[0] + buf.remaining() > after) {
                            sink.error(new DecompressionException("test: corrupt after " + after + " bytes"));
                            return;
                        }
                        seen[0] += buf.remaining();
                        sink.next(buf);
                    });
                }))));
    }
}
