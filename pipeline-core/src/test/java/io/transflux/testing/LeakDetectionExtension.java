package io.transflux.testing;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Auto-registered for every test class (see {@code META-INF/services}). Before a class runs it checks
 * that Netty's leak detector is at PARANOID and is ours; after the class it collects garbage, lets
 * Netty report what was dropped without {@code release()}, and fails the class if anything leaked.
 */
public final class LeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new IllegalStateException("Netty leak detection must run at PARANOID in tests, found "
                    + ResourceLeakDetector.getLevel() + ": run through Maven (surefire argLine)");
        }
        poke();
        if (!RecordingLeakDetector.installed) {
            throw new IllegalStateException("io.netty.customResourceLeakDetector is not "
                    + RecordingLeakDetector.class.getName() + ": run through Maven (surefire argLine)");
        }
        RecordingLeakDetector.LEAKS.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        assertNoLeaks(context.getRequiredTestClass().getName());
    }

    /** Collects garbage, lets Netty report, and fails naming {@code where} if a buffer leaked. */
    public static void assertNoLeaks(String where) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            poke();
        }
        List<String> leaks = new ArrayList<>(RecordingLeakDetector.LEAKS);
        RecordingLeakDetector.LEAKS.clear();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) in " + where + ":\n"
                    + String.join("\n", leaks));
        }
    }

    /** Each allocation polls the detector's reference queue, which is when Netty reports leaks. */
    private static void poke() {
        ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(1);
        a.release();
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(1);
        b.release();
        ByteBuf c = PooledByteBufAllocator.DEFAULT.heapBuffer(1);
        c.release();
    }
}
