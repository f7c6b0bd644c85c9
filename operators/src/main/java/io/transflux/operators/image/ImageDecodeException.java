package io.transflux.operators.image;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.PipelineException;

import org.jspecify.annotations.Nullable;

/**
 * An image whose magic bytes name an allowed format but whose data is truncated or corrupt. Carries
 * {@link ErrorCode#MALFORMED_COMPRESSED_OBJECT} (400): image formats are compressed data, and the caller must
 * fix the object, not the request. Unknown or refused formats are
 * {@link io.transflux.pipeline.UnsupportedFormatException}; oversized ones
 * {@link io.transflux.pipeline.LimitExceededException}.
 */
public final class ImageDecodeException extends PipelineException {

    private static final long serialVersionUID = 1L;

    public ImageDecodeException(String message, @Nullable Throwable cause) {
        super(ErrorCode.MALFORMED_COMPRESSED_OBJECT, message, cause);
    }
}
