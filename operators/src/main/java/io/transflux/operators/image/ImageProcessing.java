package io.transflux.operators.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.transflux.pipeline.ActionSpec;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.StageSpec;

/**
 * An {@code image/...} stage built in code, beside the OSS process syntax
 * ({@code image/resize,m_lfit,w_200,h_200/quality,q_80}):
 * {@code ImageProcessing.builder().resize(Resize.LFIT, 200, 200).quality(80).build()}. Actions run in the order
 * added, as in OSS. The builder writes the same parameters the grammar takes and goes through the same
 * validation, so both forms always agree: {@link Builder#toStageSpec()} is the text a pipeline spec holds.
 */
public final class ImageProcessing {

    private static final String CATEGORY = "image";

    private ImageProcessing() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** OSS resize modes ({@code m_}). */
    public enum Resize {
        /** Keep the ratio; the largest image inside w × h (the OSS default). */
        LFIT,
        /** Keep the ratio; the smallest image covering w × h. */
        MFIT,
        /** MFIT, then centre-crop to w × h. */
        FILL,
        /** LFIT, then centre on a w × h canvas filled with the pad colour. */
        PAD,
        /** Exactly w × h; may distort. */
        FIXED
    }

    /** OSS crop origins ({@code g_}). */
    public enum Gravity {
        NW, NORTH, NE, WEST, CENTER, EAST, SW, SOUTH, SE
    }

    /** Output encodings ({@code format,}). */
    public enum Format {
        JPG, PNG, WEBP, BMP
    }

    /** The actions of one image stage, in order. Not thread-safe. */
    public static final class Builder {
        private final List<ActionSpec> actions = new ArrayList<>();

        private Builder() {
        }

        private Builder add(String action, ActionSpec.Param... params) {
            actions.add(ActionSpec.of(CATEGORY, action, List.of(params)));
            return this;
        }

        private static ActionSpec.Param p(String key, Object value) {
            return new ActionSpec.Param(key, String.valueOf(value));
        }

        /** {@code resize,m_<mode>,w_<width>,h_<height>}; never enlarges (OSS {@code limit_1}). */
        public Builder resize(Resize mode, int width, int height) {
            return add("resize", p("m", lower(mode)), p("w", width), p("h", height));
        }

        /** {@code resize,m_pad,w_,h_,color_RRGGBB}: fit inside and pad with {@code rgb}, e.g. {@code 0xFFFFFF}. */
        public Builder resizeAndPad(int width, int height, int rgb) {
            return add("resize", p("m", "pad"), p("w", width), p("h", height),
                    p("color", String.format(Locale.ROOT, "%06X", rgb & 0xFFFFFF)));
        }

        /** {@code resize,l_<side>}: the longer side becomes {@code side}. */
        public Builder resizeLongerSide(int side) {
            return add("resize", p("l", side));
        }

        /** {@code resize,p_<percent>}: scale by a percentage. */
        public Builder scale(int percent) {
            return add("resize", p("p", percent));
        }

        /** {@code crop,w_,h_,x_,y_,g_}: a width × height box at the offset from the gravity's corner. */
        public Builder crop(int width, int height, int x, int y, Gravity gravity) {
            return add("crop", p("w", width), p("h", height), p("x", x), p("y", y), p("g", lower(gravity)));
        }

        /** {@code rotate,<degrees>}, clockwise. */
        public Builder rotate(int degrees) {
            return add("rotate", new ActionSpec.Param("", Integer.toString(degrees)));
        }

        /** {@code auto-orient,1|0}: whether the EXIF orientation is applied. */
        public Builder autoOrient(boolean apply) {
            return add("auto-orient", new ActionSpec.Param("", apply ? "1" : "0"));
        }

        /** {@code quality,q_<q>}: quality relative to the source's. */
        public Builder quality(int relative) {
            return add("quality", p("q", relative));
        }

        /** {@code quality,Q_<Q>}: absolute quality. */
        public Builder absoluteQuality(int absolute) {
            return add("quality", p("Q", absolute));
        }

        /** {@code format,<fmt>}. */
        public Builder format(Format format) {
            return add("format", new ActionSpec.Param("", lower(format)));
        }

        /** {@code info}: the OSS JSON description instead of an image; alone in its stage. */
        public Builder info() {
            return add("info");
        }

        /**
         * The stage as the OSS syntax writes it.
         *
         * @throws io.transflux.pipeline.PipelineSpecException for no action, or a value outside OSS's bounds,
         *                                                     naming the parameter
         */
        public StageSpec toStageSpec() {
            StageSpec spec = StageSpec.of(CATEGORY, List.copyOf(actions));
            ImageRequest.parse(spec);
            return spec;
        }

        /** The operator with default {@link ImageLimits}; see {@link Images#operator(StageSpec)}. */
        public Operator build() {
            return Images.operator(toStageSpec());
        }

        /** The operator with {@code limits}. */
        public Operator build(ImageLimits limits) {
            return Images.operator(toStageSpec(), Objects.requireNonNull(limits, "limits"),
                    reactor.core.scheduler.Schedulers.boundedElastic());
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
