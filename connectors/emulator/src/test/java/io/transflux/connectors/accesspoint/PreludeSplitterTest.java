package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class PreludeSplitterTest {

    static final String PRELUDE = "{\"statusCode\":206,\"headers\":{\"ETag\":\"\\\"t\\\"\"},\"cookies\":[\"a=b\"]}";

    @Test
    void thePreludeMaySplitAnywhereAndTheBodyStartsRightAfterTheEightNuls() {
        byte[] wire = (PRELUDE + "\0".repeat(8) + "body-bytes").getBytes(StandardCharsets.ISO_8859_1);
        for (int cut = 1; cut < wire.length; cut++) {
            PreludeSplitter sp = new PreludeSplitter();
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < wire.length; i += cut) {
                ByteBuf out = sp.feed(Unpooled.copiedBuffer(wire, i, Math.min(cut, wire.length - i)));
                if (out != null) {
                    body.append(out.toString(StandardCharsets.ISO_8859_1));
                    out.release();
                }
            }
            sp.release();
            assertThat(sp.prelude()).as("cut " + cut).isNotNull();
            assertThat(sp.prelude().status()).isEqualTo(206);
            assertThat(sp.prelude().headers()).containsEntry("ETag", "\"t\"");
            assertThat(sp.prelude().cookies()).containsExactly("a=b");
            assertThat(body.toString()).as("cut " + cut).isEqualTo("body-bytes");
        }
    }

    @Test
    void aPreludeWithoutDelimiterWithinSixteenKibibytesIsRefused() {
        PreludeSplitter sp = new PreludeSplitter();
        assertThatThrownBy(() -> sp.feed(Unpooled.copiedBuffer("x".repeat(PreludeSplitter.MAX_PRELUDE_BYTES + 1),
                StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no delimiter");
        sp.release();
    }

    @Test
    void aShortDelimiterOrAPreludeThatIsNotJsonIsRefused() {
        PreludeSplitter a = new PreludeSplitter();
        assertThatThrownBy(() -> a.feed(Unpooled.copiedBuffer("{}\0\0\0x\0\0\0\0", StandardCharsets.ISO_8859_1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("8 NUL");
        a.release();
        PreludeSplitter b = new PreludeSplitter();
        assertThatThrownBy(() -> b.feed(Unpooled.copiedBuffer("nope\0\0\0\0\0\0\0\0", StandardCharsets.ISO_8859_1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not JSON");
        b.release();
    }
}
