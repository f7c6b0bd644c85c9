package io.transflux.operators.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import io.transflux.operators.image.ImageGeometry.Rect;

import org.junit.jupiter.api.Test;

/**
 * The plan folds orientations and crops in front of a resize into one decoded source region and one pending
 * orientation; these check the algebra against the pixel operations themselves.
 */
class ImagePlanOrientationTest {

    private static Pixels random(int w, int h, long seed) {
        Random r = new Random(seed);
        int[] argb = new int[w * h];
        for (int i = 0; i < argb.length; i++) {
            argb[i] = 0xff000000 | r.nextInt(0x1000000);
        }
        return new Pixels(w, h, false, argb);
    }

    @Test
    void composedOrientationEqualsApplyingBothInTurn() {
        Pixels p = random(5, 3, 1);
        for (int a = 1; a <= 8; a++) {
            for (int b = 1; b <= 8; b++) {
                Pixels twice = p.orient(a).orient(b);
                Pixels once = p.orient(ImageGeometry.compose(a, b));
                assertThat(once.width).as("%d then %d", a, b).isEqualTo(twice.width);
                assertThat(once.argb).as("%d then %d", a, b).isEqualTo(twice.argb);
            }
        }
    }

    @Test
    void cropOfAnOrientedViewIsTheOrientedCropOfItsSourceRectangle() {
        Pixels p = random(13, 7, 2);
        Random r = new Random(3);
        for (int t = 1; t <= 8; t++) {
            Rect region = new Rect(2, 1, 9, 5);
            Pixels view = p.crop(region).orient(t);
            for (int i = 0; i < 20; i++) {
                int x = r.nextInt(view.width);
                int y = r.nextInt(view.height);
                Rect c = new Rect(x, y, 1 + r.nextInt(view.width - x), 1 + r.nextInt(view.height - y));
                Pixels expected = view.crop(c);
                Pixels actual = p.crop(ImageGeometry.cropSource(region, t, c)).orient(t);
                assertThat(actual.argb).as("orientation %d crop %s", t, c).isEqualTo(expected.argb);
            }
        }
    }
}
