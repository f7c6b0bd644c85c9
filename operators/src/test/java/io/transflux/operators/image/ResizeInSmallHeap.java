package io.transflux.operators.image;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.StageSpec;
import io.transflux.pipeline.source.FileObjectSource;

/**
 * Child-JVM entry point for {@link ImageMemoryTest}: streams a file through an image stage and prints
 * {@code WxH} of the output, its byte count and the peak heap of all heap pools. Exit 0 on success, 3 on
 * {@link OutOfMemoryError}.
 */
public final class ResizeInSmallHeap {

    private ResizeInSmallHeap() {
    }

    public static void main(String[] args) {
        try {
            ObjectStream in = FileObjectSource.of(Path.of(args[0])).open().block(Duration.ofSeconds(30));
            ObjectStream out = Images.process(Images.operator(StageSpec.parse(args[1])), in, Limits.defaults())
                    .block(Duration.ofSeconds(60));
            byte[] bytes = ByteStreams.toBytes(out.content()).block(Duration.ofSeconds(30));
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.println("size=" + img.getWidth() + "x" + img.getHeight() + " bytes=" + bytes.length
                    + " peakHeapBytes=" + peak + " maxHeapBytes=" + Runtime.getRuntime().maxMemory());
            System.exit(0);
        } catch (OutOfMemoryError e) {
            System.out.println("OutOfMemoryError " + e.getMessage());
            System.exit(3);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(2);
        }
    }
}
