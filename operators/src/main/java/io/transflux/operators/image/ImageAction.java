package io.transflux.operators.image;

/**
 * One parsed action of an {@code image/...} stage, with OSS parameter semantics. Absent integer parameters
 * are {@code 0}; every value is already range-checked by {@link ImageRequest#parse}.
 */
sealed interface ImageAction {

    /** {@code resize}: https://www.alibabacloud.com/help/en/oss/user-guide/resize-images-4. */
    record Resize(ResizeMode mode, int w, int h, int l, int s, int p, boolean limit, int color)
            implements ImageAction {
    }

    /** {@code crop}: origin from gravity {@code g}, then offset by {@code x}, {@code y}; 0 size = to the edge. */
    record Crop(int w, int h, int x, int y, Gravity g) implements ImageAction {
    }

    /** {@code rotate}: clockwise degrees in [0, 360]; the canvas grows to the rotated bounding box. */
    record Rotate(int degrees) implements ImageAction {
    }

    /** {@code auto-orient}: 1 applies the EXIF orientation, 0 leaves the pixels as stored. */
    record AutoOrient(boolean enabled) implements ImageAction {
    }

    /** {@code quality}: {@code q} relative (0 = absent), {@code Q} absolute (0 = absent); {@code Q} wins. */
    record Quality(int relative, int absolute) implements ImageAction {
    }

    /** {@code format}: the output encoding. */
    record Format(OutputFormat format) implements ImageAction {
    }

    /** {@code info}: the OSS JSON description of the source instead of an image. */
    record Info() implements ImageAction {
    }

    /** OSS resize modes. */
    enum ResizeMode {
        /** Keep the ratio; the largest image inside w × h (default). */
        LFIT,
        /** Keep the ratio; the smallest image covering w × h. */
        MFIT,
        /** MFIT, then centre-crop to w × h. */
        FILL,
        /** LFIT, then centre on a w × h canvas filled with {@code color}. */
        PAD,
        /** Exactly w × h; may distort. */
        FIXED
    }

    /** OSS crop origins. */
    enum Gravity {
        NW, NORTH, NE, WEST, CENTER, EAST, SW, SOUTH, SE
    }

    /** Output encodings of {@code format}. */
    enum OutputFormat {
        JPG("jpg", "image/jpeg"),
        PNG("png", "image/png"),
        WEBP("webp", "image/webp"),
        BMP("bmp", "image/bmp"),
        /** Not selectable with {@code format}: the output of a GIF source without {@code format}. */
        GIF("gif", "image/gif");

        private final String ossName;
        private final String contentType;

        OutputFormat(String ossName, String contentType) {
            this.ossName = ossName;
            this.contentType = contentType;
        }

        String ossName() {
            return ossName;
        }

        String contentType() {
            return contentType;
        }

        /** The output format for a source of {@code f} when no {@code format} action is given. */
        static OutputFormat sameAs(ImageFormat f) {
            return switch (f) {
                case JPEG -> JPG;
                case PNG -> PNG;
                case GIF -> GIF;
                case BMP -> BMP;
                case WEBP -> WEBP;
            };
        }
    }
}
