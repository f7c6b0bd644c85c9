package io.transflux.connectors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.transflux.connectors.http.HttpSourceClient;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.StageRegistry;
import io.transflux.pipeline.source.ObjectSource;
import org.crac.Context;
import org.crac.Resource;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Readies a deployed function before its first invocation: for a snapshot (Lambda SnapStart, CRaC: the
 * {@link Resource} hooks) and for Function Compute's initializer.
 *
 * <p>{@link #prime()} runs one GetObject through the function's own pipeline over a small in-memory object, with
 * no network: the stages, their codecs and native libraries, checksums, error mapping and the payload parser are
 * loaded and initialised. A pipeline that refuses the sample (say {@code decompress/gzip} over plain text) has
 * still loaded its classes; that refusal is expected and ignored. The handler adds its own primer (event
 * parsing, signing).
 *
 * <p>{@link #beforeCheckpoint} primes, then closes the pooled connections of the HTTP source and of the WGOR
 * transport: a restored sandbox must not reuse sockets from the snapshot (docs/reliability.md §4).
 * {@link #afterRestore} puts fresh pools in place, so every invocation after a restore opens new connections.
 * Failures in the hooks are reported to the platform, which then refuses the snapshot rather than serve from a
 * broken one.
 */
public final class FunctionWarmup implements Resource {

    /** How long the warm-up invocation may take; Lambda allows a hook 10 s in all. */
    public static final Duration PRIME_TIMEOUT = Duration.ofSeconds(5);
    /** How long closing the pools may take. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private static final byte[] SAMPLE = ("{\"name\":\"warm-up\",\"email\":\"jane.doe@example.com\","
            + "\"phone\":\"+1 202 555 0143\",\"note\":\"transflux warm-up object\"}\n").getBytes(StandardCharsets.US_ASCII);

    private final ObjectLambdaFunction function;
    private final Runnable handlerPrimer;

    private FunctionWarmup(ObjectLambdaFunction function, Runnable handlerPrimer) {
        this.function = Objects.requireNonNull(function, "function");
        this.handlerPrimer = Objects.requireNonNull(handlerPrimer, "handlerPrimer");
    }

    /**
     * Warm-up for {@code function}; {@code handlerPrimer} runs after the function's own warm-up and loads what the
     * handler adds (event parsing, signing). It must not touch the network.
     */
    public static FunctionWarmup of(ObjectLambdaFunction function, Runnable handlerPrimer) {
        return new FunctionWarmup(function, handlerPrimer);
    }

    /**
     * Registers these hooks with {@code context} (in production {@code org.crac.Core.getGlobalContext()}) and
     * returns {@code this}. The context may hold resources weakly: the caller keeps a reference.
     */
    public FunctionWarmup registerWith(Context<Resource> context) {
        context.register(this);
        return this;
    }

    /**
     * Runs the warm-up invocation and the handler's primer. Never fails for the sample's sake; it fails only when
     * the function cannot run at all (e.g. a stage class that does not link).
     *
     * @return the warm-up invocation's outcome (200, or the error status a pipeline gave the sample)
     */
    public InvocationOutcome prime() {
        StageRegistry.defaultRegistry().stageNames();
        function.withPayload("{}");
        ObjectLambdaFunction local = function.toBuilder().sourceOpener(new SampleOpener()).build();
        GetObjectRequest request = new GetObjectRequest("warm-up", "memory://warm-up/object", Map.of(), null, null,
                false);
        InvocationOutcome o = local.getObject(request, new DiscardingWriter()).block(PRIME_TIMEOUT);
        handlerPrimer.run();
        return Objects.requireNonNull(o, "warm-up outcome");
    }

    /** Closes the pooled connections (source and WGOR) and puts empty pools in their place. */
    public void closeConnections() {
        renewPools();
    }

    /** Fresh pools after a restore: nothing pooled before the snapshot is used again. */
    public void reopenConnections() {
        renewPools();
    }

    private void renewPools() {
        List<Mono<Void>> renewals = new ArrayList<>(2);
        HttpSourceClient sourceClient = sourceClient();
        if (sourceClient != null) {
            renewals.add(sourceClient.renewPool());
        }
        renewals.add(WgorTransport.shared().renewPool());
        Mono.when(renewals).block(CLOSE_TIMEOUT);
    }

    private @Nullable HttpSourceClient sourceClient() {
        return function.sourceOpener instanceof HttpSourceOpener h ? h.client() : null;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
        closeConnections();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        reopenConnections();
    }

    @Override
    public String toString() {
        return "FunctionWarmup{" + function + '}';
    }

    /** The sample object, in memory, for GET and HEAD alike. */
    private static final class SampleOpener implements SourceOpener {
        @Override
        public ObjectSource get(String url, Map<String, String> headers) {
            ObjectMetadata meta = ObjectMetadata.builder()
                    .contentType("application/json")
                    .contentLength(SAMPLE.length)
                    .eTag("\"warm-up\"")
                    .build();
            return () -> Mono.fromSupplier(() -> ObjectStream.of(
                    Flux.just(SAMPLE.clone()).map(ByteBuffer::wrap), meta));
        }
    }

    /** Reads the whole answer, as a WGOR would, and drops it. */
    private static final class DiscardingWriter implements ResponseWriter {
        @Override
        public Mono<Void> write(ObjectResponse response) {
            Mono<String> trailer = response.checksumTrailerValue();
            return response.body().then(trailer == null ? Mono.empty() : trailer.then());
        }

        @Override
        public String checksumHeaderName(String algorithmId) {
            return "x-amz-checksum-" + algorithmId;
        }
    }
}
