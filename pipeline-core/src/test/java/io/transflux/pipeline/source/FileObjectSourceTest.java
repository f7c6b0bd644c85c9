package io.transflux.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.RangeReader;
import io.transflux.pipeline.SourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class FileObjectSourceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void readsTheFileInBoundedChunksWithItsLength() throws Exception {
        byte[] data = new byte[200_000];
        new Random(1).nextBytes(data);
        Path f = Files.write(dir.resolve("a.bin"), data);

        ObjectStream s = FileObjectSource.of(f, 65536).open().block(TIMEOUT);

        assertThat(s.metadata().contentLength()).hasValue(200_000);
        assertThat(s.metadata().lastModified()).isNotNull();
        StepVerifier.create(s.content().map(ByteBuffer::remaining))
                .expectNext(65536, 65536, 65536, 200_000 - 3 * 65536)
                .verifyComplete();
        assertThat(ByteStreams.toBytes(FileObjectSource.of(f).open().block(TIMEOUT).content()).block(TIMEOUT))
                .isEqualTo(data);
    }

    @Test
    void readsOnlyAsFastAsDemanded() throws Exception {
        Path f = Files.write(dir.resolve("b.bin"), new byte[10_000]);
        ObjectStream s = FileObjectSource.of(f, 1000).open().block(TIMEOUT);

        StepVerifier.create(s.content(), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(1)
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(2)
                .expectNextCount(2)
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void missingFileIsATypedSourceError() {
        StepVerifier.create(FileObjectSource.of(dir.resolve("nope")).open())
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOfSatisfying(SourceException.class, se -> {
                            assertThat(se.code()).isEqualTo(ErrorCode.SOURCE_ERROR);
                            assertThat(se.status()).isEqualTo(404);
                            assertThat(se.sourceErrorCode()).isEqualTo("NoSuchKey");
                        }))
                .verify(TIMEOUT);
    }

    @Test
    void emptyFileIsAnEmptyStream() throws Exception {
        Path f = Files.write(dir.resolve("empty"), new byte[0]);
        ObjectStream s = FileObjectSource.of(f).open().block(TIMEOUT);

        assertThat(s.metadata().contentLength()).hasValue(0);
        StepVerifier.create(s.content()).verifyComplete();
    }

    @Test
    void rangeReaderReadsExactlyTheAskedRangeInBoundedChunks() throws Exception {
        byte[] data = new byte[200_000];
        new Random(2).nextBytes(data);
        Path f = Files.write(dir.resolve("r.bin"), data);
        ObjectStream s = FileObjectSource.of(f, 65536).open().block(TIMEOUT);
        RangeReader r = s.rangeReader().orElseThrow();

        assertThat(r.size()).isEqualTo(200_000);
        StepVerifier.create(r.read(1000, 140_000).map(ByteBuffer::remaining))
                .expectNext(65536, 65536, 139_000 - 2 * 65536)
                .verifyComplete();
        assertThat(ByteStreams.toBytes(r.read(12_345, 12_400)).block(TIMEOUT))
                .isEqualTo(Arrays.copyOfRange(data, 12_345, 12_400));
        assertThat(ByteStreams.toBytes(r.read(199_990, 200_000)).block(TIMEOUT))
                .isEqualTo(Arrays.copyOfRange(data, 199_990, 200_000));
        StepVerifier.create(r.read(5, 5)).verifyComplete();
        assertThatThrownBy(() -> r.read(10, 200_001)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("200000");
    }

    @Test
    void rangeReaderReadsOnlyAsFastAsDemanded() throws Exception {
        Path f = Files.write(dir.resolve("d.bin"), new byte[10_000]);
        RangeReader r = FileObjectSource.of(f, 1000).open().block(TIMEOUT).rangeReader().orElseThrow();

        StepVerifier.create(r.read(0, 10_000), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(2)
                .expectNextCount(2)
                .expectNoEvent(Duration.ofMillis(50))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void rangeReaderFailsWhenTheFileChangedSize() throws Exception {
        Path f = Files.write(dir.resolve("c.bin"), new byte[1000]);
        RangeReader r = FileObjectSource.of(f).open().block(TIMEOUT).rangeReader().orElseThrow();
        Files.write(f, new byte[10]);

        StepVerifier.create(r.read(0, 100))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SourceException.class)
                        .hasMessageContaining("changed since it was opened")
                        .extracting(x -> ((SourceException) x).code()).isEqualTo(ErrorCode.SOURCE_CHANGED))
                .verify(TIMEOUT);
    }

    @Test
    void standardInputHasNoRangeReader() {
        assertThat(FileObjectSource.stdin().open().block(TIMEOUT).rangeReader()).isEmpty();
    }
}
