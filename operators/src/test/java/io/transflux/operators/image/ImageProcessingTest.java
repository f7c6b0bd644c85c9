package io.transflux.operators.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transflux.operators.image.ImageProcessing.Format;
import io.transflux.operators.image.ImageProcessing.Gravity;
import io.transflux.operators.image.ImageProcessing.Resize;
import io.transflux.pipeline.PipelineSpecException;
import io.transflux.pipeline.StageSpec;
import org.junit.jupiter.api.Test;

class ImageProcessingTest {

    @Test
    void actionsAreWrittenInOssSyntaxInTheOrderAdded() {
        StageSpec s = ImageProcessing.builder().crop(100, 80, 10, 5, Gravity.CENTER).resize(Resize.LFIT, 200, 200)
                .quality(80).format(Format.WEBP).toStageSpec();

        assertThat(s.toString()).isEqualTo(
                "image/crop,w_100,h_80,x_10,y_5,g_center/resize,m_lfit,w_200,h_200/quality,q_80/format,webp");
        assertThat(StageSpec.parse(s.toString())).isEqualTo(s);
    }

    @Test
    void singleValueActionsUseBareValues() {
        assertThat(ImageProcessing.builder().rotate(90).autoOrient(false).toStageSpec().toString())
                .isEqualTo("image/rotate,90/auto-orient,0");
        assertThat(ImageProcessing.builder().resizeAndPad(64, 32, 0x00FF00).toStageSpec().toString())
                .isEqualTo("image/resize,m_pad,w_64,h_32,color_00FF00");
    }

    @Test
    void builtOperatorCarriesTheSameSpecAsTheParsedOne() {
        assertThat(ImageProcessing.builder().resizeLongerSide(300).build().spec())
                .isEqualTo(StageSpec.parse("image/resize,l_300"));
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheOssBound() {
        assertThatThrownBy(() -> ImageProcessing.builder().rotate(361).toStageSpec())
                .isInstanceOf(PipelineSpecException.class).hasMessageContaining("361");
        assertThatThrownBy(() -> ImageProcessing.builder().quality(0).toStageSpec())
                .isInstanceOf(PipelineSpecException.class);
        assertThatThrownBy(() -> ImageProcessing.builder().toStageSpec())
                .isInstanceOf(PipelineSpecException.class);
        assertThatThrownBy(() -> ImageProcessing.builder().info().rotate(90).toStageSpec())
                .isInstanceOf(PipelineSpecException.class).hasMessageContaining("info");
    }
}
