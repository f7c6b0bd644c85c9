package io.transflux.connectors;

import java.util.Map;

import io.transflux.pipeline.source.ObjectSource;

/**
 * Opens the original object from the presigned URL of an event, sending the forwarded caller headers
 * (the URL's signed headers and the conditional headers). Production uses the HTTP source with its host
 * guard; tests and embedders may plug in their own.
 */
@FunctionalInterface
public interface SourceOpener {

    /**
     * A source that GETs {@code url}.
     *
     * @param url     the presigned URL, byte-exact as in the event
     * @param headers headers to send with the request, original names
     */
    ObjectSource get(String url, Map<String, String> headers);

    /**
     * A source whose stream carries only the metadata of a HEAD on {@code url} (empty content). The default
     * GETs and ignores the body, which only suits stores that do not bind presigned URLs to a method.
     */
    default ObjectSource head(String url, Map<String, String> headers) {
        ObjectSource get = get(url, headers);
        return () -> get.open().map(s -> {
            ByteSlicer.cancel(s.content());
            return s.withContent(reactor.core.publisher.Flux.empty());
        });
    }
}
