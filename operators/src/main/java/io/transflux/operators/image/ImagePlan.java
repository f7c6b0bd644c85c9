package io.transflux.operators.image;

import java.util.ArrayList;
import java.util.List;

import io.transflux.operators.image.ImageAction.AutoOrient;
import io.transflux.operators.image.ImageAction.Crop;
import io.transflux.operators.image.ImageAction.Format;
import io.transflux.operators.image.ImageAction.Info;
import io.transflux.operators.image.ImageAction.Quality;
import io.transflux.operators.image.ImageAction.Resize;
import io.transflux.operators.image.ImageAction.Rotate;
import io.transflux.operators.image.ImageGeometry.Placement;
import io.transflux.operators.image.ImageGeometry.Rect;
import io.transflux.operators.image.ImageGeometry.Size;
import io.transflux.pipeline.LimitExceededException;

/**
 * The actions of a request resolved against a probed source size, before any pixel is decoded: every
 * intermediate size is known and checked against the output limits, and the decode subsampling is chosen.
 */
final class ImagePlan {

    /** One pixel step with its sizes resolved. */
    sealed interface Step {
    }

    record OrientStep(int orientation) implements Step {
    }

    record RotateStep(int degrees, Size box) implements Step {
    }

    record CropStep(Rect rect) implements Step {
    }

    record ResizeStep(Placement placement, int color) implements Step {
    }

    final List<Step> steps;
    /** Point subsampling for the decoder (1 = none). */
    final int subsampling;
    /** Box shrink applied while converting the decoded image (1 = none). */
    final int shrink;
    final Size output;

    private ImagePlan(List<Step> steps, int subsampling, int shrink, Size output) {
        this.steps = List.copyOf(steps);
        this.subsampling = subsampling;
        this.shrink = shrink;
        this.output = output;
    }

    static ImagePlan of(ImageRequest request, Size source, int exifOrientation, ImageLimits limits) {
        List<Step> steps = new ArrayList<>();
        Size size = source;
        // Subsampling is only safe while nothing before the first resize depends on exact pixel positions.
        boolean beforeFirstResize = true;
        boolean canSubsample = true;
        int subsampling = 1;
        int shrink = 1;
        for (ImageAction a : request.actions()) {
            if (a instanceof AutoOrient o) {
                if (o.enabled() && exifOrientation > 1) {
                    steps.add(new OrientStep(exifOrientation));
                    size = ImageGeometry.orient(size, exifOrientation);
                }
            } else if (a instanceof Rotate r) {
                if (Math.max(size.width(), size.height()) > limits.maxRotateSide()) {
                    throw new LimitExceededException("maxRotateSide", limits.maxRotateSide(),
                            Math.max(size.width(), size.height()), "px",
                            "rotate accepts images up to 4096 x 4096 as OSS does; resize first or raise it with "
                                    + "ImageLimits.builder().maxRotateSide(..)");
                }
                Size box = ImageGeometry.rotate(size, r.degrees());
                if (r.degrees() % 90 != 0) {
                    canSubsample &= !beforeFirstResize;
                }
                if (r.degrees() % 360 != 0) {
                    steps.add(new RotateStep(r.degrees(), box));
                }
                size = checkOutput(box, limits);
            } else if (a instanceof Crop c) {
                Rect rect = ImageGeometry.crop(size, c);
                canSubsample &= !beforeFirstResize;
                steps.add(new CropStep(rect));
                size = rect.size();
            } else if (a instanceof Resize r) {
                Placement p = ImageGeometry.resize(size, r);
                checkOutput(p.scaled(), limits);
                if (beforeFirstResize && canSubsample && !p.identity()) {
                    // Decode at >= 2x the target (point subsampling), then box-shrink to < 2x, then bicubic.
                    double ratio = Math.min((double) size.width() / p.scaled().width(),
                            (double) size.height() / p.scaled().height());
                    subsampling = Math.max(1, (int) Math.floor(ratio / 2));
                    double left = ratio / subsampling;
                    shrink = Math.max(1, Integer.highestOneBit((int) Math.floor(left)));
                }
                beforeFirstResize = false;
                if (!p.identity()) {
                    steps.add(new ResizeStep(p, r.color()));
                }
                size = checkOutput(p.canvas(), limits);
            } else if (a instanceof Format || a instanceof Quality || a instanceof Info) {
                continue;
            }
        }
        checkOutput(size, limits);
        return new ImagePlan(steps, subsampling, shrink, size);
    }

    private static Size checkOutput(Size s, ImageLimits limits) {
        int side = Math.max(s.width(), s.height());
        if (side > limits.maxOutputSide()) {
            throw new LimitExceededException("maxOutputSide", limits.maxOutputSide(), side, "px",
                    "OSS caps output images at 16384 px per side; raise it with ImageLimits.builder().maxOutputSide(..)");
        }
        if (s.pixels() > limits.maxOutputPixels()) {
            throw new LimitExceededException("maxOutputPixels", limits.maxOutputPixels(), s.pixels(), "pixels",
                    "OSS caps output images at 16777216 pixels; raise it with "
                            + "ImageLimits.builder().maxOutputPixels(..)");
        }
        return s;
    }
}
