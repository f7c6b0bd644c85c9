package io.transflux.cli;

import io.transflux.pipeline.source.ObjectSource;

/** Builds the HTTP source for URL inputs. */
final class Sources {

    private Sources() {
    }

    static ObjectSource http(String url, boolean allowPrivateHosts) {
        throw new UnsupportedOperationException("URL input arrives with HttpObjectSource");
    }
}
