package io.transflux.operators.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transflux.operators.image.ImageAction.Crop;
import io.transflux.operators.image.ImageAction.Gravity;
import io.transflux.operators.image.ImageAction.Resize;
import io.transflux.operators.image.ImageAction.ResizeMode;
import io.transflux.operators.image.ImageGeometry.Placement;
import io.transflux.operators.image.ImageGeometry.Rect;
import io.transflux.operators.image.ImageGeometry.Size;
import io.transflux.pipeline.StageSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * OSS geometry, table-driven. Rows marked "doc" are the worked examples of the OSS documentation:
 * <ul>
 *   <li>200×100 with w_150,h_80 in every mode — https://www.alibabacloud.com/help/en/oss/user-guide/resize-images-4
 *       and https://help.aliyun.com/document_detail/44688.html ("使用示例"): lfit 150×75, mfit 160×80, fill 150×80
 *       cut from 160×80, pad 150×80 around 150×75, fixed 150×80;</li>
 *   <li>400×200 to a 100×100 box — https://volcengine.com/docs/6349/153626 (an OSS-compatible service documenting the
 *       same parameters): lfit 100×50; the long side is the one with the larger source-to-target ratio (400/100 = 4);</li>
 *   <li>limit: a target larger than the source returns the source resolution unless limit_0 —
 *       https://www.alibabacloud.com/help/en/oss/user-guide/resize-images-4 ("limit");</li>
 *   <li>example.jpg of the OSS docs is 400×267 (https://www.alibabacloud.com/help/en/oss/user-guide/query-the-exif-data-of-an-image-4).</li>
 * </ul>
 * Rows marked "rule" follow from the documented rules (fractional sides round half up; w/h win over l/s, which
 * win over p; one of w/h keeps the ratio in lfit/mfit/fixed and makes a square box in fill/pad).
 */
class ImageGeometryTest {

    @ParameterizedTest(name = "{0}x{1} {2} -> {3}x{4} ({5})")
    @CsvSource(delimiter = '|', textBlock = """
            200 | 100 | resize,m_lfit,w_150,h_80         | 150 | 75  | doc
            200 | 100 | resize,m_mfit,w_150,h_80         | 160 | 80  | doc
            200 | 100 | resize,m_fill,w_150,h_80         | 150 | 80  | doc
            200 | 100 | resize,m_pad,w_150,h_80          | 150 | 80  | doc
            200 | 100 | resize,m_fixed,w_150,h_80        | 150 | 80  | doc
            200 | 100 | resize,w_150,h_80                | 150 | 75  | doc (lfit is the default)
            400 | 200 | resize,m_lfit,w_100,h_100        | 100 | 50  | doc
            400 | 200 | resize,m_mfit,w_100,h_100        | 200 | 100 | rule
            400 | 200 | resize,m_fill,w_100,h_100        | 100 | 100 | rule
            400 | 200 | resize,m_pad,w_100,h_100         | 100 | 100 | rule
            400 | 267 | resize,w_500                     | 400 | 267 | doc (limit_1 keeps the source size)
            400 | 267 | resize,w_500,limit_0             | 500 | 334 | rule (333.75 rounds to 334)
            400 | 267 | resize,w_200                     | 200 | 134 | rule (133.5 rounds half up)
            400 | 267 | resize,h_100                     | 150 | 100 | rule (149.8 rounds to 150)
            400 | 267 | resize,m_fixed,w_100             | 100 | 67  | rule (one side keeps the ratio)
            400 | 267 | resize,m_fill,w_100              | 100 | 100 | rule (one side makes a square box)
            400 | 267 | resize,m_pad,h_50                | 50  | 50  | rule
            400 | 267 | resize,l_100                     | 100 | 67  | rule (long side 400 -> 100)
            400 | 267 | resize,s_100                     | 150 | 100 | rule (short side 267 -> 100)
            267 | 400 | resize,l_100,s_50                | 50  | 75  | rule (portrait: box 50x100, lfit)
            400 | 267 | resize,l_100,w_300               | 300 | 200 | rule (w wins over l)
            400 | 267 | resize,p_50                      | 200 | 134 | rule
            400 | 267 | resize,p_150                     | 400 | 267 | rule (limit_1: no enlarging)
            400 | 267 | resize,p_150,limit_0             | 600 | 401 | rule (400.5 rounds half up)
            1   | 1   | resize,w_16384,h_16384,limit_0   | 16384 | 16384 | rule
            6000 | 4000 | resize,m_lfit,w_1024,h_1024    | 1024 | 683 | rule (682.67 rounds to 683)
            """)
    void resizeMatchesOssGeometry(int sw, int sh, String action, int ew, int eh, String source) {
        Placement p = ImageGeometry.resize(new Size(sw, sh), resize(action));
        assertThat(p.canvas()).as(source).isEqualTo(new Size(ew, eh));
    }

    @Test
    void fillCropsTheCentreOfTheMfitImage() {
        Placement p = ImageGeometry.resize(new Size(200, 100), resize("resize,m_fill,w_150,h_80"));
        assertThat(p.scaled()).isEqualTo(new Size(160, 80));
        assertThat(p.x()).isEqualTo(-5);
        assertThat(p.y()).isZero();
    }

    @Test
    void padCentresTheLfitImageOnTheCanvas() {
        Placement p = ImageGeometry.resize(new Size(200, 100), resize("resize,m_pad,w_150,h_80"));
        assertThat(p.scaled()).isEqualTo(new Size(150, 75));
        assertThat(p.x()).isZero();
        assertThat(p.y()).isEqualTo(2);
    }

    @Test
    void limitOneMarksTheResizeAsIdentity() {
        Placement p = ImageGeometry.resize(new Size(400, 267), resize("resize,w_500"));
        assertThat(p.identity()).isTrue();
        assertThat(ImageGeometry.resize(new Size(400, 267), resize("resize,w_400")).identity()).isFalse();
    }

    /** Crop rules: https://www.alibabacloud.com/help/en/doc-detail/44693.htm (origin by g, clipped size). */
    @ParameterizedTest(name = "{0}x{1} crop w_{2},h_{3},x_{4},y_{5},g_{6} -> {7},{8} {9}x{10}")
    @CsvSource(delimiter = '|', textBlock = """
            400 | 267 | 100 | 100 | 0   | 0   | nw     | 0   | 0   | 100 | 100
            400 | 267 | 100 | 100 | 10  | 20  | nw     | 10  | 20  | 100 | 100
            400 | 267 | 100 | 100 | 0   | 0   | center | 150 | 83  | 100 | 100
            400 | 267 | 100 | 100 | 0   | 0   | se     | 300 | 167 | 100 | 100
            400 | 267 | 100 | 100 | 0   | 0   | north  | 150 | 0   | 100 | 100
            400 | 267 | 100 | 100 | 0   | 0   | east   | 300 | 83  | 100 | 100
            400 | 267 | 100 | 100 | 0   | 0   | sw     | 0   | 167 | 100 | 100
            400 | 267 | 0   | 0   | 100 | 100 | nw     | 100 | 100 | 300 | 167
            400 | 267 | 300 | 300 | 200 | 0   | nw     | 200 | 0   | 200 | 267
            400 | 267 | 500 | 500 | 0   | 0   | center | 0   | 0   | 400 | 267
            """)
    void cropOriginComesFromGravityAndTheSizeIsClipped(int sw, int sh, int w, int h, int x, int y, String g,
            int ex, int ey, int ew, int eh) {
        Rect r = ImageGeometry.crop(new Size(sw, sh), new Crop(w, h, x, y, Gravity.valueOf(g.toUpperCase())));
        assertThat(r).isEqualTo(new Rect(ex, ey, ew, eh));
    }

    @Test
    void cropStartingOutsideTheImageFailsLikeOss() {
        assertThatThrownBy(() -> ImageGeometry.crop(new Size(400, 267), new Crop(10, 10, 400, 0, Gravity.NW)))
                .isInstanceOfSatisfying(io.transflux.pipeline.PipelineException.class,
                        e -> assertThat(e.code()).isEqualTo(io.transflux.pipeline.ErrorCode.BAD_REQUEST))
                .hasMessageContaining("Advance cut's position is out of image")
                .hasMessageContaining("400x267");
    }

    @ParameterizedTest(name = "{0}x{1} rotate {2} -> {3}x{4}")
    @CsvSource(delimiter = '|', textBlock = """
            400 | 200 | 0   | 400 | 200
            400 | 200 | 90  | 200 | 400
            400 | 200 | 180 | 400 | 200
            400 | 200 | 270 | 200 | 400
            400 | 200 | 360 | 400 | 200
            400 | 200 | 45  | 425 | 425
            100 | 100 | 30  | 137 | 137
            """)
    void rotateGrowsTheCanvasToTheBoundingBox(int sw, int sh, int deg, int ew, int eh) {
        assertThat(ImageGeometry.rotate(new Size(sw, sh), deg)).isEqualTo(new Size(ew, eh));
    }

    @Test
    void exifOrientationsFiveToEightSwapTheSides() {
        for (int o = 1; o <= 8; o++) {
            Size s = ImageGeometry.orient(new Size(64, 32), o);
            assertThat(s).as("orientation %d", o).isEqualTo(o >= 5 ? new Size(32, 64) : new Size(64, 32));
        }
    }

    private static Resize resize(String action) {
        return (Resize) ImageRequest.parse(StageSpec.parse("image/" + action)).actions().get(0);
    }
}
