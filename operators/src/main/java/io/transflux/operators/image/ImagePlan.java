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
 * intermediate size is known and checked against the output limits, and the decoded region and its area
 * reduction are chosen.
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
    /** The part of the source that is decoded, in source pixel coordinates (the composed prefix crops). */
    final Rect region;
    /** Box (area-average) factors applied to {@link #region} while decoding, in source orientation (1 = none). */
    final int boxX;
    final int boxY;
    final Size output;

    private ImagePlan(List<Step> steps, Rect region, int boxX, int boxY, Size output) {
        this.steps = List.copyOf(steps);
        this.region = region;
        this.boxX = boxX;
        this.boxY = boxY;
        this.output = output;
    }

    /** Size of the decoded, box-reduced region (before the steps run). */
    Size decoded() {
        return new Size(AreaReducer.reducedLength(region.width(), boxX), AreaReducer.reducedLength(region.height(), boxY));
    }

    /**
     * Resolves the actions. The steps before the first {@code resize} that only move or cut pixels (EXIF orient,
     * right-angle rotate, crop) are folded into the decode: their crops become one source region and their
     * orientations one pending {@link OrientStep}. When that prefix ends in a downscale by more than twice per
     * axis, the region is area-averaged by {@code floor(ratio / 2)} while decoding, so the final resampling kernel
     * always covers every source pixel (no decimation, no aliasing).
     */
    static ImagePlan of(ImageRequest request, Size source, int exifOrientation, ImageLimits limits) {
        List<Step> steps = new ArrayList<>();
        Size size = source;
        boolean inPrefix = true;
        Rect region = new Rect(0, 0, source.width(), source.height());
        int orientation = 1;
        int boxX = 1;
        int boxY = 1;
        for (ImageAction a : request.actions()) {
            if (a instanceof AutoOrient o) {
                if (o.enabled() && exifOrientation > 1) {
                    if (inPrefix) {
                        orientation = ImageGeometry.compose(orientation, exifOrientation);
                    } else {
                        steps.add(new OrientStep(exifOrientation));
                    }
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
                int d = r.degrees() % 360;
                if (d != 0) {
                    if (inPrefix && d % 90 == 0) {
                        orientation = ImageGeometry.compose(orientation, d == 90 ? 6 : d == 180 ? 3 : 8);
                    } else {
                        if (inPrefix) {
                            inPrefix = false;
                            addOrientation(steps, orientation);
                        }
                        steps.add(new RotateStep(r.degrees(), box));
                    }
                }
                size = checkOutput(box, limits);
            } else if (a instanceof Crop c) {
                Rect rect = ImageGeometry.crop(size, c);
                if (inPrefix) {
                    region = ImageGeometry.cropSource(region, orientation, rect);
                } else {
                    steps.add(new CropStep(rect));
                }
                size = rect.size();
            } else if (a instanceof Resize r) {
                Placement p = ImageGeometry.resize(size, r);
                checkOutput(p.scaled(), limits);
                if (inPrefix) {
                    if (!p.identity()) {
                        int viewX = boxFactor(size.width(), p.scaled().width());
                        int viewY = boxFactor(size.height(), p.scaled().height());
                        boolean swap = orientation >= 5;
                        boxX = swap ? viewY : viewX;
                        boxY = swap ? viewX : viewY;
                    }
                    inPrefix = false;
                    addOrientation(steps, orientation);
                }
                if (!p.identity()) {
                    steps.add(new ResizeStep(p, r.color()));
                }
                size = checkOutput(p.canvas(), limits);
            } else if (a instanceof Format || a instanceof Quality || a instanceof Info) {
                continue;
            }
        }
        if (inPrefix) {
            addOrientation(steps, orientation);
        }
        checkOutput(size, limits);
        return new ImagePlan(steps, region, boxX, boxY, size);
    }

    /** Integer area-average factor leaving between 2x and 4x for the final kernel (libvips uses the same gap). */
    static int boxFactor(int from, int to) {
        return Math.max(1, from / (2 * to));
    }

    private static void addOrientation(List<Step> steps, int orientation) {
        if (orientation != 1) {
            steps.add(new OrientStep(orientation));
        }
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
