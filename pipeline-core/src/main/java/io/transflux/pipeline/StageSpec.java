package io.transflux.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One stage of a pipeline spec: a category and one or more actions, written
 * {@code category/action,k_v,.../action,k_v}, e.g. {@code image/resize,m_lfit,w_200/quality,q_80}.
 * {@link #toString()} gives the canonical text, which {@link #parse(String)} reads back to an equal spec.
 */
public final class StageSpec {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");

    private final String category;
    private final List<ActionSpec> actions;

    private StageSpec(String category, List<ActionSpec> actions) {
        this.category = category;
        this.actions = List.copyOf(actions);
    }

    /** A stage with the given actions, all of which must belong to {@code category}. */
    public static StageSpec of(String category, List<ActionSpec> actions) {
        checkName("category", category);
        if (actions.isEmpty()) {
            throw new PipelineSpecException("stage " + category + ": expected at least one action");
        }
        for (ActionSpec a : actions) {
            if (!a.category().equals(category)) {
                throw new PipelineSpecException("stage " + category + ": action " + a.stageName()
                        + " belongs to another category");
            }
        }
        return new StageSpec(category, actions);
    }

    /** A single-action stage, e.g. {@code StageSpec.of("decompress", "gzip")}. */
    public static StageSpec of(String category, String action, ActionSpec.Param... params) {
        return of(category, List.of(ActionSpec.of(category, action, List.of(params))));
    }

    /** Parses one stage (no {@code |}). */
    public static StageSpec parse(String text) {
        String stage = text.trim();
        if (stage.isEmpty()) {
            throw new PipelineSpecException("empty stage: expected category/action");
        }
        if (stage.indexOf('|') >= 0) {
            throw new PipelineSpecException("stage '" + stage + "': '|' separates stages; parse it with Pipeline.parse");
        }
        int slash = stage.indexOf('/');
        if (slash < 0) {
            throw new PipelineSpecException("stage '" + stage + "': expected category/action, e.g. decompress/auto");
        }
        String category = stage.substring(0, slash);
        checkName("category", category);
        List<ActionSpec> actions = new ArrayList<>();
        for (String actionText : stage.substring(slash + 1).split("/", -1)) {
            actions.add(parseAction(category, actionText));
        }
        return new StageSpec(category, actions);
    }

    private static ActionSpec parseAction(String category, String text) {
        String[] parts = text.split(",", -1);
        String name = parts[0];
        if (name.isEmpty()) {
            throw new PipelineSpecException("stage " + category + ": empty action name");
        }
        checkName("action", name);
        List<ActionSpec.Param> params = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                throw new PipelineSpecException("stage " + category + "/" + name + ": empty parameter at position " + i);
            }
            int us = p.indexOf('_');
            if (us < 0) {
                params.add(ActionSpec.Param.bare(p));
            } else {
                String key = p.substring(0, us);
                if (!KEY.matcher(key).matches()) {
                    throw new PipelineSpecException("stage " + category + "/" + name + ": parameter '" + p
                            + "': expected key_value with a key of letters, digits and '-'");
                }
                params.add(new ActionSpec.Param(key, p.substring(us + 1)));
            }
        }
        return new ActionSpec(category, name, params);
    }

    static void checkName(String what, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new PipelineSpecException(what + " '" + name + "': expected lower-case letters, digits and '-'");
        }
    }

    public String category() {
        return category;
    }

    public List<ActionSpec> actions() {
        return actions;
    }

    /** The first action; the one that selects the stage's provider. */
    public ActionSpec action() {
        return actions.get(0);
    }

    /** The stage's name without parameters, e.g. {@code decompress/gzip} or {@code image/resize/quality}. */
    public String name() {
        StringJoiner j = new StringJoiner("/", category + "/", "");
        for (ActionSpec a : actions) {
            j.add(a.name());
        }
        return j.toString();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof StageSpec s && category.equals(s.category) && actions.equals(s.actions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(category, actions);
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner("/", category + "/", "");
        for (ActionSpec a : actions) {
            j.add(a.toString());
        }
        return j.toString();
    }
}
