package io.transflux.operators.image;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.transflux.operators.image.ImageGeometry.Rect;

/**
 * Fuzz target for {@link JpegDecoder}: any bytes either decode, are refused as a form left to ImageIO
 * ({@link JpegDecoder.Unsupported}), or fail with {@link ImageDecodeException}; nothing else may escape (no index
 * errors, no endless loop, no allocation beyond the declared size). Under plain JUnit it replays the seeds in
 * {@code JpegDecoderFuzzTestInputs/decodesOrFailsTyped} (real JPEGs: baseline, progressive, restart markers,
 * greyscale, truncated); {@code JAZZER_FUZZ=1} fuzzes.
 */
class JpegDecoderFuzzTest {

    /** Keeps fuzzed headers from asking for huge planes; the image stage checks limits before decoding. */
    static final long MAX_PIXELS = 4_000_000;

    @FuzzTest(maxDuration = "30s")
    void decodesOrFailsTyped(byte[] data) {
        JpegDecoder dec = new JpegDecoder(data, data.length);
        try {
            dec.readHeader();
            if ((long) dec.width * dec.height > MAX_PIXELS) {
                return;
            }
            for (int scale : new int[] {1, 8}) {
                JpegDecoder d = new JpegDecoder(data, data.length);
                d.readHeader();
                int w = JpegDecoder.scaled(d.width, scale);
                int h = JpegDecoder.scaled(d.height, scale);
                AreaReducer sink = new AreaReducer(w, h, 1, 1, false);
                d.decode(scale, new Rect(0, 0, w, h), sink::row);
                sink.result();
            }
        } catch (JpegDecoder.Unsupported | ImageDecodeException expected) {
            // typed outcomes
        }
    }
}
