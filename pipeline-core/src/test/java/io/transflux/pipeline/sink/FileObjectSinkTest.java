package io.transflux.pipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.ObjectStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class FileObjectSinkTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void writesEverythingAndMovesItIntoPlace() throws Exception {
        Path target = dir.resolve("out.txt");

        StepVerifier.create(FileObjectSink.of(target).write(ObjectStream.of(Flux.just(ascii("hello "), ascii("world")))))
                .expectNext(new SinkResult(11, target.toString()))
                .verifyComplete();
        assertThat(target).hasContent("hello world");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void failedContentLeavesNoTargetAndNoTemporaryFile() throws Exception {
        Path target = dir.resolve("out.txt");
        Flux<ByteBuffer> failing = Flux.just(ascii("partial")).concatWith(Flux.error(new DecompressionException("truncated")));

        StepVerifier.create(FileObjectSink.of(target).write(ObjectStream.of(failing)))
                .expectError(DecompressionException.class)
                .verify(TIMEOUT);
        assertThat(target).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void failedContentKeepsAnExistingTargetUntouched() throws Exception {
        Path target = Files.writeString(dir.resolve("out.txt"), "previous");
        Flux<ByteBuffer> failing = Flux.just(ascii("new")).concatWith(Flux.error(new IllegalStateException("boom")));

        StepVerifier.create(FileObjectSink.of(target).write(ObjectStream.of(failing)))
                .expectError(IllegalStateException.class)
                .verify(TIMEOUT);
        assertThat(target).hasContent("previous");
    }

    @Test
    void cancelledWriteRemovesTheTemporaryFile() throws Exception {
        Path target = dir.resolve("out.txt");
        Flux<ByteBuffer> endless = Flux.just(ascii("a")).concatWith(Flux.never());

        StepVerifier.create(FileObjectSink.of(target).write(ObjectStream.of(endless)))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(200))
                .thenCancel()
                .verify(TIMEOUT);
        // cleanup runs asynchronously on boundedElastic
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!leftovers().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(leftovers()).isEmpty();
        assertThat(target).doesNotExist();
    }

    private java.util.List<Path> leftovers() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".transflux-tmp")).toList();
        }
    }
}
