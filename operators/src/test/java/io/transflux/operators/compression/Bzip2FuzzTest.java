package io.transflux.operators.compression;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.transflux.pipeline.DecompressionException;

/**
 * The bzip2 fuzz target: any bytes, decoded by the own decoder (sequential and with three blocks in flight),
 * by {@code bzip2 -dc} and by commons-compress; all must agree, and the own decoder may only fail with a
 * {@link DecompressionException}. Under plain JUnit (CI) it replays the seed inputs in
 * {@code Bzip2FuzzTestInputs/}: tool-made fixtures, the hand-made stream with a chance magic, and damaged
 * copies. Fuzz for real with {@code JAZZER_FUZZ=1 ./mvnw -pl operators test -Dtest=Bzip2FuzzTest}.
 */
class Bzip2FuzzTest {

    @FuzzTest(maxDuration = "60s")
    void agreesWithBzip2AndCommonsCompress(byte[] input) {
        if (input.length == 0) {
            return; // bzip2 -dc accepts empty input as no streams; the stage rejects it on purpose ("empty input")
        }
        byte[] reference = ReferenceTools.bzip2DcOrNull(input);
        for (int parallelism : new int[] {1, 3}) {
            byte[] own = ownOrNull(input, 1 + (input[0] & 0xff) * 97, parallelism);
            if (reference == null) {
                assertThat(own).as("bzip2 -dc failed, %d in flight", parallelism).isNull();
            } else {
                assertThat(own).as("%d in flight", parallelism).isEqualTo(reference);
            }
        }
        byte[] commons;
        try {
            commons = Bzip2DecoderTest.commonsDecode(input);
        } catch (IOException | RuntimeException e) {
            commons = null;
        }
        if (commons != null) {
            assertThat(commons).isEqualTo(reference);
        }
    }

    private static byte @Nullable [] ownOrNull(byte[] input, int piece, int parallelism) {
        try {
            return Bzip2DecoderTest.decode(input, piece, parallelism, true);
        } catch (DecompressionException e) {
            return null;
        }
    }
}
