package io.transflux.operators.compression;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;

import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Pipeline;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;

/**
 * The default limits never cut a legitimate log (issue 12 §4, docs/limits.md): a service stuck in a retry loop
 * logs one line over and over, and zstd -19 packs that past 10,000:1. Fixtures from
 * {@code src/test/resources/limits/recreate.sh}.
 */
class DefaultRatioCapTest {

    static final long LOG_BYTES = 16_777_208;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"decompress/zstd, error-loop.log.zst", "decompress/auto, error-loop.log.zst",
            "decompress/bzip2, error-loop.log.bz2", "decompress/auto, error-loop.log.bz2"})
    void aRetryLoopLogPackedPast10000To1DecodesWholeWithTheDefaults(String stage, String fixture) throws IOException {
        byte[] packed;
        try (InputStream in = DefaultRatioCapTest.class.getResourceAsStream("/limits/" + fixture)) {
            packed = in.readAllBytes();
        }
        if (fixture.endsWith(".zst")) {
            assertThat(LOG_BYTES / packed.length).as("the fixture is as extreme as claimed").isGreaterThan(10_000);
        }
        long out = Pipeline.parse(stage).operators().get(0)
                .apply(ObjectStream.of(Flux.just(ByteBuffer.wrap(packed)), ObjectMetadata.empty())).content()
                .reduce(0L, (n, b) -> n + b.remaining())
                .block(Duration.ofSeconds(60));
        assertThat(out).isEqualTo(LOG_BYTES);
    }
}
