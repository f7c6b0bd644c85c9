package io.transflux.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The stages a {@link Pipeline} spec may name, keyed by {@code category/action}. The
 * {@linkplain #defaultRegistry() default registry} holds every {@link StageProvider} found by
 * {@link ServiceLoader} on the class path.
 */
public final class StageRegistry {

    private static final class Holder {
        static final StageRegistry DEFAULT = load();
    }

    private final Map<String, StageProvider> byStage;

    private StageRegistry(Map<String, StageProvider> byStage) {
        this.byStage = Collections.unmodifiableMap(new TreeMap<>(byStage));
    }

    /** The providers found on the class path, loaded once. */
    public static StageRegistry defaultRegistry() {
        return Holder.DEFAULT;
    }

    /** A registry of exactly these providers. Two providers claiming one stage is an error. */
    public static StageRegistry of(List<? extends StageProvider> providers) {
        Map<String, StageProvider> map = new TreeMap<>();
        for (StageProvider p : providers) {
            for (String action : p.actions()) {
                String stage = p.category() + "/" + action;
                StageProvider previous = map.putIfAbsent(stage, p);
                if (previous != null && previous.getClass() != p.getClass()) {
                    throw new IllegalStateException("stage " + stage + " is provided by both "
                            + previous.getClass().getName() + " and " + p.getClass().getName());
                }
            }
        }
        return new StageRegistry(map);
    }

    private static StageRegistry load() {
        return load(StageRegistry.class.getClassLoader());
    }

    /** The providers that {@link ServiceLoader} finds through {@code loader}, e.g. a plugin class loader. */
    public static StageRegistry load(ClassLoader loader) {
        List<StageProvider> providers = new ArrayList<>();
        ServiceLoader.load(StageProvider.class, loader).forEach(providers::add);
        return of(providers);
    }

    /** A registry with these providers added; same-stage conflicts fail. */
    public StageRegistry with(StageProvider... providers) {
        List<StageProvider> all = new ArrayList<>(byStage.values());
        all.addAll(List.of(providers));
        return of(all);
    }

    /** All known stage names ({@code category/action}), sorted. */
    public SortedSet<String> stageNames() {
        return new TreeSet<>(byStage.keySet());
    }

    /** Creates the operator for {@code spec}, or fails naming the stages that exist. */
    public Operator create(StageSpec spec) {
        String stage = spec.category() + "/" + spec.action().name();
        StageProvider p = byStage.get(stage);
        if (p == null) {
            throw new PipelineSpecException("unknown stage '" + stage + "': expected one of " + stageNames());
        }
        Operator op = p.create(spec);
        if (op == null) {
            throw new IllegalStateException(p.getClass().getName() + " returned no operator for " + stage);
        }
        return op;
    }
}
