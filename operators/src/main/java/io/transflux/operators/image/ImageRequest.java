package io.transflux.operators.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.transflux.operators.image.ImageAction.AutoOrient;
import io.transflux.operators.image.ImageAction.Crop;
import io.transflux.operators.image.ImageAction.Format;
import io.transflux.operators.image.ImageAction.Gravity;
import io.transflux.operators.image.ImageAction.Info;
import io.transflux.operators.image.ImageAction.OutputFormat;
import io.transflux.operators.image.ImageAction.Quality;
import io.transflux.operators.image.ImageAction.Resize;
import io.transflux.operators.image.ImageAction.ResizeMode;
import io.transflux.operators.image.ImageAction.Rotate;
import io.transflux.pipeline.ActionSpec;
import io.transflux.pipeline.PipelineSpecException;
import io.transflux.pipeline.StageSpec;

import org.jspecify.annotations.Nullable;

/**
 * The parsed, validated actions of one {@code image/...} stage. Parameter names, values and bounds follow
 * OSS IMG (docs/protocols.md §6); a value out of range fails here, at parse time, naming the OSS bound.
 */
final class ImageRequest {

    static final String CATEGORY = "image";
    static final Set<String> ACTIONS = Set.of("resize", "crop", "rotate", "auto-orient", "format", "quality", "info");

    /** OSS: w, h, l and s in [1, 16384]. */
    static final int MAX_RESIZE_SIDE = 16_384;
    /** OSS: p in [1, 1000]. */
    static final int MAX_PERCENT = 1_000;
    /** crop w, h, x and y: at most the largest source side OSS accepts. */
    static final int MAX_CROP_VALUE = 30_000;
    static final int DEFAULT_PAD_COLOR = 0xFFFFFF;

    private final StageSpec spec;
    private final List<ImageAction> actions;

    private ImageRequest(StageSpec spec, List<ImageAction> actions) {
        this.spec = spec;
        this.actions = List.copyOf(actions);
    }

    static ImageRequest parse(StageSpec spec) {
        if (!spec.category().equals(CATEGORY)) {
            throw new PipelineSpecException("stage " + spec.category() + ": expected category " + CATEGORY);
        }
        List<ImageAction> out = new ArrayList<>();
        for (ActionSpec a : spec.actions()) {
            out.add(parseAction(a));
        }
        if (out.size() > 1 && out.stream().anyMatch(a -> a instanceof Info)) {
            throw new PipelineSpecException("stage " + spec + ": info cannot be combined with other actions"
                    + " (as in OSS), expected image/info alone");
        }
        return new ImageRequest(spec, out);
    }

    private static ImageAction parseAction(ActionSpec a) {
        return switch (a.name()) {
            case "resize" -> resize(a);
            case "crop" -> crop(a);
            case "rotate" -> new Rotate(bareInt(a, "angle", 0, 360));
            case "auto-orient" -> new AutoOrient(bareInt(a, "value", 0, 1) == 1);
            case "format" -> format(a);
            case "quality" -> quality(a);
            case "info" -> {
                a.requireOnly(Set.of());
                yield new Info();
            }
            default -> throw new PipelineSpecException("stage " + a.stageName() + ": unknown action '" + a.name()
                    + "', expected one of " + new java.util.TreeSet<>(ACTIONS));
        };
    }

    private static Resize resize(ActionSpec a) {
        a.requireOnly(Set.of("m", "w", "h", "l", "s", "p", "limit", "color"));
        String m = a.choice("m", List.of("lfit", "mfit", "fill", "pad", "fixed"), "lfit");
        int w = a.intValue("w", 1, MAX_RESIZE_SIDE, 0);
        int h = a.intValue("h", 1, MAX_RESIZE_SIDE, 0);
        int l = a.intValue("l", 1, MAX_RESIZE_SIDE, 0);
        int s = a.intValue("s", 1, MAX_RESIZE_SIDE, 0);
        int p = a.intValue("p", 1, MAX_PERCENT, 0);
        boolean limit = a.flag("limit", true);
        int color = a.get("color").map(c -> color(a, c)).orElse(DEFAULT_PAD_COLOR);
        if (w == 0 && h == 0 && l == 0 && s == 0 && p == 0) {
            throw new PipelineSpecException("stage " + a.stageName()
                    + ": expected at least one of w, h, l, s or p (OSS MissingArgument)");
        }
        return new Resize(ResizeMode.valueOf(m.toUpperCase(Locale.ROOT)), w, h, l, s, p, limit, color);
    }

    private static int color(ActionSpec a, String v) {
        if (v.length() != 6 || !v.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw a.error("color", "actual '" + v + "', expected six hex digits RGB in [000000, FFFFFF]");
        }
        return Integer.parseInt(v, 16);
    }

    private static Crop crop(ActionSpec a) {
        a.requireOnly(Set.of("w", "h", "x", "y", "g"));
        int w = a.intValue("w", 0, MAX_CROP_VALUE, 0);
        int h = a.intValue("h", 0, MAX_CROP_VALUE, 0);
        int x = a.intValue("x", 0, MAX_CROP_VALUE, 0);
        int y = a.intValue("y", 0, MAX_CROP_VALUE, 0);
        String g = a.choice("g", List.of("nw", "north", "ne", "west", "center", "east", "sw", "south", "se"), "nw");
        return new Crop(w, h, x, y, Gravity.valueOf(g.toUpperCase(Locale.ROOT)));
    }

    private static Format format(ActionSpec a) {
        a.requireOnly(Set.of(""));
        List<String> v = a.bareValues();
        List<String> allowed = List.of("jpg", "png", "webp", "bmp");
        if (v.size() != 1 || !allowed.contains(v.get(0))) {
            throw a.error("format", "actual " + (v.isEmpty() ? "nothing" : "'" + String.join(",", v) + "'")
                    + ", expected one of " + allowed + " (gif, tiff, heic and avif output are not supported)");
        }
        return new Format(OutputFormat.valueOf(v.get(0).toUpperCase(Locale.ROOT)));
    }

    private static Quality quality(ActionSpec a) {
        a.requireOnly(Set.of("q", "Q"));
        int q = a.intValue("q", 1, 100, 0);
        int bigQ = a.intValue("Q", 1, 100, 0);
        if (q == 0 && bigQ == 0) {
            throw new PipelineSpecException("stage " + a.stageName() + ": expected q (relative) or Q (absolute)"
                    + " in [1, 100]");
        }
        return new Quality(q, bigQ);
    }

    private static int bareInt(ActionSpec a, String what, int min, int max) {
        a.requireOnly(Set.of(""));
        List<String> v = a.bareValues();
        String expected = "expected one integer in [" + min + ", " + max + "], e.g. " + a.name() + "," + max;
        if (v.size() != 1) {
            throw a.error(what, "actual " + (v.isEmpty() ? "nothing" : "'" + String.join(",", v) + "'") + ", "
                    + expected);
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v.get(0));
        } catch (NumberFormatException e) {
            throw a.error(what, "actual '" + v.get(0) + "', " + expected);
        }
        if (parsed < min || parsed > max) {
            throw a.error(what, "actual " + parsed + ", " + expected);
        }
        return parsed;
    }

    StageSpec spec() {
        return spec;
    }

    List<ImageAction> actions() {
        return actions;
    }

    boolean isInfo() {
        return actions.size() == 1 && actions.get(0) instanceof Info;
    }

    /** The format named by the last {@code format} action, if any. */
    @Nullable OutputFormat declaredFormat() {
        OutputFormat f = null;
        for (ImageAction a : actions) {
            if (a instanceof Format fa) {
                f = fa.format();
            }
        }
        return f;
    }

    /** The last {@code quality} action, if any. */
    @Nullable Quality quality() {
        Quality q = null;
        for (ImageAction a : actions) {
            if (a instanceof Quality qa) {
                q = qa;
            }
        }
        return q;
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
