package io.transflux.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PipelineSpecTest {

    private final StageRegistry registry = TestStages.registry();

    @Test
    void parsesStagesSeparatedByBars() {
        Pipeline p = Pipeline.parse("test/upper|test/repeat,n_3", registry);

        assertThat(p.operators()).extracting(Operator::name).containsExactly("test/upper", "test/repeat");
        assertThat(p.toString()).isEqualTo("test/upper|test/repeat,n_3");
    }

    @Test
    void toStringParsesBackToAnEqualPipeline() {
        Pipeline p = Pipeline.parse(" test/repeat,n_2 | test/upper ", registry);

        assertThat(p.toString()).isEqualTo("test/repeat|test/upper");
        assertThat(Pipeline.parse(p.toString(), registry)).isEqualTo(p).hasSameHashCodeAs(p);
    }

    @Test
    void blankSpecIsTheEmptyPipeline() {
        assertThat(Pipeline.parse("", registry)).isEqualTo(Pipeline.empty());
        assertThat(Pipeline.parse("   ", registry).isEmpty()).isTrue();
        assertThat(Pipeline.empty().toString()).isEmpty();
    }

    @Test
    void unknownStageNamesTheStagesThatExist() {
        assertThatThrownBy(() -> Pipeline.parse("test/lower", registry))
                .isInstanceOf(PipelineSpecException.class)
                .hasMessage("unknown stage 'test/lower': expected one of [test/repeat, test/upper]")
                .extracting(e -> ((PipelineException) e).code()).isEqualTo(ErrorCode.INVALID_PIPELINE_SPEC);
    }

    @Test
    void badParameterNamesStageParameterAndAllowedRange() {
        assertThatThrownBy(() -> Pipeline.parse("test/repeat,n_9", registry))
                .isInstanceOf(PipelineSpecException.class)
                .hasMessage("stage test/repeat: parameter n: actual 9, expected an integer in [1, 8]");
        assertThatThrownBy(() -> Pipeline.parse("test/repeat,n_x", registry))
                .hasMessage("stage test/repeat: parameter n: actual 'x', expected an integer in [1, 8]");
    }

    @Test
    void unknownParameterNamesTheKnownOnes() {
        assertThatThrownBy(() -> Pipeline.parse("test/repeat,m_2", registry))
                .hasMessage("stage test/repeat: unknown parameter 'm', expected one of [n]");
    }

    @Test
    void malformedSpecsFailAtParseTime() {
        assertThatThrownBy(() -> Pipeline.parse("test/upper||test/upper", registry))
                .hasMessage("empty stage: expected category/action");
        assertThatThrownBy(() -> Pipeline.parse("upper", registry))
                .hasMessageContaining("expected category/action");
        assertThatThrownBy(() -> Pipeline.parse("test/repeat,,n_2", registry))
                .hasMessageContaining("empty parameter");
        assertThatThrownBy(() -> Pipeline.parse("Test/upper", registry))
                .hasMessageContaining("category 'Test'");
    }

    @Test
    void stageSpecKeepsOssStyleActionsAndBareValues() {
        StageSpec s = StageSpec.parse("image/resize,m_lfit,w_200,h_200/quality,q_80/format,webp");

        assertThat(s.category()).isEqualTo("image");
        assertThat(s.name()).isEqualTo("image/resize/quality/format");
        assertThat(s.actions().get(0).get("m")).contains("lfit");
        assertThat(s.actions().get(2).bareValues()).containsExactly("webp");
        assertThat(StageSpec.parse(s.toString())).isEqualTo(s);
        assertThat(s.toString()).isEqualTo("image/resize,m_lfit,w_200,h_200/quality,q_80/format,webp");
    }

    @Test
    void valuesSplitAtTheFirstUnderscoreOnly() {
        StageSpec s = StageSpec.parse("sys/saveas,o_a2V5X2_xvZw,b_YnVj");

        assertThat(s.action().get("o")).contains("a2V5X2_xvZw");
        assertThat(s.toString()).isEqualTo("sys/saveas,o_a2V5X2_xvZw,b_YnVj");
    }

    @Test
    void parameterGivenTwiceIsAnError() {
        assertThatThrownBy(() -> Pipeline.parse("test/repeat,n_2,n_3", registry))
                .hasMessage("stage test/repeat: parameter n: parameter given twice");
    }

    @Test
    void builtInCodeAndParsedPipelinesCompose() {
        Pipeline a = Pipeline.parse("test/upper", registry);
        Pipeline b = Pipeline.empty().then(registry.create(StageSpec.parse("test/upper")));

        assertThat(a).isEqualTo(b);
        assertThat(a.then(b).toString()).isEqualTo("test/upper|test/upper");
    }

    @Test
    void conflictingProvidersAreRefused() {
        StageProvider other = new StageProvider() {
            @Override
            public String category() {
                return "test";
            }

            @Override
            public java.util.Set<String> actions() {
                return java.util.Set.of("upper");
            }

            @Override
            public Operator create(StageSpec spec) {
                throw new UnsupportedOperationException();
            }
        };
        assertThatThrownBy(() -> registry.with(other))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stage test/upper is provided by both");
    }
}
