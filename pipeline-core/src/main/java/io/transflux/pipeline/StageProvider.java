package io.transflux.pipeline;

import java.util.Set;

/**
 * Service-provider interface that makes stages known to {@link Pipeline#parse(String)}. Modules register
 * implementations in {@code META-INF/services/io.transflux.pipeline.StageProvider}; pipeline-core knows
 * none of them.
 */
public interface StageProvider {

    /** The category this provider serves, e.g. {@code decompress}. */
    String category();

    /** The actions that may start a stage of this category, e.g. {@code gzip}, {@code auto}. */
    Set<String> actions();

    /**
     * Creates the operator for a stage whose category is {@link #category()} and whose first action is
     * one of {@link #actions()}.
     *
     * @throws PipelineSpecException for a bad parameter or an action that cannot follow another
     */
    Operator create(StageSpec spec);
}
