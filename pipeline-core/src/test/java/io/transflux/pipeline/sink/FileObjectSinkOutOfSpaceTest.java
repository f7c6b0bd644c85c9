package io.transflux.pipeline.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.SinkException;
import io.transflux.testing.TinyFilesystem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/** Load-and-fault suite (issue #13): the output's disk fills up mid-write, on a real 2 MiB tmpfs. */
@Tag("load")
class FileObjectSinkOutOfSpaceTest {

    @TempDir
    Path tmp;

    @Test
    void aFullDiskFailsWithASinkExceptionAndLeavesNoTemporaryFileOrTarget() throws Exception {
        try (TinyFilesystem fs = TinyFilesystem.mount(tmp.resolve("tiny"), "2m")) {
            Path target = fs.dir().resolve("out.bin");
            // 8 MiB in 64 KiB chunks into 2 MiB of space
            Flux<ByteBuffer> content = Flux.range(0, 128).map(i -> ByteBuffer.allocate(64 * 1024));

            assertThatThrownBy(() -> FileObjectSink.of(target)
                    .write(ObjectStream.of(content, ObjectMetadata.builder().build())).block(Duration.ofSeconds(30)))
                    .isInstanceOf(SinkException.class)
                    .hasMessageContaining("write failed");

            try (Stream<Path> left = Files.list(fs.dir())) {
                assertThat(left).as("files left on the full disk").isEmpty();
            }
            // the space came back: a small write now succeeds
            FileObjectSink.of(target).write(ObjectStream.of(Flux.just(ByteBuffer.wrap(new byte[] {1, 2, 3})),
                    ObjectMetadata.builder().build())).block(Duration.ofSeconds(30));
            assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        }
    }
}
