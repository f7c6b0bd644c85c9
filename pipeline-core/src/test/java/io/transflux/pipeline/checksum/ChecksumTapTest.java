package io.transflux.pipeline.checksum;

import static io.transflux.pipeline.checksum.ChecksumAlgorithm.CRC32;
import static io.transflux.pipeline.checksum.ChecksumAlgorithm.CRC32C;
import static io.transflux.pipeline.checksum.ChecksumAlgorithm.CRC64ECMA;
import static io.transflux.pipeline.checksum.ChecksumAlgorithm.CRC64NVME;
import static io.transflux.pipeline.checksum.ChecksumAlgorithm.MD5;
import static io.transflux.pipeline.checksum.ChecksumAlgorithm.SHA1;
import static io.transflux.pipeline.checksum.ChecksumAlgorithm.SHA256;
import static io.transflux.pipeline.checksum.ChecksumAlgorithm.SHA512;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.transflux.pipeline.ChecksumMismatchException;
import io.transflux.pipeline.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

class ChecksumTapTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * Published check values for {@code "123456789"}: the CRC catalogue's {@code check} column (CRC-32/ISO-HDLC,
     * CRC-32/ISCSI, CRC-64/NVME, CRC-64/XZ) and the coreutils {@code md5sum}/{@code sha*sum} output.
     */
    static Stream<Arguments> checkValues() {
        return Stream.of(
                Arguments.of(CRC32, "cbf43926", "y/Q5Jg=="),
                Arguments.of(CRC32C, "e3069283", "4waSgw=="),
                Arguments.of(CRC64NVME, "ae8b14860a799888", "rosUhgp5mIg="),
                Arguments.of(CRC64ECMA, "995dc9bbdf1939fa", "mV3Ju98ZOfo="),
                Arguments.of(MD5, "25f9e794323b453885f5181f1b624d0b", "JfnnlDI7RTiF9RgfG2JNCw=="),
                Arguments.of(SHA1, "f7c3bc1d808e04732adf679965ccc34ca7ae3441", "98O8HYCOBHMq32eZZczDTKeuNEE="),
                Arguments.of(SHA256, "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225",
                        "FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU="),
                Arguments.of(SHA512, "d9e6762dd1c8eaf6d61b3c6192fc408d4d6d5f1176d0c29169bc24e71c3f274a"
                                + "d27fcd5811b313d681f7e55ec02d73d499c95455b6b5bb503acf574fba8ffe85",
                        "2eZ2LdHI6vbWGzxhkvxAjU1tXxF20MKRabwk5xw/J0rSf81YEbMT1oH35V7ALXPUmclUVba1u1A6z1dPuo/+hQ=="));
    }

    /** Values of the empty input: zero for the CRCs, the well-known empty digests otherwise. */
    static Stream<Arguments> emptyValues() {
        return Stream.of(
                Arguments.of(CRC32, "00000000", "AAAAAA=="),
                Arguments.of(CRC32C, "00000000", "AAAAAA=="),
                Arguments.of(CRC64NVME, "0000000000000000", "AAAAAAAAAAA="),
                Arguments.of(CRC64ECMA, "0000000000000000", "AAAAAAAAAAA="),
                Arguments.of(MD5, "d41d8cd98f00b204e9800998ecf8427e", "1B2M2Y8AsgTpgAmY7PhCfg=="),
                Arguments.of(SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "2jmj7l5rSw0yVb/vlWAYkK/YBwk="),
                Arguments.of(SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
                Arguments.of(SHA512, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                                + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
                        "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="));
    }

    @ParameterizedTest
    @MethodSource("checkValues")
    void computesPublishedCheckValuesOf123456789(ChecksumAlgorithm algorithm, String hex, String base64) {
        ChecksumTap tap = ChecksumTap.of(algorithm);
        Flux<ByteBuffer> content = Flux.just(ascii("1234"), ByteBuffer.allocateDirect(0), direct("56789"));

        content.transform(tap).as(StepVerifier::create).expectNextCount(3).expectComplete().verify(TIMEOUT);

        ChecksumValue value = tap.results().block(TIMEOUT).get(algorithm);
        assertThat(value.hex()).isEqualTo(hex);
        assertThat(value.base64()).isEqualTo(base64);
        assertThat(value.algorithm()).isEqualTo(algorithm);
    }

    @ParameterizedTest
    @MethodSource("emptyValues")
    void computesValuesOfEmptyInput(ChecksumAlgorithm algorithm, String hex, String base64) {
        ChecksumTap tap = ChecksumTap.of(algorithm);

        Flux.<ByteBuffer>empty().transform(tap).as(StepVerifier::create).expectComplete().verify(TIMEOUT);

        ChecksumValue value = tap.results().block(TIMEOUT).get(algorithm);
        assertThat(value.hex()).isEqualTo(hex);
        assertThat(value.base64()).isEqualTo(base64);
    }

    @Test
    void crc64EcmaOf123456789HasTheOssDecimalForm() {
        ChecksumTap tap = ChecksumTap.of(CRC64ECMA);
        Flux.just(ascii("123456789")).transform(tap).blockLast(TIMEOUT);

        assertThat(tap.results().block(TIMEOUT).get(CRC64ECMA).unsignedDecimal()).isEqualTo("11051210869376104954");
    }

    @Test
    void computesEveryAlgorithmInOnePassInTheRequestedOrder() {
        List<ChecksumAlgorithm> order = List.of(SHA256, CRC64ECMA, MD5, CRC32C, SHA512, CRC32, SHA1, CRC64NVME);
        ChecksumTap tap = ChecksumTap.of(order);

        Flux.just(ascii("12"), ascii("3456789")).transform(tap).blockLast(TIMEOUT);

        Map<ChecksumAlgorithm, ChecksumValue> results = tap.results().block(TIMEOUT);
        assertThat(results.keySet()).containsExactlyElementsOf(order);
        assertThat(tap.algorithms()).containsExactlyElementsOf(order);
        checkValues().forEach(args -> {
            Object[] a = args.get();
            assertThat(results.get((ChecksumAlgorithm) a[0]).hex()).isEqualTo(a[1]);
        });
        assertThatThrownBy(() -> results.remove(SHA1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void passesTheSameBufferInstancesWithPositionsAndLimitsUntouched() {
        ByteBuffer first = ByteBuffer.wrap("xx12345yy".getBytes(StandardCharsets.US_ASCII), 2, 5);
        ByteBuffer second = direct("__6789").position(2);
        ChecksumTap tap = ChecksumTap.of(CRC32C, SHA256, CRC64NVME);

        Flux.just(first, second).transform(tap).as(StepVerifier::create)
                .expectNextMatches(b -> b == first && b.position() == 2 && b.limit() == 7)
                .expectNextMatches(b -> b == second && b.position() == 2 && b.limit() == 6)
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(tap.results().block(TIMEOUT).get(CRC32C).hex()).isEqualTo("e3069283");
    }

    @Test
    void honoursBackpressureOneRequestAtATime() {
        TestPublisher<ByteBuffer> source = TestPublisher.create();
        ByteBuffer a = ascii("1234");
        ByteBuffer b = ascii("56789");
        ChecksumTap tap = ChecksumTap.of(CRC32);
        AtomicReference<Map<ChecksumAlgorithm, ChecksumValue>> results = new AtomicReference<>();
        tap.results().subscribe(results::set);

        StepVerifier.create(source.flux().transform(tap), 0)
                .expectSubscription()
                .then(source::assertWasSubscribed)
                .then(source::assertWasNotRequested)
                .thenRequest(1)
                .then(() -> source.assertMinRequested(1).assertMaxRequested(1))
                .then(() -> source.next(a))
                .expectNext(a)
                .then(() -> source.assertMaxRequested(0))
                .thenRequest(1)
                .then(() -> source.next(b))
                .expectNext(b)
                .then(() -> assertThat(results.get()).as("results before completion").isNull())
                .then(source::complete)
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(results.get().get(CRC32).hex()).isEqualTo("cbf43926");
    }

    @Test
    void verifyCompletesWhenEveryValueMatches() {
        ChecksumTap tap = ChecksumTap.builder()
                .verify(CRC32C, ChecksumValue.fromBase64(CRC32C, "4waSgw=="))
                .compute(SHA256)
                .verify(CRC64ECMA, ChecksumValue.fromUnsignedDecimal(CRC64ECMA, "11051210869376104954"))
                .build();

        Flux.just(ascii("1234"), ascii("56789")).transform(tap).as(StepVerifier::create)
                .expectNextCount(2)
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(tap.results().block(TIMEOUT).keySet()).containsExactly(CRC32C, SHA256, CRC64ECMA);
        assertThat(tap.expected().keySet()).containsExactly(CRC32C, CRC64ECMA);
    }

    @Test
    void verifyFailsTheStreamInsteadOfCompletingOnMismatch() {
        ChecksumTap tap = ChecksumTap.builder()
                .compute(SHA1)
                .verify(CRC32C, ChecksumValue.fromHex(CRC32C, "deadbeef"))
                .verify(SHA256, ChecksumValue.fromHex(SHA256, "00".repeat(32)))
                .build();

        Flux.just(ascii("1234"), ascii("56789")).transform(tap).as(StepVerifier::create)
                .expectNextCount(2)
                .expectErrorSatisfies(e -> {
                    // The first mismatch in request order is reported.
                    assertThat(e).isInstanceOfSatisfying(ChecksumMismatchException.class, m -> {
                        assertThat(m.algorithm()).isEqualTo("crc32c");
                        assertThat(m.expected()).isEqualTo("deadbeef");
                        assertThat(m.actual()).isEqualTo("e3069283");
                        assertThat(m.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
                    });
                    assertThat(e).hasMessage("crc32c: actual e3069283 != expected deadbeef");
                })
                .verify(TIMEOUT);

        tap.results().as(StepVerifier::create)
                .expectError(ChecksumMismatchException.class)
                .verify(TIMEOUT);
    }

    @Test
    void resultsFailWithTheStreamsError() {
        IOException boom = new IOException("boom");
        ChecksumTap tap = ChecksumTap.of(SHA256);

        Flux.just(ascii("123")).concatWith(Flux.error(boom)).transform(tap).as(StepVerifier::create)
                .expectNextCount(1)
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
                .verify(TIMEOUT);

        tap.results().as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isSameAs(boom))
                .verify(TIMEOUT);
    }

    @Test
    void resultsFailWhenTheStreamIsCancelled() {
        ChecksumTap tap = ChecksumTap.of(CRC32C);

        Flux.just(ascii("123")).concatWith(Flux.never()).transform(tap).as(StepVerifier::create)
                .expectNextCount(1)
                .thenCancel()
                .verify(TIMEOUT);

        tap.results().as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(CancellationException.class)
                        .hasMessage("checksum stream cancelled after 3 bytes, before completion"))
                .verify(TIMEOUT);
    }

    @Test
    void aSecondSubscriptionFailsBecauseATapIsSingleUse() {
        ChecksumTap tap = ChecksumTap.of(CRC32);
        Flux<ByteBuffer> tapped = Flux.just(ascii("123456789")).transform(tap);

        tapped.as(StepVerifier::create).expectNextCount(1).expectComplete().verify(TIMEOUT);
        tapped.as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("single-use")
                        .hasMessageContaining("already subscribed"))
                .verify(TIMEOUT);

        // The first subscription's results are unaffected.
        assertThat(tap.results().block(TIMEOUT).get(CRC32).hex()).isEqualTo("cbf43926");
    }

    @Test
    void ofComputesRepeatedAlgorithmsOnce() {
        assertThat(ChecksumTap.of(CRC32, SHA1, CRC32).algorithms()).containsExactly(CRC32, SHA1);
    }

    @Test
    void builderRejectsNoAlgorithmsAndInconsistentExpectations() {
        assertThatThrownBy(() -> ChecksumTap.of())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("checksum algorithms: actual none, expected at least one");
        assertThatThrownBy(() -> ChecksumTap.builder().verify(CRC32, ChecksumValue.fromHex(CRC32C, "e3069283")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("verify crc32: expected value's algorithm: actual crc32c, expected crc32");
        assertThatThrownBy(() -> ChecksumTap.builder()
                .verify(CRC32, ChecksumValue.fromHex(CRC32, "cbf43926"))
                .verify(CRC32, ChecksumValue.fromHex(CRC32, "00000000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("verify crc32: actual second expected value 00000000, expected the same as the first, "
                        + "cbf43926");
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static ByteBuffer direct(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }
}
