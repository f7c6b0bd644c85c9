package io.transflux.operators.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

import io.transflux.operators.image.ImageAction.OutputFormat;
import io.transflux.operators.image.ImageAction.Quality;
import io.transflux.operators.image.ImageGeometry.Rect;
import io.transflux.operators.image.ImageGeometry.Size;
import io.transflux.operators.image.ImagePlan.CropStep;
import io.transflux.operators.image.ImagePlan.OrientStep;
import io.transflux.operators.image.ImagePlan.ResizeStep;
import io.transflux.operators.image.ImagePlan.RotateStep;
import io.transflux.operators.image.ImagePlan.Step;
import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.PipelineException;

import org.jspecify.annotations.Nullable;

/**
 * One image transformation, synchronous and blocking, with no Reactor types: sniff, probe the header, check
 * the limits, plan, decode (area-reduced, in bands), apply the steps, encode. {@link #abort()} may be called from another
 * thread; the reader is disposed exactly once, on the thread that runs {@link #run()}.
 */
final class ImageJob {

    static {
        // No ImageIO temp files on the function's scratch disk; our streams are in memory anyway.
        ImageIO.setUseCache(false);
    }

    /** The result: encoded bytes in {@code bytes[0, length)} and their Content-Type. */
    record Result(byte[] bytes, int length, String contentType) {
    }

    /** Regions whose ARGB raster is at most this large are read in one call. */
    private static final long FULL_READ_BYTES = 16L << 20;
    /** Otherwise rows are read in bands of about this many ARGB bytes. */
    private static final long BAND_BYTES = 6L << 20;

    /** JPEGs decoded by {@link JpegDecoder} rather than ImageIO, for tests that check which path ran. */
    static final AtomicInteger JPEG_DECODES = new AtomicInteger();

    private final ImageRequest request;
    private final byte[] data;
    private final int length;
    private final ImageLimits limits;
    private final AtomicInteger openReaders;
    private volatile boolean aborted;
    private volatile @Nullable ImageReader reader;
    private volatile long estimatedBytes;

    ImageJob(ImageRequest request, byte[] data, int length, ImageLimits limits, AtomicInteger openReaders) {
        this.request = request;
        this.data = data;
        this.length = length;
        this.limits = limits;
        this.openReaders = openReaders;
    }

    /**
     * Asks a running decode to stop; the reader is freed by {@link #run()} as it unwinds. The JDK's JPEG reader
     * refuses {@code abort()} from another thread, so the reading thread also aborts itself from its progress
     * listener once it sees the flag.
     */
    void abort() {
        aborted = true;
        ImageReader r = reader;
        if (r != null) {
            try {
                r.abort();
            } catch (RuntimeException refused) {
                // Thread-locked reader: the progress listener aborts on the reading thread instead.
            }
        }
    }

    /**
     * Runs the job. An {@link OutOfMemoryError} while decoding or transforming (a heap smaller than the limits
     * allow for) becomes a {@link LimitExceededException} naming the heap, instead of a subscriber that never
     * hears back: Reactor rethrows fatal errors on the worker rather than signalling them.
     */
    Result run() {
        try {
            return runUnguarded();
        } catch (OutOfMemoryError e) {
            long max = Runtime.getRuntime().maxMemory();
            throw new LimitExceededException("heap", max, estimatedBytes, "bytes",
                    "decoding needs about " + estimatedBytes + " bytes of pixels; lower ImageLimits.maxSourcePixels "
                            + "or give the JVM more heap (-Xmx)");
        }
    }

    private Result runUnguarded() {
        ImageFormat format = ImageFormat.sniff(data, length);
        JpegSegments jpeg = format == ImageFormat.JPEG ? JpegSegments.scan(data, length) : null;
        int orientation = jpeg == null ? 1 : jpeg.orientation;
        if (jpeg != null && !jpeg.icc && !request.isInfo()) {
            Result own = ownJpeg(format, jpeg);
            if (own != null) {
                return own;
            }
        }
        ImageReader r = readerFor(format, jpeg != null && jpeg.plainYCbCr);
        ImageInputStream iis = new ByteArrayImageInputStream(data, 0, length);
        openReaders.incrementAndGet();
        reader = r;
        Pixels pixels;
        ImagePlan plan;
        try {
            checkAborted();
            boolean info = request.isInfo();
            // Not seek-forward-only: banded reads go back to the start of the image.
            r.setInput(iis, false, true);
            Size size = probe(r, format);
            if (info) {
                int frames = 1;
                if (format == ImageFormat.GIF || format == ImageFormat.WEBP) {
                    frames = guarded(format, () -> r.getNumImages(true));
                }
                byte[] json = ImageInfo.json(length, format, frames, size, jpeg);
                return new Result(json, json.length, ImageInfo.CONTENT_TYPE);
            }
            plan = ImagePlan.of(request, size, orientation, limits);
            estimatedBytes = plan.decoded().pixels() * 4 + (long) plan.output.width() * plan.output.height() * 8;
            TruncationListener warnings = new TruncationListener();
            r.addIIOReadWarningListener(warnings);
            r.addIIOReadProgressListener(new javax.imageio.event.IIOReadProgressListener() {
                @Override
                public void imageProgress(ImageReader source, float percentageDone) {
                    if (aborted) {
                        source.abort();
                    }
                }

                @Override
                public void sequenceStarted(ImageReader source, int minIndex) {
                }

                @Override
                public void sequenceComplete(ImageReader source) {
                }

                @Override
                public void imageStarted(ImageReader source, int imageIndex) {
                }

                @Override
                public void imageComplete(ImageReader source) {
                }

                @Override
                public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
                }

                @Override
                public void thumbnailProgress(ImageReader source, float percentageDone) {
                }

                @Override
                public void thumbnailComplete(ImageReader source) {
                }

                @Override
                public void readAborted(ImageReader source) {
                }
            });
            pixels = decodeReduced(r, format, plan);
            checkAborted();
            if (warnings.message != null) {
                throw new ImageDecodeException("image: " + format + " data is truncated or corrupt: "
                        + warnings.message, null);
            }
        } finally {
            reader = null;
            r.dispose();
            try {
                iis.close();
            } catch (IOException ignored) {
                // in-memory stream
            }
            openReaders.decrementAndGet();
        }
        return finish(pixels, plan, format, jpeg);
    }

    /**
     * Decodes with {@link JpegDecoder}, scaling in the DCT domain by the largest power of two (at most 8) that the
     * plan's area reduction allows; {@code null} when the JPEG uses a form it leaves to ImageIO.
     */
    private @Nullable Result ownJpeg(ImageFormat format, JpegSegments jpeg) {
        JpegDecoder dec = new JpegDecoder(data, length);
        try {
            dec.readHeader();
        } catch (JpegDecoder.Unsupported e) {
            return null;
        }
        Size size = checkSize(format, dec.width, dec.height);
        ImagePlan plan = ImagePlan.of(request, size, jpeg.orientation, limits);
        int scale = Math.min(8, Integer.highestOneBit(Math.min(plan.boxX, plan.boxY)));
        Rect region = plan.region;
        int sw = JpegDecoder.scaled(dec.width, scale);
        int sh = JpegDecoder.scaled(dec.height, scale);
        int x0 = region.x() / scale;
        int y0 = region.y() / scale;
        int x1 = Math.min(sw, JpegDecoder.scaled(region.x() + region.width(), scale));
        int y1 = Math.min(sh, JpegDecoder.scaled(region.y() + region.height(), scale));
        Rect scaled = new Rect(x0, y0, x1 - x0, y1 - y0);
        estimatedBytes = (long) scaled.width() * scaled.height() / Math.max(1, plan.boxX / scale)
                / Math.max(1, plan.boxY / scale) * 4 + (long) plan.output.width() * plan.output.height() * 8;
        AreaReducer reducer = new AreaReducer(scaled.width(), scaled.height(), Math.max(1, plan.boxX / scale),
                Math.max(1, plan.boxY / scale), false);
        checkAborted();
        openReaders.incrementAndGet();
        try {
            dec.decode(scale, scaled, reducer::row, this::checkAborted);
        } catch (JpegDecoder.Unsupported e) {
            return null;
        } catch (ArrayIndexOutOfBoundsException | IllegalStateException e) {
            // A defect or a header lie the checks missed: never partial output, always the decode error.
            throw new ImageDecodeException("image: JPEG data is truncated or corrupt: " + e, e);
        } finally {
            openReaders.decrementAndGet();
        }
        JPEG_DECODES.incrementAndGet();
        return finish(reducer.result(), plan, format, jpeg);
    }

    private Result finish(Pixels decoded, ImagePlan plan, ImageFormat format, @Nullable JpegSegments jpeg) {
        Pixels pixels = decoded;
        for (Step step : plan.steps) {
            checkAborted();
            if (step instanceof OrientStep o) {
                pixels = pixels.orient(o.orientation());
            } else if (step instanceof RotateStep rs) {
                pixels = pixels.rotate(rs.degrees(), rs.box(), ImageEncoder.FLATTEN_BACKGROUND);
            } else if (step instanceof CropStep c) {
                pixels = pixels.crop(c.rect());
            } else if (step instanceof ResizeStep rz) {
                pixels = pixels.place(rz.placement(), rz.color());
            }
        }
        checkAborted();
        OutputFormat out = request.declaredFormat();
        if (out == null) {
            out = OutputFormat.sameAs(format);
        }
        ImageEncoder.Encoded encoded = ImageEncoder.encode(pixels, out, quality(format, jpeg));
        return new Result(encoded.buffer(), encoded.size(), out.contentType());
    }

    /**
     * Decodes {@code plan.region}, area-reducing it by {@code plan.boxX} × {@code plan.boxY} as rows arrive. A
     * region whose raster would be large is read in bands of rows (ImageIO source regions), so only one band and
     * the reduced image are in memory; readers restart at each band, which costs time but never correctness.
     */
    private Pixels decodeReduced(ImageReader r, ImageFormat format, ImagePlan plan) {
        Rect region = plan.region;
        int w = region.width();
        int h = region.height();
        int bandRows = h;
        if ((long) w * h * 4 > FULL_READ_BYTES) {
            bandRows = (int) Math.max(1, BAND_BYTES / (4L * w));
            bandRows = Math.max(plan.boxY, bandRows / plan.boxY * plan.boxY);
        }
        AreaReducer reducer = null;
        int[] row = new int[w];
        for (int y = 0; y < h; y += bandRows) {
            checkAborted();
            ImageReadParam param = r.getDefaultReadParam();
            int rows = Math.min(bandRows, h - y);
            param.setSourceRegion(new java.awt.Rectangle(region.x(), region.y() + y, w, rows));
            BufferedImage band = guarded(format, () -> r.read(0, param));
            if (band.getWidth() != w || band.getHeight() != rows) {
                throw new ImageDecodeException("image: " + format + " reader returned " + band.getWidth() + "x"
                        + band.getHeight() + " for a " + w + "x" + rows + " region", null);
            }
            if (reducer == null) {
                reducer = new AreaReducer(w, h, plan.boxX, plan.boxY, band.getColorModel().hasAlpha());
            }
            Pixels.RowReader reader = new Pixels.RowReader(band);
            for (int by = 0; by < rows; by++) {
                reader.read(by, row);
                reducer.row(row, 0);
            }
        }
        return java.util.Objects.requireNonNull(reducer).result();
    }

    /** {@code Q} wins; {@code q} is relative to the source quality for JPEG sources, absolute otherwise. */
    private int quality(ImageFormat source, @Nullable JpegSegments jpeg) {
        Quality q = request.quality();
        if (q == null) {
            return ImageEncoder.DEFAULT_QUALITY;
        }
        if (q.absolute() > 0) {
            return q.absolute();
        }
        if (source == ImageFormat.JPEG && jpeg != null && jpeg.quality > 0) {
            return Math.max(1, (int) Math.round(jpeg.quality * q.relative() / 100.0));
        }
        return q.relative();
    }

    private Size probe(ImageReader r, ImageFormat format) {
        int w = guarded(format, () -> r.getWidth(0));
        int h = guarded(format, () -> r.getHeight(0));
        return checkSize(format, w, h);
    }

    private Size checkSize(ImageFormat format, int w, int h) {
        if (w < 1 || h < 1) {
            throw new ImageDecodeException("image: " + format + " header declares " + w + "x" + h
                    + ", expected at least 1x1", null);
        }
        int side = Math.max(w, h);
        if (side > limits.maxSourceSide()) {
            throw new LimitExceededException("maxSourceSide", limits.maxSourceSide(), side, "px",
                    "source " + format + " declares " + w + "x" + h + "; OSS allows 30000 px per side; raise it with "
                            + "ImageLimits.builder().maxSourceSide(..)");
        }
        long pixels = Math.multiplyExact((long) w, (long) h);
        if (pixels > limits.maxSourcePixels()) {
            throw new LimitExceededException("maxSourcePixels", limits.maxSourcePixels(), pixels, "pixels",
                    "source " + format + " declares " + w + "x" + h + "; OSS allows 250 megapixels; raise it with "
                            + "ImageLimits.builder().maxSourcePixels(..)");
        }
        return new Size(w, h);
    }

    private void checkAborted() {
        if (aborted) {
            throw new CancellationException("image: cancelled");
        }
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    /** Runs a reader call, turning codec failures into {@link ImageDecodeException}. */
    private <T> T guarded(ImageFormat format, IoCall<T> call) {
        try {
            return call.call();
        } catch (PipelineException e) {
            throw e;
        } catch (IIOException e) {
            checkAborted();
            throw new ImageDecodeException("image: " + format + " data is truncated or corrupt: " + message(e), e);
        } catch (IOException | RuntimeException e) {
            checkAborted();
            throw new ImageDecodeException("image: " + format + " data is truncated or corrupt: " + message(e), e);
        }
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }

    /**
     * Picks the allow-listed reader: TwelveMonkeys for WebP and for JPEGs with CMYK/YCCK, ICC profiles or odd
     * encodings; the JDK's for plain YCbCr JPEGs (about 20% faster) and for PNG, GIF and BMP.
     */
    private static ImageReader readerFor(ImageFormat format, boolean plainJpeg) {
        String name = switch (format) {
            case JPEG -> "jpeg";
            case PNG -> "png";
            case GIF -> "gif";
            case BMP -> "bmp";
            case WEBP -> "webp";
        };
        String preferred = format == ImageFormat.WEBP || format == ImageFormat.JPEG && !plainJpeg
                ? "com.twelvemonkeys." : "com.sun.imageio.";
        ImageReader chosen = null;
        ImageReader fallback = null;
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(name);
        while (it.hasNext()) {
            ImageReader r = it.next();
            String cls = r.getClass().getName();
            if (chosen == null && cls.startsWith(preferred)) {
                chosen = r;
            } else if (fallback == null && !cls.startsWith("com.luciad.")) {
                // Never decode with the native libwebp reader of webp-imageio: it is there to encode.
                fallback = r;
            } else {
                r.dispose();
            }
        }
        if (chosen == null) {
            chosen = fallback;
        } else if (fallback != null) {
            fallback.dispose();
        }
        if (chosen == null) {
            throw new PipelineException(io.transflux.pipeline.ErrorCode.INTERNAL_ERROR,
                    "image: no ImageIO reader for " + format + "; expected TwelveMonkeys imageio-"
                            + format.name().toLowerCase(Locale.ROOT) + " or the JDK reader on the class path");
        }
        return chosen;
    }

    /** Turns libjpeg's "premature end" warning (a truncated file decoded as grey) into an error. */
    private static final class TruncationListener implements IIOReadWarningListener {
        volatile @Nullable String message;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            String w = warning.toLowerCase(Locale.ROOT);
            if (message == null && (w.contains("premature end") || w.contains("truncat"))) {
                message = warning;
            }
        }
    }
}
