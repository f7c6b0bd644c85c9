package io.transflux.pipeline;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

/**
 * What is known about an object besides its bytes: the standard entity headers and user metadata.
 * Immutable; change it with {@link #toBuilder()}. Every field is optional.
 */
public final class ObjectMetadata {

    private static final ObjectMetadata EMPTY = builder().build();

    private final long contentLength;
    private final @Nullable String contentType;
    private final @Nullable String contentEncoding;
    private final @Nullable String eTag;
    private final @Nullable Instant lastModified;
    private final @Nullable String cacheControl;
    private final @Nullable String contentDisposition;
    private final @Nullable String key;
    private final Map<String, String> userMetadata;

    private ObjectMetadata(Builder b) {
        this.contentLength = b.contentLength;
        this.contentType = b.contentType;
        this.contentEncoding = b.contentEncoding;
        this.eTag = b.eTag;
        this.lastModified = b.lastModified;
        this.cacheControl = b.cacheControl;
        this.contentDisposition = b.contentDisposition;
        this.key = b.key;
        this.userMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.userMetadata));
    }

    /** Metadata with nothing known. */
    public static ObjectMetadata empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.contentLength = contentLength;
        b.contentType = contentType;
        b.contentEncoding = contentEncoding;
        b.eTag = eTag;
        b.lastModified = lastModified;
        b.cacheControl = cacheControl;
        b.contentDisposition = contentDisposition;
        b.key = key;
        b.userMetadata.putAll(userMetadata);
        return b;
    }

    /** The exact byte length of the content, when known. */
    public OptionalLong contentLength() {
        return contentLength < 0 ? OptionalLong.empty() : OptionalLong.of(contentLength);
    }

    public @Nullable String contentType() {
        return contentType;
    }

    public @Nullable String contentEncoding() {
        return contentEncoding;
    }

    /** The entity tag as the store gave it, quotes included. */
    public @Nullable String eTag() {
        return eTag;
    }

    public @Nullable Instant lastModified() {
        return lastModified;
    }

    public @Nullable String cacheControl() {
        return cacheControl;
    }

    public @Nullable String contentDisposition() {
        return contentDisposition;
    }

    /**
     * The object's key or file name (e.g. {@code logs/2024/app.log.gz}) when the source knows it; stages
     * that derive a type from a name, such as decompressors, read it.
     */
    public @Nullable String key() {
        return key;
    }

    /** User metadata ({@code x-amz-meta-*} / {@code x-oss-meta-*}) without the prefix; never null. */
    public Map<String, String> userMetadata() {
        return userMetadata;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ObjectMetadata m)) {
            return false;
        }
        return contentLength == m.contentLength
                && Objects.equals(contentType, m.contentType)
                && Objects.equals(contentEncoding, m.contentEncoding)
                && Objects.equals(eTag, m.eTag)
                && Objects.equals(lastModified, m.lastModified)
                && Objects.equals(cacheControl, m.cacheControl)
                && Objects.equals(contentDisposition, m.contentDisposition)
                && Objects.equals(key, m.key)
                && userMetadata.equals(m.userMetadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(contentLength, contentType, contentEncoding, eTag, lastModified, cacheControl,
                contentDisposition, key, userMetadata);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ObjectMetadata{");
        if (contentLength >= 0) {
            sb.append("contentLength=").append(contentLength).append(", ");
        }
        append(sb, "contentType", contentType);
        append(sb, "contentEncoding", contentEncoding);
        append(sb, "eTag", eTag);
        append(sb, "lastModified", lastModified);
        append(sb, "cacheControl", cacheControl);
        append(sb, "contentDisposition", contentDisposition);
        append(sb, "key", key);
        if (!userMetadata.isEmpty()) {
            sb.append("userMetadata=").append(userMetadata.keySet()).append(", ");
        }
        if (sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 2);
        }
        return sb.append('}').toString();
    }

    private static void append(StringBuilder sb, String name, @Nullable Object value) {
        if (value != null) {
            sb.append(name).append('=').append(value).append(", ");
        }
    }

    /** Mutable builder; {@link #build()} copies, so a builder can be reused. */
    public static final class Builder {
        private long contentLength = -1;
        private @Nullable String contentType;
        private @Nullable String contentEncoding;
        private @Nullable String eTag;
        private @Nullable Instant lastModified;
        private @Nullable String cacheControl;
        private @Nullable String contentDisposition;
        private @Nullable String key;
        private final Map<String, String> userMetadata = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets the exact content length; a negative value means unknown. */
        public Builder contentLength(long contentLength) {
            this.contentLength = contentLength < 0 ? -1 : contentLength;
            return this;
        }

        public Builder unknownContentLength() {
            this.contentLength = -1;
            return this;
        }

        public Builder contentType(@Nullable String contentType) {
            this.contentType = contentType;
            return this;
        }

        public Builder contentEncoding(@Nullable String contentEncoding) {
            this.contentEncoding = contentEncoding;
            return this;
        }

        public Builder eTag(@Nullable String eTag) {
            this.eTag = eTag;
            return this;
        }

        public Builder lastModified(@Nullable Instant lastModified) {
            this.lastModified = lastModified;
            return this;
        }

        public Builder cacheControl(@Nullable String cacheControl) {
            this.cacheControl = cacheControl;
            return this;
        }

        public Builder contentDisposition(@Nullable String contentDisposition) {
            this.contentDisposition = contentDisposition;
            return this;
        }

        /** Sets the object's key or file name; {@code null} means unknown. */
        public Builder key(@Nullable String key) {
            this.key = key;
            return this;
        }

        public Builder putUserMetadata(String key, String value) {
            userMetadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder userMetadata(Map<String, String> metadata) {
            userMetadata.clear();
            metadata.forEach(this::putUserMetadata);
            return this;
        }

        public ObjectMetadata build() {
            return new ObjectMetadata(this);
        }
    }
}
