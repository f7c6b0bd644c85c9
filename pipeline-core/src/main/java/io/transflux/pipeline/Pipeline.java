package io.transflux.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

import org.jspecify.annotations.Nullable;

/**
 * An immutable, ordered composition of {@link Operator}s. Build it in code
 * ({@code Pipeline.of(a, b)}, {@code pipeline.then(c)}) or parse it from a spec.
 *
 * <h2>Spec grammar</h2>
 * <pre>
 * pipeline := "" | stage ( "|" stage )*
 * stage    := category "/" action ( "/" action )*
 * action   := name ( "," param )*
 * param    := key "_" value | value
 * </pre>
 * The shape of OSS process strings, e.g.
 * {@code decompress/auto|redact/pii|image/resize,m_lfit,w_200,h_200/quality,q_80}. Unknown stages and bad
 * parameters fail in {@link #parse(String)} with a {@link PipelineSpecException} naming the stage, the
 * parameter and the allowed values. {@link #toString()} gives a spec that parses to an equal pipeline.
 *
 * <p>Two pipelines are equal when their operators' canonical specs are equal, in order.
 */
public final class Pipeline {

    private static final Pipeline EMPTY = new Pipeline(List.of());

    private final List<Operator> operators;

    private Pipeline(List<Operator> operators) {
        this.operators = List.copyOf(operators);
    }

    /** The identity pipeline: bytes and metadata pass unchanged (output limits still apply). */
    public static Pipeline empty() {
        return EMPTY;
    }

    public static Pipeline of(Operator... operators) {
        return new Pipeline(List.of(operators));
    }

    public static Pipeline of(List<? extends Operator> operators) {
        return new Pipeline(new ArrayList<>(operators));
    }

    /** Parses {@code spec} against the {@linkplain StageRegistry#defaultRegistry() default registry}. */
    public static Pipeline parse(String spec) {
        return parse(spec, StageRegistry.defaultRegistry());
    }

    /** Parses {@code spec} against {@code registry}. A blank spec is the empty pipeline. */
    public static Pipeline parse(String spec, StageRegistry registry) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(registry, "registry");
        if (spec.isBlank()) {
            return EMPTY;
        }
        List<Operator> ops = new ArrayList<>();
        for (String stage : spec.split("\\|", -1)) {
            ops.add(registry.create(StageSpec.parse(stage)));
        }
        return new Pipeline(ops);
    }

    /** This pipeline followed by {@code next}. */
    public Pipeline then(Operator next) {
        List<Operator> ops = new ArrayList<>(operators);
        ops.add(Objects.requireNonNull(next, "next"));
        return new Pipeline(ops);
    }

    /** This pipeline followed by every operator of {@code next}. */
    public Pipeline then(Pipeline next) {
        List<Operator> ops = new ArrayList<>(operators);
        ops.addAll(next.operators);
        return new Pipeline(ops);
    }

    public List<Operator> operators() {
        return operators;
    }

    public boolean isEmpty() {
        return operators.isEmpty();
    }

    /** {@link #apply(ObjectStream, Limits)} with {@link Limits#defaults()}. */
    public ObjectStream apply(ObjectStream input) {
        return apply(input, Limits.defaults());
    }

    /**
     * Assembles the output stream: each operator in turn, then the limits.
     *
     * <p><b>Backpressure:</b> demand flows from the subscriber of the result to the source; no stage
     * requests unbounded amounts. <b>Cancellation:</b> cancelling the result cancels every stage and the
     * source, which frees what they hold. <b>Errors:</b> operators fail with {@link PipelineException}
     * subtypes. <b>Limits:</b> chunks are re-sliced to {@link Limits#maxChunkBytes()};
     * more than {@link Limits#maxOutputBytes()} bytes, or a subscription outliving
     * {@link Limits#deadline()}, fails with {@link LimitExceededException}.
     */
    public ObjectStream apply(ObjectStream input, Limits limits) {
        ObjectStream s = input;
        for (Operator op : operators) {
            s = op.apply(s, limits);
        }
        return s.withContent(LimitEnforcer.enforce(s.content(), limits));
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (!(o instanceof Pipeline p) || p.operators.size() != operators.size()) {
            return false;
        }
        for (int i = 0; i < operators.size(); i++) {
            if (!operators.get(i).spec().equals(p.operators.get(i).spec())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Operator op : operators) {
            h = 31 * h + op.spec().hashCode();
        }
        return h;
    }

    /** The canonical spec, e.g. {@code decompress/gzip|redact/pii}; empty for the empty pipeline. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner("|");
        for (Operator op : operators) {
            j.add(op.spec().toString());
        }
        return j.toString();
    }
}
