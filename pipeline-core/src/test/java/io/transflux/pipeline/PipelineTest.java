package io.transflux.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.publisher.TestPublisher;

class PipelineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final StageRegistry registry = TestStages.registry();

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String ascii(ByteBuffer b) {
        return StandardCharsets.US_ASCII.decode(b.duplicate()).toString();
    }

    @Test
    void emptyPipelinePassesBytesAndMetadataUnchanged() {
        ObjectMetadata meta = ObjectMetadata.builder().contentLength(6).contentType("text/plain").eTag("\"e\"").build();
        ObjectStream out = Pipeline.empty().apply(ObjectStream.of(Flux.just(ascii("abc"), ascii("def")), meta));

        assertThat(out.metadata()).isEqualTo(meta);
        StepVerifier.create(out.content().map(PipelineTest::ascii))
                .expectNext("abc", "def")
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void operatorsRunInOrderAndChangeMetadata() {
        Pipeline p = Pipeline.parse("test/repeat|test/upper", registry);
        ObjectStream out = p.apply(ObjectStream.of(Flux.just(ascii("ab")),
                ObjectMetadata.builder().contentLength(2).build()));

        assertThat(out.metadata().contentLength()).isEmpty();
        StepVerifier.create(out.content().map(PipelineTest::ascii))
                .expectNext("AB", "AB")
                .verifyComplete();
    }

    @Test
    void honoursDemandOneChunkAtATime() {
        TestPublisher<ByteBuffer> source = TestPublisher.create();
        Pipeline p = Pipeline.parse("test/upper", registry);

        StepVerifier.create(p.apply(ObjectStream.of(source.flux())).content().map(PipelineTest::ascii), 0)
                .expectSubscription()
                .then(() -> source.assertMinRequested(0))
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(1)
                .then(() -> source.assertMinRequested(1).next(ascii("a")))
                .expectNext("A")
                .thenRequest(1)
                .then(() -> source.next(ascii("b")))
                .expectNext("B")
                .then(source::complete)
                .expectComplete()
                .verify(TIMEOUT);
        source.assertMaxRequested(2);
    }

    @Test
    void cancellingMidStreamCancelsTheSource() {
        PublisherProbe<ByteBuffer> probe = PublisherProbe.of(Flux.just(ascii("a"), ascii("b")).concatWith(Flux.never()));
        Pipeline p = Pipeline.parse("test/upper|test/repeat", registry);

        StepVerifier.create(p.apply(ObjectStream.of(probe.flux())).content().map(PipelineTest::ascii), 1)
                .expectNext("A")
                .thenCancel()
                .verify(TIMEOUT);
        probe.assertWasSubscribed();
        probe.assertWasCancelled();
    }

    @Test
    void errorMidStreamReachesTheSubscriberAfterEarlierChunks() {
        Flux<ByteBuffer> failing = Flux.just(ascii("ok")).concatWith(Flux.error(new DecompressionException("gzip: bad CRC")));

        StepVerifier.create(Pipeline.parse("test/upper", registry).apply(ObjectStream.of(failing)).content()
                        .map(PipelineTest::ascii))
                .expectNext("OK")
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(DecompressionException.class)
                        .hasMessage("gzip: bad CRC"))
                .verify(TIMEOUT);
    }

    @Test
    void largeBuffersAreSlicedToTheChunkBound() {
        Limits limits = Limits.builder().maxChunkBytes(1024).build();
        ObjectStream out = Pipeline.empty().apply(ObjectStream.of(Flux.just(ByteBuffer.allocate(2500))), limits);

        StepVerifier.create(out.content().map(ByteBuffer::remaining))
                .expectNext(1024, 1024, 452)
                .verifyComplete();
    }

    @Test
    void outputBeyondMaxOutputBytesFailsWithTheLimitAndHowToRaiseIt() {
        Limits limits = Limits.builder().maxOutputBytes(10).build();
        ObjectStream out = Pipeline.empty().apply(ObjectStream.of(Flux.just(ascii("123456"), ascii("789012"))), limits);

        StepVerifier.create(out.content().map(PipelineTest::ascii))
                .expectNext("123456")
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(LimitExceededException.class)
                        .hasMessage("maxOutputBytes: reached 12 > limit 10 bytes; raise it with "
                                + "Limits.builder().maxOutputBytes(..) or --max-output-bytes"))
                .verify(TIMEOUT);
    }

    @Test
    void deadlineTripsForASubscriptionThatRunsTooLong() {
        Limits limits = Limits.builder().deadline(Duration.ofSeconds(5)).build();
        StepVerifier.withVirtualTime(() -> Pipeline.empty()
                        .apply(ObjectStream.of(Flux.interval(Duration.ofSeconds(1)).map(i -> ascii("x"))), limits)
                        .content())
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(4))
                .expectNextCount(4)
                .thenAwait(Duration.ofSeconds(2))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(LimitExceededException.class)
                        .hasMessageStartingWith("deadline: reached")
                        .hasMessageContaining("> limit 5000 ms"))
                .verify(TIMEOUT);
    }

    @Test
    void deadlineDoesNotTripForASteadyStreamThatFinishesInTime() {
        Limits limits = Limits.builder().deadline(Duration.ofSeconds(5)).build();
        StepVerifier.withVirtualTime(() -> Pipeline.empty()
                        .apply(ObjectStream.of(Flux.interval(Duration.ofSeconds(1)).take(4).map(i -> ascii("x"))), limits)
                        .content())
                .thenAwait(Duration.ofSeconds(4))
                .expectNextCount(4)
                .verifyComplete();
    }
}
