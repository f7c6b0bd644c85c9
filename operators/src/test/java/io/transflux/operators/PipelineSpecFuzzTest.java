package io.transflux.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.PipelineException;
import io.transflux.pipeline.PipelineSpecException;
import io.transflux.pipeline.UnsupportedFormatException;

/**
 * Fuzz target for whole pipeline specs ({@code stage|stage...}) against the default registry, so every stage
 * provider's parameter parsing (decompress, redact, image) sees the input. Oracle: a pipeline, or
 * {@link PipelineSpecException} / {@link UnsupportedFormatException}; nothing else. Seeds in
 * {@code PipelineSpecFuzzTestInputs/}; how to fuzz for longer: docs/fuzzing.md.
 */
class PipelineSpecFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void buildsPipelineOrRejectsSpec(byte[] input) {
        if (input.length > 8 * 1024) {
            return;
        }
        String spec = new String(input, StandardCharsets.UTF_8);
        try {
            Pipeline p = Pipeline.parse(spec);
            assertThat(p.operators()).isNotNull();
            assertThat(p.toString()).isNotNull();
        } catch (PipelineException e) {
            assertThat(e).isInstanceOfAny(PipelineSpecException.class, UnsupportedFormatException.class);
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
