package io.transflux.pipeline;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Turns one {@link ObjectStream} into another, metadata included: a decompressor, for example, removes
 * the {@code Content-Encoding} and drops a {@code Content-Length} that no longer holds.
 *
 * <p>Implementations are immutable and reusable: {@link #apply} only assembles the stream, and all
 * per-subscription state (native contexts, counters) is created when the content is subscribed to.
 * Content operators follow the buffer rules of {@link ObjectStream}.
 */
public interface Operator {

    /**
     * The canonical spec of this operator, e.g. {@code decompress/zlib,raw_1}. Parsing its text with a
     * registry that knows the stage yields an operator with an equal spec.
     */
    StageSpec spec();

    /** The stable spec name without parameters, e.g. {@code decompress/gzip}. */
    default String name() {
        return spec().name();
    }

    /**
     * Assembles the transformed stream.
     *
     * @param input  the stream to transform
     * @param limits the limits in force; operators take their chunk size and output caps from here
     *               unless their own spec overrides them
     * @return the transformed stream
     */
    ObjectStream apply(ObjectStream input, Limits limits);

    /** {@link #apply(ObjectStream, Limits)} with {@link Limits#defaults()}. */
    default ObjectStream apply(ObjectStream input) {
        return apply(input, Limits.defaults());
    }

    /** An operator from a spec and a function; handy for stages written in application code. */
    static Operator of(StageSpec spec, BiFunction<ObjectStream, Limits, ObjectStream> f) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(f, "f");
        return new Operator() {
            @Override
            public StageSpec spec() {
                return spec;
            }

            @Override
            public ObjectStream apply(ObjectStream input, Limits limits) {
                return f.apply(input, limits);
            }

            @Override
            public String toString() {
                return spec.toString();
            }
        };
    }
}
