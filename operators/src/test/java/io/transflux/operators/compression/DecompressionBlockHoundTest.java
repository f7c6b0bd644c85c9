package io.transflux.operators.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.transflux.operators.compression.DecoderContractTest.Split;
import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.Pipeline;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Proves with BlockHound (its own surefire fork) that push codecs make no blocking call on a non-blocking
 * thread (input delivered on threads BlockHound treats as non-blocking), and that the InputStream codecs (bzip2, ZIP) block only on their worker, never on the thread
 * that delivers input.
 */
class DecompressionBlockHoundTest {

    private static final String NON_BLOCKING = "non-blocking-";
    private static final java.util.concurrent.atomic.AtomicInteger THREADS = new java.util.concurrent.atomic.AtomicInteger();
    private static final Scheduler NON_BLOCKING_SCHEDULER = Schedulers.fromExecutorService(
            java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, NON_BLOCKING + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            }), "non-blocking");

    @BeforeAll
    static void installBlockHound() {
        // Warm up every codec on the test thread first, so class loading and native library extraction are done.
        for (ReferenceCompressor c : ReferenceCompressor.values()) {
            decodeOn(c, false);
        }
        // Our own non-blocking threads, so the proof does not depend on how Reactor's schedulers are marked.
        // Allowed on them: only the test pool's own plumbing (waiting for work, and the brief queue lock when
        // publishOn hands it a task), which Reactor's integration likewise allows for its schedulers.
        BlockHound.builder()
                .nonBlockingThreadPredicate(p -> p.or(t -> t.getName().startsWith(NON_BLOCKING)))
                .allowBlockingCallsInside(java.util.concurrent.ThreadPoolExecutor.class.getName(), "getTask")
                .allowBlockingCallsInside(java.util.concurrent.ThreadPoolExecutor.class.getName(), "execute")
                .install();
    }

    @Test
    void blockHoundIsActiveOnTheNonBlockingThreads() {
        assertThatThrownBy(() -> Mono.fromCallable(() -> {
            Thread.sleep(1);
            return 1;
        }).subscribeOn(NON_BLOCKING_SCHEDULER).block(Duration.ofSeconds(10)))
                .hasCauseInstanceOf(BlockingOperationError.class);
    }

    @ParameterizedTest
    @EnumSource(value = ReferenceCompressor.class, names = {"GZIP", "ZLIB", "ZSTD", "SNAPPY"})
    void pushCodecsDecodeOnANonBlockingThreadWithoutBlocking(ReferenceCompressor c) {
        Set<String> threads = decodeOn(c, true);

        assertThat(threads).isNotEmpty().allMatch(t -> t.startsWith(NON_BLOCKING));
    }

    @ParameterizedTest
    @EnumSource(value = ReferenceCompressor.class, names = {"BZIP2", "ZIP"})
    void streamCodecsBlockOnlyOnTheirWorker(ReferenceCompressor c) {
        Set<String> threads = decodeOn(c, true);

        assertThat(threads).isNotEmpty().allMatch(t -> t.startsWith("boundedElastic-"));
    }

    /** Decodes with input delivered on parallel threads; returns the threads output was emitted on. */
    private static Set<String> decodeOn(ReferenceCompressor c, boolean parallel) {
        byte[] data = DecoderContractTest.compressibleData(2 << 20);
        Flux<ByteBuffer> input = DecoderContractTest.split(c.compress(data), Split.RANDOM, true, 9)
                .buffer(64).flatMapIterable(l -> l, 1);
        if (parallel) {
            input = input.publishOn(NON_BLOCKING_SCHEDULER, 4).subscribeOn(NON_BLOCKING_SCHEDULER);
        }
        Operator op = Pipeline.parse(c.stage).operators().get(0);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        byte[] out = ByteStreams.toBytes(op.apply(ObjectStream.of(input)).content()
                .doOnNext(b -> threads.add(Thread.currentThread().getName()))).block(Duration.ofSeconds(30));
        assertThat(out).isEqualTo(data);
        return threads;
    }
}
