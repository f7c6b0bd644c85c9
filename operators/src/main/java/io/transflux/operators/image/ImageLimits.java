package io.transflux.operators.image;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Bounds the image stage enforces before it allocates pixel memory. The defaults follow Alibaba OSS
 * (https://www.alibabacloud.com/help/en/oss/user-guide/resize-images-4).
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>Limit</th><th>Default</th><th>Checked</th></tr>
 *   <tr><td>{@link #maxSourceBytes()}</td><td>{@value #DEFAULT_MAX_SOURCE_BYTES} (20 MiB)</td>
 *       <td>while collecting the source, before buffering more</td></tr>
 *   <tr><td>{@link #maxSourceSide()}</td><td>{@value #DEFAULT_MAX_SOURCE_SIDE} px</td>
 *       <td>after the header probe, before decoding</td></tr>
 *   <tr><td>{@link #maxSourcePixels()}</td><td>{@value #DEFAULT_MAX_SOURCE_PIXELS} (250 MP)</td>
 *       <td>after the header probe, before decoding</td></tr>
 *   <tr><td>{@link #maxOutputSide()}</td><td>{@value #DEFAULT_MAX_OUTPUT_SIDE} px</td>
 *       <td>on the planned geometry, before decoding</td></tr>
 *   <tr><td>{@link #maxOutputPixels()}</td><td>{@value #DEFAULT_MAX_OUTPUT_PIXELS} (16 MP)</td>
 *       <td>on the planned geometry, before decoding</td></tr>
 *   <tr><td>{@link #maxRotateSide()}</td><td>{@value #DEFAULT_MAX_ROTATE_SIDE} px</td>
 *       <td>side of the image entering {@code rotate}, before decoding</td></tr>
 * </table>
 */
public final class ImageLimits {

    /** OSS: a source image of at most 20 MB. */
    public static final long DEFAULT_MAX_SOURCE_BYTES = 20L * 1024 * 1024;
    /** OSS: each source side at most 30,000 px. */
    public static final int DEFAULT_MAX_SOURCE_SIDE = 30_000;
    /** OSS: at most 250 million source pixels. */
    public static final long DEFAULT_MAX_SOURCE_PIXELS = 250_000_000L;
    /** OSS: each output side at most 16,384 px. */
    public static final int DEFAULT_MAX_OUTPUT_SIDE = 16_384;
    /** OSS: at most 16,777,216 output pixels. */
    public static final long DEFAULT_MAX_OUTPUT_PIXELS = 16_777_216L;
    /** OSS: {@code rotate} accepts images of at most 4,096 × 4,096. */
    public static final int DEFAULT_MAX_ROTATE_SIDE = 4_096;

    private static final ImageLimits DEFAULTS = builder().build();

    private final long maxSourceBytes;
    private final int maxSourceSide;
    private final long maxSourcePixels;
    private final int maxOutputSide;
    private final long maxOutputPixels;
    private final int maxRotateSide;

    private ImageLimits(Builder b) {
        this.maxSourceBytes = b.maxSourceBytes;
        this.maxSourceSide = b.maxSourceSide;
        this.maxSourcePixels = b.maxSourcePixels;
        this.maxOutputSide = b.maxOutputSide;
        this.maxOutputPixels = b.maxOutputPixels;
        this.maxRotateSide = b.maxRotateSide;
    }

    public static ImageLimits defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().maxSourceBytes(maxSourceBytes).maxSourceSide(maxSourceSide)
                .maxSourcePixels(maxSourcePixels).maxOutputSide(maxOutputSide).maxOutputPixels(maxOutputPixels)
                .maxRotateSide(maxRotateSide);
    }

    /** The most source bytes buffered. */
    public long maxSourceBytes() {
        return maxSourceBytes;
    }

    /** The largest source width or height. */
    public int maxSourceSide() {
        return maxSourceSide;
    }

    /** The largest source width × height. */
    public long maxSourcePixels() {
        return maxSourcePixels;
    }

    /** The largest width or height of any intermediate or final image. */
    public int maxOutputSide() {
        return maxOutputSide;
    }

    /** The largest width × height of any intermediate or final image. */
    public long maxOutputPixels() {
        return maxOutputPixels;
    }

    /** The largest side of an image that {@code rotate} accepts. */
    public int maxRotateSide() {
        return maxRotateSide;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ImageLimits l && maxSourceBytes == l.maxSourceBytes && maxSourceSide == l.maxSourceSide
                && maxSourcePixels == l.maxSourcePixels && maxOutputSide == l.maxOutputSide
                && maxOutputPixels == l.maxOutputPixels && maxRotateSide == l.maxRotateSide;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxSourceBytes, maxSourceSide, maxSourcePixels, maxOutputSide, maxOutputPixels,
                maxRotateSide);
    }

    @Override
    public String toString() {
        return "ImageLimits{maxSourceBytes=" + maxSourceBytes + ", maxSourceSide=" + maxSourceSide
                + ", maxSourcePixels=" + maxSourcePixels + ", maxOutputSide=" + maxOutputSide
                + ", maxOutputPixels=" + maxOutputPixels + ", maxRotateSide=" + maxRotateSide + '}';
    }

    /** Mutable builder; every value must be positive. */
    public static final class Builder {
        private long maxSourceBytes = DEFAULT_MAX_SOURCE_BYTES;
        private int maxSourceSide = DEFAULT_MAX_SOURCE_SIDE;
        private long maxSourcePixels = DEFAULT_MAX_SOURCE_PIXELS;
        private int maxOutputSide = DEFAULT_MAX_OUTPUT_SIDE;
        private long maxOutputPixels = DEFAULT_MAX_OUTPUT_PIXELS;
        private int maxRotateSide = DEFAULT_MAX_ROTATE_SIDE;

        private Builder() {
        }

        public Builder maxSourceBytes(long v) {
            this.maxSourceBytes = positive("maxSourceBytes", v);
            return this;
        }

        public Builder maxSourceSide(int v) {
            this.maxSourceSide = (int) positive("maxSourceSide", v);
            return this;
        }

        public Builder maxSourcePixels(long v) {
            this.maxSourcePixels = positive("maxSourcePixels", v);
            return this;
        }

        public Builder maxOutputSide(int v) {
            this.maxOutputSide = (int) positive("maxOutputSide", v);
            return this;
        }

        public Builder maxOutputPixels(long v) {
            this.maxOutputPixels = positive("maxOutputPixels", v);
            return this;
        }

        public Builder maxRotateSide(int v) {
            this.maxRotateSide = (int) positive("maxRotateSide", v);
            return this;
        }

        private static long positive(String name, long v) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + ": actual " + v + ", expected > 0");
            }
            return v;
        }

        public ImageLimits build() {
            return new ImageLimits(this);
        }
    }
}
