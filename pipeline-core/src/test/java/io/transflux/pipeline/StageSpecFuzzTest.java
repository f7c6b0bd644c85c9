package io.transflux.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the stage grammar ({@code category/action,key_value/action...}): any text either parses
 * or fails with {@link PipelineSpecException}, and what parses prints back to an equal spec. Seeds in
 * {@code StageSpecFuzzTestInputs/}; how to fuzz for longer: docs/fuzzing.md.
 */
class StageSpecFuzzTest {

    /** Pipeline specs come from a header or an event field; 8 KiB is far beyond any real one. */
    private static final int MAX_INPUT = 8 * 1024;

    @FuzzTest(maxDuration = "2m")
    void parsesOrRejectsWithSpecError(byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        String text = new String(input, StandardCharsets.UTF_8);
        StageSpec spec;
        try {
            spec = StageSpec.parse(text);
        } catch (PipelineSpecException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return;
        }
        assertThat(StageSpec.parse(spec.toString())).isEqualTo(spec);
        assertThat(spec.name()).startsWith(spec.category() + "/");
    }
}
