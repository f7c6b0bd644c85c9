package io.transflux.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LeakDetectionExtensionTest {

    @Test
    void runsAtParanoidWithTheRecordingDetector() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        assertThat(RecordingLeakDetector.installed).isTrue();
    }

    @Test
    void failsWhenABufferIsDroppedWithoutRelease() {
        leakOne();
        assertThatThrownBy(() -> LeakDetectionExtension.assertNoLeaks("this test"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("LEAK: ByteBuf");
    }

    private static void leakOne() {
        ByteBuf leaked = UnpooledByteBufAllocator.DEFAULT.directBuffer(16);
        leaked.writeInt(42);
        // dropped on purpose
    }
}
