package io.transflux.connectors.url;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.transflux.connectors.SourceOpener;
import io.transflux.connectors.http.HttpDate;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.SourceException;
import io.transflux.pipeline.source.ObjectSource;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.BaseSubscriber;

/**
 * Per request: learns the derived ETag from the source's answer before any byte is transformed, and answers
 * {@code If-None-Match} with 304 right there (the source's body is cancelled, the pipeline never runs). The 304
 * travels as a {@link SourceException} carrying the validators, which the function core turns into a 304 reply.
 */
final class EtagGate implements SourceOpener {

    private final SourceOpener inner;
    private final Pipeline pipeline;
    private final @Nullable String ifNoneMatch;
    private final AtomicReference<@Nullable String> derived = new AtomicReference<>();

    EtagGate(SourceOpener inner, Pipeline pipeline, @Nullable String ifNoneMatch) {
        this.inner = inner;
        this.pipeline = pipeline;
        this.ifNoneMatch = ifNoneMatch;
    }

    /** The derived ETag, once the source answered; null before or when the source sent none. */
    @Nullable String derivedETag() {
        return derived.get();
    }

    @Override
    public ObjectSource get(String url, Map<String, String> headers) {
        ObjectSource s = inner.get(url, headers);
        return () -> s.open().map(this::check);
    }

    @Override
    public ObjectSource head(String url, Map<String, String> headers) {
        ObjectSource s = inner.head(url, headers);
        return () -> s.open().map(this::check);
    }

    private ObjectStream check(ObjectStream st) {
        String tag = DerivedETag.of(st.metadata().eTag(), pipeline);
        derived.set(tag);
        if (tag != null && DerivedETag.noneMatchHits(ifNoneMatch, tag)) {
            st.content().subscribe(new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                    s.cancel();
                }
            });
            Map<String, String> validators = new LinkedHashMap<>();
            validators.put("ETag", tag);
            if (st.metadata().lastModified() != null) {
                validators.put("Last-Modified", HttpDate.format(st.metadata().lastModified()));
            }
            throw new SourceException(ErrorCode.SOURCE_ERROR, 304, null, "Not modified: If-None-Match matched", null,
                    validators);
        }
        return st;
    }
}
