package io.transflux.operators.image;

import java.util.Set;

import io.transflux.pipeline.Operator;
import io.transflux.pipeline.StageProvider;
import io.transflux.pipeline.StageSpec;

/**
 * Registers the {@code image} category: a stage starts with {@code resize}, {@code crop}, {@code rotate},
 * {@code auto-orient}, {@code format}, {@code quality} or {@code info} and may chain the others, e.g.
 * {@code image/resize,m_lfit,w_200,h_200/quality,q_80/format,webp} (one decode, one encode). Uses
 * {@link ImageLimits#defaults()} and {@code Schedulers.boundedElastic()}; for other settings use {@link Images}.
 */
public final class ImageStageProvider implements StageProvider {

    @Override
    public String category() {
        return ImageRequest.CATEGORY;
    }

    @Override
    public Set<String> actions() {
        return ImageRequest.ACTIONS;
    }

    @Override
    public Operator create(StageSpec spec) {
        return Images.operator(spec);
    }
}
