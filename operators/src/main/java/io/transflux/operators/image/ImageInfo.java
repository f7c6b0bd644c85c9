package io.transflux.operators.image;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

import io.transflux.operators.image.ImageGeometry.Size;

import org.jspecify.annotations.Nullable;

/**
 * The JSON of {@code image/info} in OSS's shape, keys sorted:
 * {@code {"FileSize": {"value": "21839"}, "Format": {"value": "jpg"}, "FrameCount": {"value": "1"},
 * "ImageHeight": {"value": "267"}, "ImageWidth": {"value": "400"}}}
 * (https://www.alibabacloud.com/help/en/oss/user-guide/query-the-exif-data-of-an-image-4). Built from the header
 * probe alone: no pixel is decoded. Of the EXIF fields only {@code Orientation} is reported.
 */
final class ImageInfo {

    static final String CONTENT_TYPE = "application/json";

    private ImageInfo() {
    }

    static byte[] json(long fileSize, ImageFormat format, int frames, Size size, @Nullable JpegSegments jpeg) {
        Map<String, String> fields = new TreeMap<>();
        fields.put("FileSize", Long.toString(fileSize));
        fields.put("Format", format.ossName());
        fields.put("FrameCount", Integer.toString(frames));
        fields.put("ImageHeight", Integer.toString(size.height()));
        fields.put("ImageWidth", Integer.toString(size.width()));
        if (jpeg != null && jpeg.hasOrientation) {
            fields.put("Orientation", Integer.toString(jpeg.orientation));
        }
        StringJoiner j = new StringJoiner(", ", "{", "}");
        // Values are digits or format names from our own enum: nothing needs escaping.
        fields.forEach((k, v) -> j.add("\"" + k + "\": {\"value\": \"" + v + "\"}"));
        return j.toString().getBytes(StandardCharsets.UTF_8);
    }
}
