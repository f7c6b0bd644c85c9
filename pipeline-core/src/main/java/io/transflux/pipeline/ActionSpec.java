package io.transflux.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

/**
 * One action of a stage with its parameters, as written in a spec: {@code resize,m_lfit,w_200}.
 * A parameter is {@code key_value} (split at the first underscore, so values may contain {@code _}) or a
 * bare value such as the {@code webp} of {@code format,webp}; a bare value has an empty key.
 *
 * <p>The typed accessors fail with a {@link PipelineSpecException} whose message names the stage, the
 * parameter, the actual value and what was expected.
 */
public final class ActionSpec {

    private final String category;
    private final String name;
    private final List<Param> params;

    ActionSpec(String category, String name, List<Param> params) {
        this.category = category;
        this.name = name;
        this.params = List.copyOf(params);
    }

    /** Creates an action; {@code category} is used in error messages. */
    public static ActionSpec of(String category, String name, List<Param> params) {
        StageSpec.checkName("category", category);
        StageSpec.checkName("action", name);
        return new ActionSpec(category, name, params);
    }

    public String category() {
        return category;
    }

    public String name() {
        return name;
    }

    /** {@code category/name}, used in messages. */
    public String stageName() {
        return category + "/" + name;
    }

    public List<Param> params() {
        return params;
    }

    /** The value of {@code key}, if given. A key given twice is a spec error. */
    public Optional<String> get(String key) {
        String found = null;
        for (Param p : params) {
            if (p.key().equals(key)) {
                if (found != null) {
                    throw error(key, "parameter given twice");
                }
                found = p.value();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The bare values (parameters without a key), in order. */
    public List<String> bareValues() {
        List<String> out = new ArrayList<>();
        for (Param p : params) {
            if (p.key().isEmpty()) {
                out.add(p.value());
            }
        }
        return out;
    }

    public String string(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    /** An integer parameter within {@code [min, max]}. */
    public long longValue(String key, long min, long max, long defaultValue) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(v.get());
        } catch (NumberFormatException e) {
            throw error(key, "actual '" + v.get() + "', expected an integer in [" + min + ", " + max + "]");
        }
        if (parsed < min || parsed > max) {
            throw error(key, "actual " + parsed + ", expected an integer in [" + min + ", " + max + "]");
        }
        return parsed;
    }

    public int intValue(String key, int min, int max, int defaultValue) {
        return (int) longValue(key, min, max, defaultValue);
    }

    /** A {@code 0}/{@code 1} flag. */
    public boolean flag(String key, boolean defaultValue) {
        return longValue(key, 0, 1, defaultValue ? 1 : 0) == 1;
    }

    /** One of {@code allowed}. */
    public String choice(String key, Collection<String> allowed, String defaultValue) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        if (!allowed.contains(v.get())) {
            throw error(key, "actual '" + v.get() + "', expected one of " + new TreeSet<>(allowed));
        }
        return v.get();
    }

    /**
     * Fails when a parameter key is not in {@code known}; use the empty string to allow bare values.
     */
    public void requireOnly(Set<String> known) {
        for (Param p : params) {
            if (!known.contains(p.key())) {
                TreeSet<String> expected = new TreeSet<>(known);
                expected.remove("");
                if (p.key().isEmpty()) {
                    throw new PipelineSpecException("stage " + stageName() + ": unexpected bare value '"
                            + p.value() + "', expected key_value parameters from " + expected);
                }
                throw new PipelineSpecException("stage " + stageName() + ": unknown parameter '" + p.key()
                        + "', expected one of " + expected);
            }
        }
    }

    /** An error about {@code key} of this action, ready to throw. */
    public PipelineSpecException error(String key, String detail) {
        return new PipelineSpecException("stage " + stageName() + ": parameter " + key + ": " + detail);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ActionSpec a && category.equals(a.category) && name.equals(a.name)
                && params.equals(a.params);
    }

    @Override
    public int hashCode() {
        return Objects.hash(category, name, params);
    }

    /** The canonical text: {@code name,key_value,...}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name);
        for (Param p : params) {
            sb.append(',').append(p);
        }
        return sb.toString();
    }

    /** A {@code key_value} parameter, or a bare value when {@code key} is empty. */
    public record Param(String key, String value) {

        public Param {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        public static Param bare(String value) {
            return new Param("", value);
        }

        @Override
        public String toString() {
            return key.isEmpty() ? value : key + "_" + value;
        }
    }
}
