package io.transflux.operators.redact;

import java.util.Set;

import io.transflux.pipeline.Operator;
import io.transflux.pipeline.PipelineSpecException;
import io.transflux.pipeline.StageProvider;
import io.transflux.pipeline.StageSpec;

/** Registers {@code redact/pii} and {@code redact/detect} (see {@code docs/redaction.md}). */
public final class RedactStageProvider implements StageProvider {

    static final String CATEGORY = "redact";

    @Override
    public String category() {
        return CATEGORY;
    }

    @Override
    public Set<String> actions() {
        return Set.of("pii", "detect");
    }

    @Override
    public Operator create(StageSpec spec) {
        if (spec.actions().size() != 1) {
            throw new PipelineSpecException("stage " + spec.name() + ": expected a single action, pii or detect");
        }
        boolean detect = spec.action().name().equals("detect");
        RedactionSpec r = RedactionSpec.fromAction(spec.action(), detect);
        return detect ? Redaction.detect(r) : Redaction.pii(r);
    }
}
