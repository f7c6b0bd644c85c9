package io.transflux.connectors.process;

import java.net.URLConnection;
import java.util.Objects;
import java.util.function.Predicate;

import io.transflux.connectors.ConnectorException;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.StageRegistry;
import io.transflux.pipeline.source.ObjectSource;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Runs one process-and-save job: opens the source, applies the configured stages then the request's
 * pipeline, and writes the result to the {@code sys/saveas} target through {@link TargetSinks}. Immutable;
 * the fluent methods return copies.
 *
 * <p><b>Backpressure:</b> the sink's demand drives the source. <b>Cancellation:</b> cancelling the returned
 * {@code Mono} cancels the source and makes the sink discard what it wrote. <b>Errors:</b> a bad process
 * string or target is a {@link ConnectorException} (400/403 with the OSS code, see {@link SaveAs}), raised
 * before the source is opened; a process string without {@code sys/saveas} is 400 {@code InvalidArgument};
 * pipeline, source and sink failures pass through as their {@code PipelineException}s, and the sink leaves no
 * target object. <b>Limits:</b> {@link #limits(Limits)} (default {@link Limits#defaults()}).
 */
public final class ProcessAndSave {

    private final TargetSinks sinks;
    private final StageRegistry registry;
    private final Limits limits;
    private final Pipeline configured;
    private final Predicate<String> allowedBuckets;

    private ProcessAndSave(TargetSinks sinks, StageRegistry registry, Limits limits, Pipeline configured,
            Predicate<String> allowedBuckets) {
        this.sinks = Objects.requireNonNull(sinks, "sinks");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.configured = Objects.requireNonNull(configured, "configured");
        this.allowedBuckets = Objects.requireNonNull(allowedBuckets, "allowedBuckets");
    }

    /** Every bucket allowed, the default registry and limits, no configured stages. */
    public static ProcessAndSave create(TargetSinks sinks) {
        return new ProcessAndSave(sinks, StageRegistry.defaultRegistry(), Limits.defaults(), Pipeline.empty(), b -> true);
    }

    public ProcessAndSave registry(StageRegistry registry) {
        return new ProcessAndSave(sinks, registry, limits, configured, allowedBuckets);
    }

    public ProcessAndSave limits(Limits limits) {
        return new ProcessAndSave(sinks, registry, limits, configured, allowedBuckets);
    }

    /** Stages that always run first (an access point's own); a request cannot remove them. */
    public ProcessAndSave configuredStages(Pipeline configured) {
        return new ProcessAndSave(sinks, registry, limits, configured, allowedBuckets);
    }

    /** Which target buckets may be written; others get 403 {@code AccessDenied}. */
    public ProcessAndSave allowedBuckets(Predicate<String> allowedBuckets) {
        return new ProcessAndSave(sinks, registry, limits, configured, allowedBuckets);
    }

    /**
     * Processes {@code source} by {@code process} (which must end in {@code sys/saveas}).
     *
     * @param sourceBucket the source's bucket, the target's default; null when the source is not in a bucket
     */
    public Mono<ProcessResult> run(ObjectSource source, @Nullable String sourceBucket, String process) {
        return Mono.defer(() -> run(source, sourceBucket, ProcessRequest.parse(process)));
    }

    public Mono<ProcessResult> run(ObjectSource source, @Nullable String sourceBucket, ProcessRequest request) {
        return Mono.defer(() -> {
            SaveAs saveAs = request.saveAs().orElseThrow(() -> new ConnectorException(400, "InvalidArgument",
                    "x-oss-process: expected a final sys/saveas,o_<object>[,b_<bucket>] stage"));
            Pipeline pipeline = configured.then(request.pipeline(registry));
            String bucket = saveAs.targetBucket(sourceBucket, allowedBuckets);
            return source.open()
                    .flatMap(in -> sinks.sink(bucket, saveAs.object()).write(withType(pipeline.apply(in, limits),
                            saveAs.object())))
                    .map(r -> new ProcessResult(bucket, r.bytesWritten(), saveAs.object(), ProcessResult.OK));
        });
    }

    /**
     * Like OSS, a saved object whose type the pipeline cannot tell up front (an image stage keeps the source
     * format, known only once sniffed) gets the type its name's extension implies.
     */
    private static ObjectStream withType(ObjectStream out, String object) {
        if (out.metadata().contentType() != null) {
            return out;
        }
        String guessed = URLConnection.guessContentTypeFromName(object);
        return guessed == null ? out : out.mapMetadata(b -> b.contentType(guessed));
    }

    @Override
    public String toString() {
        return "ProcessAndSave{configured=" + configured + ", limits=" + limits + '}';
    }
}
