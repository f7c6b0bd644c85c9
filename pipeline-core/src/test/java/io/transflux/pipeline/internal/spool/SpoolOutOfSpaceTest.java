package io.transflux.pipeline.internal.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import io.transflux.pipeline.SinkException;
import io.transflux.testing.TinyFilesystem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/** Load-and-fault suite (issue #13): the spool directory is a real 2 MiB tmpfs that fills up mid-write. */
@Tag("load")
class SpoolOutOfSpaceTest {

    @TempDir
    Path tmp;

    @Test
    void aFullSpoolDiskFailsWithASinkExceptionNamingTheCauseAndDeletesTheFile() throws Exception {
        try (TinyFilesystem fs = TinyFilesystem.mount(tmp.resolve("tiny"), "2m")) {
            Flux<ByteBuffer> content = Flux.range(0, 128).map(i -> ByteBuffer.allocate(64 * 1024));
            SpoolBudget budget = SpoolBudget.of(64L * 1024 * 1024);

            assertThatThrownBy(() -> Spool.write(content, fs.dir(), "t-", Long.MAX_VALUE, "", budget)
                    .block(Duration.ofSeconds(30)))
                    .isInstanceOf(SinkException.class)
                    .hasMessageContaining("spool: cannot write the temporary file")
                    .hasMessageContaining("No space left on device");

            try (Stream<Path> left = Files.list(fs.dir())) {
                assertThat(left).as("spool files left on the full disk").isEmpty();
            }
            assertThat(budget.used()).as("bytes still held in the budget").isZero();
        }
    }
}
