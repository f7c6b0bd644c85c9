package io.transflux.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import io.transflux.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

class FunctionWarmupTest {

    final AtomicInteger sourceOpened = new AtomicInteger();
    final SourceOpener offline = (url, headers) -> {
        sourceOpened.incrementAndGet();
        throw new AssertionError("the warm-up must not open the real source");
    };

    FunctionWarmup warmup(String pipeline, Runnable handlerPrimer) {
        ObjectLambdaFunction fn = ObjectLambdaFunction.builder().pipeline(Pipeline.parse(pipeline))
                .sourceOpener(offline).build();
        return FunctionWarmup.of(fn, handlerPrimer);
    }

    @Test
    void primeRunsTheConfiguredPipelineOverAnInMemoryObjectThenTheHandlersPrimer() {
        AtomicInteger handlerPrimed = new AtomicInteger();

        InvocationOutcome o = warmup("redact/pii", handlerPrimed::incrementAndGet).prime();

        assertThat(o.status()).isEqualTo(200);
        assertThat(o.delivery()).isEqualTo(InvocationOutcome.Delivery.SENT);
        assertThat(o.bytesOut()).isPositive();
        assertThat(handlerPrimed).hasValue(1);
        assertThat(sourceOpened).hasValue(0);
    }

    @Test
    void aPipelineThatRefusesTheSampleStillPrimesAndAnswersWithItsErrorStatus() {
        InvocationOutcome o = warmup("decompress/gzip", () -> { }).prime();

        assertThat(o.status()).isEqualTo(400);
        assertThat(o.errorCode()).isEqualTo("MalformedCompressedObject");
        assertThat(sourceOpened).hasValue(0);
    }

    @Test
    void registersWithTheContextItIsGiven() {
        SnapshotContext context = new SnapshotContext();

        FunctionWarmup w = warmup("", () -> { }).registerWith(context);

        assertThat(context.registered()).containsExactly(w);
    }
}
