package io.transflux.operators.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transflux.operators.image.ImageAction.AutoOrient;
import io.transflux.operators.image.ImageAction.Format;
import io.transflux.operators.image.ImageAction.OutputFormat;
import io.transflux.operators.image.ImageAction.Resize;
import io.transflux.operators.image.ImageAction.ResizeMode;
import io.transflux.operators.image.ImageAction.Rotate;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.PipelineSpecException;
import io.transflux.pipeline.StageSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parse-time validation with the OSS bounds of docs/protocols.md §6. */
class ImageRequestTest {

    private static ImageRequest parse(String s) {
        return ImageRequest.parse(StageSpec.parse(s));
    }

    @Test
    void parsesChainedActionsWithBareValues() {
        ImageRequest r = parse("image/resize,m_fill,w_200,h_100,limit_0,color_00FF00/rotate,90/auto-orient,1/format,webp");
        assertThat(r.actions()).hasSize(4);
        assertThat(r.actions().get(0)).isEqualTo(new Resize(ResizeMode.FILL, 200, 100, 0, 0, 0, false, 0x00FF00));
        assertThat(r.actions().get(1)).isEqualTo(new Rotate(90));
        assertThat(r.actions().get(2)).isEqualTo(new AutoOrient(true));
        assertThat(r.actions().get(3)).isEqualTo(new Format(OutputFormat.WEBP));
        assertThat(r.declaredFormat()).isEqualTo(OutputFormat.WEBP);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            image/resize,w_0              | parameter w: actual 0, expected an integer in [1, 16384]
            image/resize,w_16385          | parameter w: actual 16385, expected an integer in [1, 16384]
            image/resize,h_99999          | parameter h: actual 99999, expected an integer in [1, 16384]
            image/resize,l_16385          | parameter l: actual 16385, expected an integer in [1, 16384]
            image/resize,s_0              | parameter s: actual 0, expected an integer in [1, 16384]
            image/resize,p_1001           | parameter p: actual 1001, expected an integer in [1, 1000]
            image/resize,w_abc            | parameter w: actual 'abc', expected an integer in [1, 16384]
            image/resize,m_crop,w_10      | parameter m: actual 'crop', expected one of [fill, fixed, lfit, mfit, pad]
            image/resize,limit_2,w_10     | parameter limit: actual 2, expected an integer in [0, 1]
            image/resize,w_10,color_red   | parameter color: actual 'red', expected six hex digits RGB in [000000, FFFFFF]
            image/resize,m_lfit           | expected at least one of w, h, l, s or p
            image/resize,w_10,z_1         | unknown parameter 'z'
            image/quality,q_0             | parameter q: actual 0, expected an integer in [1, 100]
            image/quality,Q_101           | parameter Q: actual 101, expected an integer in [1, 100]
            image/quality                 | expected q (relative) or Q (absolute) in [1, 100]
            image/format,gif              | parameter format: actual 'gif', expected one of [jpg, png, webp, bmp]
            image/format                  | parameter format: actual nothing, expected one of [jpg, png, webp, bmp]
            image/rotate,361              | parameter angle: actual 361, expected one integer in [0, 360]
            image/rotate,-1               | parameter angle: actual -1, expected one integer in [0, 360]
            image/auto-orient,2           | parameter value: actual 2, expected one integer in [0, 1]
            image/crop,w_30001            | parameter w: actual 30001, expected an integer in [0, 30000]
            image/crop,g_middle           | parameter g: actual 'middle', expected one of [center, east, ne, north, nw, se, south, sw, west]
            image/info/resize,w_10        | info cannot be combined with other actions
            image/resize,w_10/info        | info cannot be combined with other actions
            """)
    void outOfRangeParametersFailAtParseTimeWithTheOssBound(String spec, String message) {
        assertThatThrownBy(() -> Pipeline.parse(spec))
                .isInstanceOf(PipelineSpecException.class)
                .hasMessageContaining(message);
    }

    @Test
    void everyActionCanStartAStage() {
        for (String s : new String[] {"image/resize,w_1", "image/crop,w_1", "image/rotate,1", "image/auto-orient,1",
                "image/format,png", "image/quality,q_1", "image/info"}) {
            Pipeline p = Pipeline.parse(s);
            assertThat(p.toString()).isEqualTo(s);
            assertThat(Pipeline.parse(p.toString())).isEqualTo(p);
        }
    }
}
