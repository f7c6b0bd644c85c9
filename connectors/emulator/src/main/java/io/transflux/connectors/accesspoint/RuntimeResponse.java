package io.transflux.connectors.accesspoint;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * What a runtime answered on {@code POST .../response}: either the whole buffered payload, or a streamed body
 * (response mode {@code streaming}) with its {@code Content-Type}. A streamed body fails with
 * {@link FunctionStreamError} when the runtime sent the error trailers, and with the transport's error when the
 * connection broke; it is single-use, and its buffers belong to the subscriber (release them).
 */
final class RuntimeResponse {

    final byte @Nullable [] buffered;
    final @Nullable String contentType;
    final @Nullable Flux<ByteBuf> body;

    private RuntimeResponse(byte @Nullable [] buffered, @Nullable String contentType, @Nullable Flux<ByteBuf> body) {
        this.buffered = buffered;
        this.contentType = contentType;
        this.body = body;
    }

    static RuntimeResponse buffered(byte[] payload) {
        return new RuntimeResponse(payload, null, null);
    }

    static RuntimeResponse streamed(@Nullable String contentType, Flux<ByteBuf> body) {
        return new RuntimeResponse(null, contentType, body);
    }

    boolean isStreamed() {
        return body != null;
    }

    /** The runtime reported an error after its response began (docs/protocols.md §11.3). */
    static final class FunctionStreamError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        final String errorType;

        FunctionStreamError(String errorType) {
            super("The function reported " + errorType + " after its response began", null, false, false);
            this.errorType = errorType;
        }
    }
}
