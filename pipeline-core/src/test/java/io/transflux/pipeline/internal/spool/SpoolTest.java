package io.transflux.pipeline.internal.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;

import io.transflux.pipeline.LimitExceededException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

class SpoolTest {

    @TempDir
    Path dir;

    static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static Flux<ByteBuffer> chunks(byte[] b, int size) {
        return Flux.range(0, (b.length + size - 1) / size)
                .map(i -> ByteBuffer.wrap(b, i * size, Math.min(size, b.length - i * size)).slice());
    }

    static byte[] join(Flux<ByteBuffer> content) {
        return content.reduce(new java.io.ByteArrayOutputStream(), (out, buf) -> {
            byte[] a = new byte[buf.remaining()];
            buf.get(a);
            out.writeBytes(a);
            return out;
        }).block(Duration.ofSeconds(10)).toByteArray();
    }

    long files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void spoolReplaysRangesInBoundedChunksAndCloseDeletesTheFileAndFreesTheBudget() throws IOException {
        SpoolBudget budget = SpoolBudget.of(1 << 20);
        byte[] in = data(100_000);
        Spool sp = Spool.write(chunks(in, 7_000), dir, "t-", 200_000, "hint", budget).block(Duration.ofSeconds(10));
        assertThat(sp.length()).isEqualTo(100_000);
        assertThat(budget.used()).isEqualTo(100_000);
        assertThat(join(sp.content(4096))).isEqualTo(in);
        assertThat(sp.content(10, 5000, 4096).map(ByteBuffer::remaining).collectList().block())
                .containsExactly(4096, 904);
        assertThat(join(sp.content(10, 5000, 4096))).isEqualTo(java.util.Arrays.copyOfRange(in, 10, 5010));
        sp.close();
        sp.close();
        assertThat(files()).isZero();
        assertThat(budget.used()).isZero();
    }

    @Test
    void moreThanMaxBytesFailsNamingTheLimitAndDeletesTheFile() throws IOException {
        SpoolBudget budget = SpoolBudget.of(1 << 20);
        assertThatThrownBy(() -> Spool.write(chunks(data(5000), 1000), dir, "t-", 4096, "raise it here", budget)
                .block(Duration.ofSeconds(10)))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageStartingWith("maxSpoolBytes: reached 5000 > limit 4096 bytes")
                .hasMessageContaining("raise it here");
        assertThat(files()).isZero();
        assertThat(budget.used()).isZero();
    }

    @Test
    void concurrentSpoolsShareOneBudgetAndClosingOneMakesRoomForTheNext() throws IOException {
        SpoolBudget budget = SpoolBudget.of(1000);
        Spool first = Spool.write(chunks(data(600), 100), dir, "t-", 10_000, "h", budget).block();
        assertThatThrownBy(() -> Spool.write(chunks(data(600), 100), dir, "t-", 10_000, "h", budget).block())
                .isInstanceOf(LimitExceededException.class)
                .hasMessageStartingWith("spoolBudgetBytes: reached 1100 > limit 1000 bytes")
                .hasMessageContaining(SpoolBudget.PROPERTY);
        assertThat(budget.used()).isEqualTo(600);
        assertThat(files()).isEqualTo(1);
        first.close();
        Spool second = Spool.write(chunks(data(600), 100), dir, "t-", 10_000, "h", budget).block();
        assertThat(budget.used()).isEqualTo(600);
        second.close();
        assertThat(budget.used()).isZero();
        assertThat(files()).isZero();
    }

    @Test
    void cancellingAWriteDeletesThePartialFileAndFreesItsBytes() throws Exception {
        SpoolBudget budget = SpoolBudget.of(1 << 20);
        Sinks.Many<ByteBuffer> source = Sinks.many().unicast().onBackpressureBuffer();
        var sub = Spool.write(source.asFlux(), dir, "t-", 1 << 20, "h", budget).subscribe();
        source.tryEmitNext(ByteBuffer.wrap(data(3000)));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (budget.used() != 3000 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(budget.used()).isEqualTo(3000);
        sub.dispose();
        while ((budget.used() != 0 || files() != 0) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(budget.used()).isZero();
        assertThat(files()).isZero();
    }
}
