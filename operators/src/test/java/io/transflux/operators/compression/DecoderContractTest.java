package io.transflux.operators.compression;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Subscription;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.Pipeline;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The contract every decoder meets (issue 3): golden fixtures from the real tools decode to their recorded
 * SHA-256 whole, one byte at a time and at random split points, from heap and direct buffers, through the
 * explicit stage and through {@code decompress/auto}; a slow subscriber keeps memory bounded; cancelling
 * mid-stream stops the source and frees native contexts.
 */
class DecoderContractTest {

    enum Split { WHOLE, ONE_BYTE, RANDOM }

    static Stream<Arguments> fixtureMatrix() {
        List<Arguments> args = new ArrayList<>();
        for (GoldenFixture f : GoldenFixture.all()) {
            for (Split s : Split.values()) {
                args.add(Arguments.of(f, s, false));
                args.add(Arguments.of(f, s, true));
            }
        }
        return args.stream();
    }

    static Stream<GoldenFixture> fixtures() {
        return GoldenFixture.all().stream();
    }

    @ParameterizedTest(name = "{0} {1} direct={2}")
    @MethodSource("fixtureMatrix")
    void decodesGoldenFixtureAtEverySplit(GoldenFixture fixture, Split split, boolean direct) {
        byte[] out = decode(fixture.stage(), split(fixture.bytes(), split, direct, 42), ObjectMetadata.empty());

        assertThat(GoldenFixture.sha256(out)).isEqualTo(fixture.expectedSha256());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void autoDetectsAndDecodesGoldenFixture(GoldenFixture fixture) {
        if (fixture.stage().endsWith("raw_1")) {
            // bare deflate has no magic: auto passes it through unchanged
            assertThat(decode("decompress/auto", split(fixture.bytes(), Split.RANDOM, false, 1), ObjectMetadata.empty()))
                    .isEqualTo(fixture.bytes());
            return;
        }
        byte[] whole = decode(fixture.autoStage(), split(fixture.bytes(), Split.WHOLE, false, 1), ObjectMetadata.empty());
        byte[] bytewise = decode(fixture.autoStage(), split(fixture.bytes(), Split.ONE_BYTE, true, 1), ObjectMetadata.empty());

        assertThat(GoldenFixture.sha256(whole)).isEqualTo(fixture.expectedSha256());
        assertThat(GoldenFixture.sha256(bytewise)).isEqualTo(fixture.expectedSha256());
    }

    @ParameterizedTest
    @EnumSource(ReferenceCompressor.class)
    void roundTripsTheDataMatrix(ReferenceCompressor compressor) {
        Random random = new Random(7);
        byte[] rnd = new byte[200_000];
        random.nextBytes(rnd);
        byte[] partly = new byte[300_000];
        for (int i = 0; i < partly.length; i++) {
            partly[i] = (byte) (i % 3 == 0 ? random.nextInt() : i / 1000);
        }
        List<byte[]> inputs = List.of(new byte[0], new byte[] {1}, new byte[] {1, 2},
                "text ".repeat(20_000).getBytes(), rnd, partly, new byte[700_000]);
        for (byte[] input : inputs) {
            byte[] compressed = compressor.compress(input);
            for (Split s : Split.values()) {
                if (s == Split.ONE_BYTE && compressed.length > 50_000) {
                    continue;
                }
                byte[] out = decode(compressor.stage, split(compressed, s, s == Split.RANDOM, input.length),
                        ObjectMetadata.empty());
                assertThat(out).as("%s %s %d bytes", compressor, s, input.length).isEqualTo(input);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ReferenceCompressor.class)
    void slowSubscriberKeepsMemoryBounded(ReferenceCompressor compressor) throws InterruptedException {
        byte[] input = compressibleData(16 << 20);
        byte[] compressed = compressor.compress(input);
        Operator op = Pipeline.parse(compressor.stage).operators().get(0);
        AtomicLong produced = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        AtomicLong maxInFlight = new AtomicLong();
        AtomicLong maxChunk = new AtomicLong();
        long directBefore = directMemoryUsed();
        AtomicLong maxDirect = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        op.apply(ObjectStream.of(ByteStreams.fromBytes(compressed, 8192))).content()
                .doOnNext(b -> produced.addAndGet(b.remaining()))
                .subscribe(new BaseSubscriber<>() {
                    int n;

                    @Override
                    protected void hookOnSubscribe(Subscription s) {
                        request(1);
                    }

                    @Override
                    protected void hookOnNext(ByteBuffer b) {
                        maxChunk.accumulateAndGet(b.remaining(), Math::max);
                        long c = consumed.addAndGet(b.remaining());
                        maxInFlight.accumulateAndGet(produced.get() - c, Math::max);
                        maxDirect.accumulateAndGet(directMemoryUsed() - directBefore, Math::max);
                        // slow: every 16th chunk waits a millisecond before asking for the next
                        if (++n % 16 == 0) {
                            Schedulers.single().schedule(() -> request(1), 1, TimeUnit.MILLISECONDS);
                        } else {
                            request(1);
                        }
                    }

                    @Override
                    protected void hookOnError(Throwable t) {
                        failure.set(t);
                        done.countDown();
                    }

                    @Override
                    protected void hookOnComplete() {
                        done.countDown();
                    }
                });

        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
        assertThat(consumed.get()).isEqualTo(input.length);
        assertThat(maxChunk.get()).isLessThanOrEqualTo(64 * 1024);
        assertThat(maxInFlight.get()).as("bytes produced but not yet consumed").isLessThanOrEqualTo(0);
        assertThat(maxDirect.get()).as("direct memory growth").isLessThan(4L << 20);
    }

    @ParameterizedTest
    @EnumSource(ReferenceCompressor.class)
    void cancelMidStreamStopsTheSourceAndFreesNativeContexts(ReferenceCompressor compressor) {
        byte[] compressed = compressor.compress(compressibleData(8 << 20));
        Operator op = Pipeline.parse(compressor.stage).operators().get(0);
        AtomicBoolean sourceCancelled = new AtomicBoolean();
        AtomicLong sourceBytes = new AtomicLong();
        long opened = NativeContexts.openedCount();
        long freed = NativeContexts.freedCount();

        List<ByteBuffer> got = op.apply(ObjectStream.of(ByteStreams.fromBytes(compressed, 4096)
                        .doOnNext(b -> sourceBytes.addAndGet(b.remaining()))
                        .doOnCancel(() -> sourceCancelled.set(true))))
                .content().take(3).collectList().block(Duration.ofSeconds(10));

        assertThat(got).hasSize(3);
        await(sourceCancelled::get);
        assertThat(sourceBytes.get()).isLessThan(compressed.length);
        await(() -> NativeContexts.freedCount() - freed == NativeContexts.openedCount() - opened);
        assertThat(NativeContexts.freedCount() - freed).isEqualTo(NativeContexts.openedCount() - opened);
    }

    @Test
    void nativeContextsAreFreedOnceOnCompleteErrorAndCancel() {
        byte[] gz = ReferenceCompressor.GZIP.compress(compressibleData(1 << 20));
        byte[] zst = ReferenceCompressor.ZSTD.compress(compressibleData(1 << 20));
        for (String stage : List.of("decompress/gzip", "decompress/zstd")) {
            byte[] data = stage.endsWith("gzip") ? gz : zst;
            Operator op = Pipeline.parse(stage).operators().get(0);
            long opened = NativeContexts.openedCount();
            long freed = NativeContexts.freedCount();

            ByteStreams.toBytes(op.apply(ObjectStream.of(ByteStreams.fromBytes(data, 1000))).content())
                    .block(Duration.ofSeconds(10));
            assertThat(NativeContexts.openedCount() - opened).as("complete: opened").isEqualTo(1);
            assertThat(NativeContexts.freedCount() - freed).as("complete: freed").isEqualTo(1);

            byte[] corrupt = data.clone();
            corrupt[corrupt.length / 2] ^= 0x55;
            op.apply(ObjectStream.of(ByteStreams.fromBytes(corrupt, 1000))).content()
                    .onErrorResume(e -> Flux.empty()).blockLast(Duration.ofSeconds(10));
            assertThat(NativeContexts.openedCount() - opened).as("error: opened").isEqualTo(2);
            assertThat(NativeContexts.freedCount() - freed).as("error: freed").isEqualTo(2);

            op.apply(ObjectStream.of(ByteStreams.fromBytes(data, 1000))).content().take(1)
                    .blockLast(Duration.ofSeconds(10));
            assertThat(NativeContexts.openedCount() - opened).as("cancel: opened").isEqualTo(3);
            assertThat(NativeContexts.freedCount() - freed).as("cancel: freed").isEqualTo(3);
        }
    }

    static byte[] decode(String stage, Flux<ByteBuffer> content, ObjectMetadata metadata) {
        Operator op = Pipeline.parse(stage).operators().get(0);
        return ByteStreams.toBytes(op.apply(ObjectStream.of(content, metadata)).content()).block(Duration.ofSeconds(30));
    }

    static Flux<ByteBuffer> split(byte[] data, Split split, boolean direct, long seed) {
        List<ByteBuffer> parts = new ArrayList<>();
        Random random = new Random(seed);
        int pos = 0;
        while (pos < data.length) {
            int n = switch (split) {
                case WHOLE -> data.length;
                case ONE_BYTE -> 1;
                case RANDOM -> random.nextInt(100);
            };
            n = Math.min(n, data.length - pos);
            ByteBuffer b = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
            b.put(data, pos, n).flip();
            parts.add(b);
            pos += n;
        }
        return Flux.fromIterable(parts);
    }

    /** Log-like text: compresses several times over in every format. */
    static byte[] compressibleData(int size) {
        byte[] out = new byte[size];
        Random random = new Random(3);
        String[] words = {"GET ", "/api/v1/", "items ", "status=200 ", "user=alice ", "took=12ms\n", "INFO ", "WARN "};
        int pos = 0;
        while (pos < size) {
            byte[] w = words[random.nextInt(words.length)].getBytes();
            int n = Math.min(w.length, size - pos);
            System.arraycopy(w, 0, out, pos, n);
            pos += n;
        }
        return out;
    }

    static long directMemoryUsed() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }

    static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
