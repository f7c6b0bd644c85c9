package io.transflux.connectors.accesspoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.batch.BatchReport;
import io.transflux.connectors.batch.ManifestLine;
import io.transflux.connectors.batch.TaskResult;
import io.transflux.connectors.batch.TaskResult.ResultCode;
import io.transflux.connectors.s3.S3BatchOperationsHandler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs an S3 Batch Operations {@code LambdaInvoke} job against a running {@link LocalAccessPoint}, so the whole
 * flow is testable without an account (issue 18, item 4). Reads the CSV manifest ({@link ManifestLine}), invokes
 * the function once per task with an invocation schema 2.0 event carrying the job's {@code userArguments}, at most
 * {@code concurrency} invocations at once, retries a task answered {@code TemporaryFailure} (as Batch Operations
 * does, here at most {@value #MAX_ATTEMPTS} attempts with backoff), and writes the completion report in the Batch
 * Operations format ({@link BatchReport}).
 *
 * <p>The function is the deployed {@link S3BatchOperationsHandler}: in the access point's function JVMs through the
 * Runtime Interface Client when serve runs one ({@code --function-runtime java --handler
 * io.transflux.connectors.s3.S3BatchOperationsHandler::handleRequest}), else in this process. Either way it reads
 * and writes the buckets through the access point's own S3 endpoint with the access point's credentials, so the
 * source and target buckets must be served as plain buckets (an access point with no function actions, as the job
 * reads the bucket itself on AWS).
 */
public final class LocalBatchOperations {

    public static final int DEFAULT_CONCURRENCY = 8;
    static final int MAX_ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How {@code BatchOperationsInvocation} writes a failure's resultString: code, status, sentence. */
    private static final Pattern FAILURE = Pattern.compile("([A-Za-z][A-Za-z0-9]*) \\((\\d{3})\\): (.*)", Pattern.DOTALL);

    /** What a run did. */
    public record Summary(long tasks, long succeeded, long failed) {
    }

    private final LocalAccessPoint ap;
    private final String jobId = UUID.randomUUID().toString();

    private LocalBatchOperations(LocalAccessPoint ap) {
        this.ap = ap;
    }

    /**
     * Runs the job and writes {@code report}; blocks until every task has an answer.
     *
     * @param userArguments the job's {@code userArguments} ({@code pipeline}, {@code targetBucket},
     *                      {@code targetPrefix}), at most 10 entries as on AWS
     */
    public static Summary run(LocalAccessPoint ap, Path manifest, Map<String, String> userArguments, int concurrency,
            Path report) throws IOException {
        Objects.requireNonNull(ap, "access point");
        if (concurrency < 1 || concurrency > 1000) {
            throw new IllegalArgumentException("concurrency: " + concurrency + ", expected [1, 1000]");
        }
        if (userArguments.size() > 10) {
            throw new IllegalArgumentException("userArguments: " + userArguments.size() + " entries, expected at most 10");
        }
        LocalBatchOperations job = new LocalBatchOperations(ap);
        AtomicLong tasks = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        try (Stream<String> lines = Files.lines(manifest, StandardCharsets.UTF_8);
                BatchReport rep = BatchReport.open(report)) {
            Flux.fromStream(lines).filter(l -> !l.isBlank()).map(ManifestLine::parse)
                    .flatMap(line -> job.task(line, Map.copyOf(userArguments))
                            .doOnNext(r -> {
                                rep.row(line, r);
                                tasks.incrementAndGet();
                                if (r.succeeded()) {
                                    ok.incrementAndGet();
                                }
                            }), concurrency)
                    .blockLast();
        }
        return new Summary(tasks.get(), ok.get(), tasks.get() - ok.get());
    }

    private Mono<TaskResult> task(ManifestLine line, Map<String, String> args) {
        if (line.task() == null) {
            return Mono.just(new TaskResult(ResultCode.PERMANENT_FAILURE, 400, "InvalidManifestLine",
                    Objects.requireNonNull(line.problem()), 0, 0, false));
        }
        byte[] event = event(line, args);
        return attempt(event, 1);
    }

    private Mono<TaskResult> attempt(byte[] event, int n) {
        return invoke(event).map(LocalBatchOperations::result)
                .onErrorResume(e -> Mono.just(new TaskResult(ResultCode.TEMPORARY_FAILURE, 500,
                        e instanceof PlatformError pe ? pe.code : "InternalError", "the function invocation failed: "
                        + (e instanceof PlatformError pe ? pe.getMessage() : e.getClass().getSimpleName()), 0, 0, false)))
                .flatMap(r -> r.code() == ResultCode.TEMPORARY_FAILURE && n < MAX_ATTEMPTS
                        ? Mono.delay(Duration.ofMillis(200L << n)).then(attempt(event, n + 1))
                        : Mono.just(r));
    }

    private Mono<byte[]> invoke(byte[] event) {
        if (ap.invoker instanceof RuntimePool pool) {
            return pool.invoke(Flavor.S3, event);
        }
        return Mono.fromCallable(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            inProcess().handleRequest(new ByteArrayInputStream(event), out, null);
            return out.toByteArray();
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private volatile S3BatchOperationsHandler handler;

    /** The handler in this process, with the environment Lambda would give it (serve's endpoint and credentials). */
    private S3BatchOperationsHandler inProcess() {
        S3BatchOperationsHandler h = handler;
        if (h == null) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("AWS_ACCESS_KEY_ID", ap.credentials.accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", ap.secret());
            env.put("AWS_REGION", ap.region);
            env.put("AWS_ENDPOINT_URL_S3", ap.endpoint());
            env.put(HttpSourceOpener.ALLOW_ENV, "localhost");
            h = S3BatchOperationsHandler.withEnvironment(env);
            handler = h;
        }
        return h;
    }

    private byte[] event(ManifestLine line, Map<String, String> args) {
        ObjectNode root = JSON.createObjectNode();
        root.put("invocationSchemaVersion", "2.0");
        root.put("invocationId", UUID.randomUUID().toString());
        ObjectNode job = root.putObject("job");
        job.put("id", jobId);
        ObjectNode ua = job.putObject("userArguments");
        args.forEach(ua::put);
        ObjectNode t = root.putArray("tasks").addObject();
        t.put("taskId", UUID.randomUUID().toString());
        t.put("s3Bucket", line.bucket());
        t.put("s3Key", line.encodedKey());
        if (line.versionId() == null) {
            t.putNull("s3VersionId");
        } else {
            t.put("s3VersionId", line.versionId());
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The task's result from the function's reply; a reply that is not one is a {@code PermanentFailure}. */
    static TaskResult result(byte[] reply) {
        try {
            JsonNode r = JSON.readTree(reply).path("results").path(0);
            ResultCode code = ResultCode.fromWireName(r.path("resultCode").asText(""));
            String s = r.path("resultString").asText("");
            if (code == ResultCode.SUCCEEDED) {
                return new TaskResult(code, 200, null, s, 0, 0, s.startsWith("skipped: "));
            }
            Matcher m = FAILURE.matcher(s);
            return m.matches() ? new TaskResult(code, Integer.parseInt(m.group(2)), m.group(1), m.group(3), 0, 0, false)
                    : new TaskResult(code, 500, code.wireName(), s, 0, 0, false);
        } catch (IOException | RuntimeException e) {
            return new TaskResult(ResultCode.PERMANENT_FAILURE, 500, "LambdaInvalidResponse",
                    "the function's reply is not a Batch Operations result", 0, 0, false);
        }
    }
}
