package io.transflux.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.batch.BatchJob;
import io.transflux.connectors.batch.BatchReport;
import io.transflux.connectors.batch.ManifestLine;
import io.transflux.connectors.batch.TaskResult;
import io.transflux.connectors.http.HostGuard;
import io.transflux.connectors.http.HttpSourceClient;
import io.transflux.connectors.http.HttpSourceSpec;
import io.transflux.connectors.s3.S3Store;
import io.transflux.connectors.upload.MultipartSpec;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.PipelineException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code transflux batch}: the S3 Batch Operations job on one machine, against any S3-compatible store. Reads a
 * Batch Operations CSV manifest or lists a prefix, runs {@link BatchJob} on each object with bounded concurrency
 * and memory, shows progress and writes a completion report in the Batch Operations format. A rerun skips targets
 * that already record the same source ETag and pipeline, so an interrupted run resumes where it stopped.
 */
@Command(name = "batch",
        description = {"Transform many objects of an S3-compatible store into a target prefix.",
                "Credentials and region from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION;",
                "the endpoint from --endpoint, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (default: AWS).",
                "Exit code 0 when every task succeeded, 1 when any failed (see the report), 2 for usage errors."},
        mixinStandardHelpOptions = true)
final class BatchCommand implements Callable<Integer> {

    /** Memory a running task may hold besides its two parts: a few source chunks and codec state. */
    static final long TASK_OVERHEAD_BYTES = 4L * Limits.DEFAULT_MAX_CHUNK_BYTES + 1024 * 1024;

    @Spec
    @Nullable CommandSpec spec;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "S3 Batch Operations CSV manifest: bucket,key[,versionId] per line, keys URL-encoded.")
    @Nullable Path manifest;

    @Option(names = "--prefix", paramLabel = "s3://BUCKET/PREFIX", description = "Every object under this prefix.")
    @Nullable String prefix;

    @Option(names = "--pipeline", required = true, paramLabel = "SPEC", description = "e.g. decompress/auto")
    String pipeline = "";

    @Option(names = "--target", required = true, paramLabel = "s3://BUCKET/PREFIX",
            description = "Where results go: the prefix followed by each source key.")
    String target = "";

    @Option(names = "--concurrency", paramLabel = "N", description = "Objects at once (default 8; capped by --memory).")
    int concurrency = 8;

    @Option(names = "--memory", paramLabel = "BYTES", converter = ByteSizeConverter.class,
            description = "Budget for upload buffers; each running object holds two parts. Default 256MiB.")
    long memory = 256L * 1024 * 1024;

    @Mixin
    S3StoreOptions storeOptions = new S3StoreOptions();

    @Option(names = "--report", paramLabel = "FILE", description = "Completion report CSV (default batch-report.csv).")
    Path report = Path.of("batch-report.csv");

    @Option(names = "--task-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time for one object including retries, as Lambda's 15 minutes. Default 15m.")
    Duration taskTimeout = Duration.ofMinutes(15);

    @Option(names = "--max-output-bytes", paramLabel = "BYTES", converter = ByteSizeConverter.class,
            description = "Fail an object whose output exceeds this many bytes. Default 1GiB.")
    long maxOutputBytes = Limits.DEFAULT_MAX_OUTPUT_BYTES;

    @Option(names = "--progress", paramLabel = "auto|bar|plain|none",
            description = "Progress display on stderr; auto: a bar on a terminal, plain lines otherwise.")
    String progress = "auto";

    @Option(names = "--debug", description = "Print stack traces on errors.")
    boolean debug;

    record Location(String bucket, String prefix) {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec().commandLine().getErr();
        PrintWriter out = spec().commandLine().getOut();
        if ((manifest == null) == (prefix == null)) {
            throw new ParameterException(spec().commandLine(), "give exactly one of --manifest and --prefix");
        }
        if (concurrency < 1 || concurrency > 1024) {
            throw new ParameterException(spec().commandLine(), "--concurrency: " + concurrency + ", expected [1, 1024]");
        }
        Location to = location("--target", target);
        MultipartSpec parts = storeOptions.multipartSpec(spec().commandLine());
        int running = effectiveConcurrency(parts);
        if (running < concurrency) {
            err.println("note: running " + running + " objects at once, not " + concurrency + ": each holds up to two "
                    + Progress.size(parts.partSize()) + " parts and --memory is " + Progress.size(memory));
        }
        S3Store store = storeOptions.store(spec().commandLine());
        HttpSourceClient client = HttpSourceClient.builder().name("transflux-batch")
                .maxConnections(Math.max(4, running * 2)).pendingAcquireTimeout(Duration.ofSeconds(60)).build();
        try {
            HostGuard guard = store.hasEndpointOverride() ? HostGuard.publicOnly().allowLoopback().allowPrivateNetworks()
                    : HostGuard.publicOnly();
            HttpSourceOpener opener = HttpSourceOpener.create(HttpSourceSpec.builder().hostGuard(guard)
                    .totalDeadline(taskTimeout).build(), client);
            BatchJob job = BatchJob.builder().store(store).sourceOpener(opener).pipeline(pipeline)
                    .target(to.bucket(), to.prefix()).multipart(parts)
                    .limits(Limits.builder().maxOutputBytes(maxOutputBytes).noDeadline().build()).build();
            long total = manifest != null ? countLines(manifest) : -1;
            Flux<ManifestLine> lines;
            if (manifest != null) {
                Path m = manifest;
                lines = Flux.using(() -> Files.newBufferedReader(m, StandardCharsets.UTF_8), r -> Flux.fromStream(r.lines()),
                        BatchCommand::closeQuietly).filter(l -> !l.isBlank()).map(ManifestLine::parse);
            } else {
                Location from = location("--prefix", prefix);
                lines = PrefixListing.list(store, opener, from.bucket(), from.prefix());
            }
            boolean terminal = switch (progress) {
                case "bar" -> true;
                case "plain", "none" -> false;
                case "auto" -> System.console() != null;
                default -> throw new ParameterException(spec().commandLine(),
                        "--progress: '" + progress + "', expected auto, bar, plain or none");
            };
            BatchProgress bar = BatchProgress.start(err, terminal, total, progress.equals("none") ? 3600 : 5);
            try (BatchReport rep = BatchReport.open(report)) {
                lines.flatMap(line -> run(job, line).doOnNext(r -> {
                            rep.row(line, r);
                            bar.record(r);
                        }), running, 1)
                        .then().block();
            } finally {
                bar.finish();
            }
            long failed = bar.failed();
            out.println("batch: " + bar.done() + " tasks, " + (bar.done() - failed) + " succeeded (" + bar.skipped()
                    + " already done), " + failed + " failed; report " + report);
            out.flush();
            return failed == 0 ? Transflux.EXIT_OK : Transflux.EXIT_FAILURE;
        } catch (ParameterException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            Throwable t = Exceptions.unwrap(e);
            PipelineException pe = PipelineException.wrap(t);
            err.println("error: " + pe.code().code() + ": " + (pe == t ? pe.getMessage()
                    : t.getClass().getSimpleName() + ": " + t.getMessage()));
            if (debug) {
                t.printStackTrace(err);
            }
            err.flush();
            return Transflux.EXIT_FAILURE;
        } finally {
            client.dispose();
        }
    }

    private Mono<TaskResult> run(BatchJob job, ManifestLine line) {
        if (line.task() == null) {
            return Mono.just(new TaskResult(TaskResult.ResultCode.PERMANENT_FAILURE, 400, "InvalidManifestLine",
                    String.valueOf(line.problem()), 0, 0, false));
        }
        return job.run(line.task(), Instant.now().plus(taskTimeout));
    }

    /** Concurrency held to the memory budget: each running object holds at most two parts plus a little. */
    int effectiveConcurrency(MultipartSpec parts) {
        long perTask = 2L * parts.partSize() + TASK_OVERHEAD_BYTES;
        return (int) Math.max(1, Math.min(concurrency, memory / perTask));
    }

    private static long countLines(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return r.lines().filter(l -> !l.isBlank()).count();
        }
    }

    private static void closeQuietly(BufferedReader r) {
        try {
            r.close();
        } catch (IOException ignored) {
            // Read-only: nothing to lose.
        }
    }

    private Location location(String option, @Nullable String s) {
        if (s == null || !s.startsWith("s3://")) {
            throw new ParameterException(spec().commandLine(), option + ": expected s3://BUCKET/PREFIX");
        }
        String rest = s.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (bucket.isEmpty()) {
            throw new ParameterException(spec().commandLine(), option + ": expected s3://BUCKET/PREFIX, no bucket");
        }
        return new Location(bucket, slash < 0 ? "" : rest.substring(slash + 1));
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
