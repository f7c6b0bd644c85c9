package io.transflux.connectors;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

import io.transflux.pipeline.ObjectMetadata;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One answer to a GetObject: status, optional error, the headers that describe the returned bytes, and the
 * body. Platform-neutral; the WGOR clients turn it into {@code x-amz-fwd-*} or {@code x-oss-fwd-*} headers.
 */
public final class ObjectResponse {

    private final int status;
    private final @Nullable String errorCode;
    private final @Nullable String errorMessage;
    private final ObjectMetadata metadata;
    private final long contentLength;
    private final @Nullable String contentRange;
    private final long partsCount;
    private final boolean acceptRanges;
    private final Map.@Nullable Entry<String, String> checksumHeader;
    private final @Nullable String checksumTrailerName;
    private final @Nullable Mono<String> checksumTrailerValue;
    private final Flux<ByteBuffer> body;

    private ObjectResponse(Builder b) {
        this.status = b.status;
        this.errorCode = b.errorCode;
        this.errorMessage = b.errorMessage;
        this.metadata = b.metadata;
        this.contentLength = b.contentLength;
        this.contentRange = b.contentRange;
        this.partsCount = b.partsCount;
        this.acceptRanges = b.acceptRanges;
        this.checksumHeader = b.checksumHeader;
        this.checksumTrailerName = b.checksumTrailerName;
        this.checksumTrailerValue = b.checksumTrailerValue;
        this.body = b.body;
    }

    public static Builder builder(int status) {
        return new Builder(status);
    }

    /** An error answer without a body. */
    public static ObjectResponse error(ErrorReply reply) {
        Builder b = builder(reply.status());
        if (reply.code() != null) {
            b.error(reply.code(), Objects.requireNonNullElse(reply.message(), ""));
        }
        return b.build();
    }

    public int status() {
        return status;
    }

    public @Nullable String errorCode() {
        return errorCode;
    }

    public @Nullable String errorMessage() {
        return errorMessage;
    }

    /** Describes the returned (transformed) bytes: type, encoding, ETag, user metadata... */
    public ObjectMetadata metadata() {
        return metadata;
    }

    /** The exact body length when known; then it is sent as {@code Content-Length}, else chunked. */
    public OptionalLong contentLength() {
        return contentLength < 0 ? OptionalLong.empty() : OptionalLong.of(contentLength);
    }

    public @Nullable String contentRange() {
        return contentRange;
    }

    /** The parts count for a partNumber answer; 0 when not applicable. */
    public long partsCount() {
        return partsCount;
    }

    public boolean acceptRanges() {
        return acceptRanges;
    }

    /** A checksum header known before the body (header delivery), name and value. */
    public Map.@Nullable Entry<String, String> checksumHeader() {
        return checksumHeader;
    }

    /** The trailer field name of a checksum sent after the body (trailer delivery), or null. */
    public @Nullable String checksumTrailerName() {
        return checksumTrailerName;
    }

    /** The trailer's value, ready once the body has streamed; null without trailer delivery. */
    public @Nullable Mono<String> checksumTrailerValue() {
        return checksumTrailerValue;
    }

    /**
     * The headers describing the returned bytes by their HTTP names, to be sent with the platform's forward
     * prefix: Content-Type, Content-Encoding, Cache-Control, Content-Disposition, ETag, Last-Modified,
     * Content-Range, Accept-Ranges and, for partNumber answers, {@code x-amz-mp-parts-count}.
     */
    public Map<String, String> forwardedHeaders() {
        Map<String, String> h = EntityHeaders.entity(metadata, false);
        if (contentRange != null) {
            h.put("Content-Range", contentRange);
        }
        if (acceptRanges && !isError()) {
            h.put("Accept-Ranges", "bytes");
        }
        if (partsCount > 0) {
            h.put("x-amz-mp-parts-count", Long.toString(partsCount));
        }
        return h;
    }

    /** The body; empty for errors and 304. Single use. */
    public Flux<ByteBuffer> body() {
        return body;
    }

    public boolean isError() {
        return errorCode != null || status >= 300;
    }

    @Override
    public String toString() {
        return "ObjectResponse{status=" + status + (errorCode != null ? ", errorCode=" + errorCode : "")
                + ", contentLength=" + contentLength + (contentRange != null ? ", contentRange=" + contentRange : "")
                + '}';
    }

    public static final class Builder {
        private final int status;
        private @Nullable String errorCode;
        private @Nullable String errorMessage;
        private ObjectMetadata metadata = ObjectMetadata.empty();
        private long contentLength = -1;
        private @Nullable String contentRange;
        private long partsCount;
        private boolean acceptRanges;
        private Map.@Nullable Entry<String, String> checksumHeader;
        private @Nullable String checksumTrailerName;
        private @Nullable Mono<String> checksumTrailerValue;
        private Flux<ByteBuffer> body = Flux.empty();

        private Builder(int status) {
            this.status = status;
        }

        public Builder error(String code, String message) {
            this.errorCode = code;
            this.errorMessage = message;
            return this;
        }

        public Builder metadata(ObjectMetadata metadata) {
            this.metadata = Objects.requireNonNull(metadata, "metadata");
            return this;
        }

        public Builder contentLength(long contentLength) {
            this.contentLength = contentLength < 0 ? -1 : contentLength;
            return this;
        }

        public Builder contentRange(@Nullable String contentRange) {
            this.contentRange = contentRange;
            return this;
        }

        public Builder partsCount(long partsCount) {
            this.partsCount = partsCount;
            return this;
        }

        public Builder acceptRanges(boolean acceptRanges) {
            this.acceptRanges = acceptRanges;
            return this;
        }

        public Builder checksumHeader(Map.@Nullable Entry<String, String> checksumHeader) {
            this.checksumHeader = checksumHeader;
            return this;
        }

        /** A trailer field {@code name} whose value {@code value} emits after the body; forces chunked. */
        public Builder checksumTrailer(String name, Mono<String> value) {
            this.checksumTrailerName = Objects.requireNonNull(name, "name");
            this.checksumTrailerValue = Objects.requireNonNull(value, "value");
            return this;
        }

        public Builder body(Flux<ByteBuffer> body) {
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        public ObjectResponse build() {
            return new ObjectResponse(this);
        }
    }
}
