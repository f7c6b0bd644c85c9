package io.transflux.connectors.batch;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.transflux.connectors.EventJson;
import io.transflux.connectors.MalformedEventException;
import io.transflux.connectors.batch.TaskResult.ResultCode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One S3 Batch Operations {@code LambdaInvoke} invocation: reads the event, runs each task through a
 * {@link BatchJob} and builds the reply. Shapes (docs/protocols.md §12, from "Invoke AWS Lambda function",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-invoke-lambda.html):
 *
 * <pre>
 * event 1.0: {"invocationSchemaVersion":"1.0","invocationId":"…","job":{"id":"…"},
 *             "tasks":[{"taskId":"…","s3Key":"…","s3VersionId":"…"|null,"s3BucketArn":"arn:aws:s3:::bucket"}]}
 * event 2.0: {"invocationSchemaVersion":"2.0","invocationId":"…","job":{"id":"…","userArguments":{"k":"v"}},
 *             "tasks":[{"taskId":"…","s3Key":"…","s3VersionId":"…"|null,"s3Bucket":"bucket"}]}
 * reply:     {"invocationSchemaVersion":"&lt;same&gt;","treatMissingKeysAs":"PermanentFailure","invocationId":"…",
 *             "results":[{"taskId":"…","resultCode":"Succeeded|TemporaryFailure|PermanentFailure","resultString":"…"}]}
 * </pre>
 *
 * <p>Keys arrive URL-encoded, as in the manifest; they are decoded as AWS's example function does
 * ({@code unquote_plus}). {@code treatMissingKeysAs} tells Batch Operations how to count a task missing from
 * {@code results}; every task gets a result here, so it only matters if the reply is cut short. A task with a
 * bad field is a {@code PermanentFailure}; an event without an invocation id or tasks fails the invocation
 * ({@link MalformedEventException}), which Batch Operations records as a failed task.
 */
public final class BatchOperationsInvocation {

    /** {@code userArguments} and environment names of the job's settings. */
    public static final String ARG_PIPELINE = "pipeline";
    public static final String ARG_TARGET_BUCKET = "targetBucket";
    public static final String ARG_TARGET_PREFIX = "targetPrefix";
    public static final String ENV_PIPELINE = "TRANSFLUX_PIPELINE";
    public static final String ENV_TARGET_BUCKET = "TRANSFLUX_TARGET_BUCKET";
    public static final String ENV_TARGET_PREFIX = "TRANSFLUX_TARGET_PREFIX";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RESULT_STRING = 1024;

    private BatchOperationsInvocation() {
    }

    /** A task as the event names it, before it is run. */
    record EventTask(String taskId, @Nullable BatchTask task, @Nullable String problem) {
    }

    /** The parsed parts of an event. */
    record Event(String schemaVersion, String invocationId, String jobId, Map<String, String> userArguments,
            List<EventTask> tasks) {
    }

    /** The job's settings: {@code userArguments} (2.0) over {@code env}. Missing entries are absent. */
    public static Map<String, String> settings(Map<String, String> userArguments, Map<String, String> env) {
        Map<String, String> s = new LinkedHashMap<>();
        put(s, ARG_PIPELINE, userArguments.get(ARG_PIPELINE), env.get(ENV_PIPELINE));
        put(s, ARG_TARGET_BUCKET, userArguments.get(ARG_TARGET_BUCKET), env.get(ENV_TARGET_BUCKET));
        put(s, ARG_TARGET_PREFIX, userArguments.get(ARG_TARGET_PREFIX), env.get(ENV_TARGET_PREFIX));
        return s;
    }

    private static void put(Map<String, String> s, String name, @Nullable String arg, @Nullable String env) {
        String v = arg != null ? arg : env;
        if (v != null) {
            s.put(name, v);
        }
    }

    /**
     * Handles one invocation.
     *
     * @param event    the raw event
     * @param jobFor   builds the job from the settings ({@link #settings}); may throw for a bad configuration,
     *                 which makes every task a {@code PermanentFailure}
     * @param deadline when the reply must be given
     * @return the reply JSON
     * @throws MalformedEventException when the event is not a Batch Operations invocation
     */
    public static Mono<String> handle(byte[] event, Function<Map<String, String>, BatchJob> jobFor, Instant deadline) {
        Event ev = parse(event);
        BatchJob job;
        try {
            job = jobFor.apply(ev.userArguments());
        } catch (RuntimeException e) {
            String why = "the function is misconfigured: " + e.getMessage();
            List<Map.Entry<String, TaskResult>> all = new ArrayList<>();
            for (EventTask t : ev.tasks()) {
                all.add(Map.entry(t.taskId(), TaskFailures.of(false, 500, "InvalidConfiguration", why, 0)));
            }
            return Mono.just(reply(ev, all));
        }
        return Flux.fromIterable(ev.tasks())
                .concatMap(t -> (t.task() == null
                        ? Mono.just(TaskFailures.of(false, 400, "InvalidTask", Objects.requireNonNull(t.problem()), 0))
                        : job.run(t.task(), deadline))
                        .map(r -> Map.entry(t.taskId(), r)))
                .collectList()
                .map(results -> reply(ev, results));
    }

    static Event parse(byte[] bytes) {
        JsonNode root = EventJson.readObject(JSON, bytes);
        String version = text(root, "invocationSchemaVersion");
        if (!"1.0".equals(version) && !"2.0".equals(version)) {
            throw new MalformedEventException("invocationSchemaVersion: actual " + (version == null ? "none"
                    : "'" + clip(version) + "'") + ", expected 1.0 or 2.0", null, null);
        }
        String invocationId = text(root, "invocationId");
        if (invocationId == null || invocationId.isEmpty()) {
            throw new MalformedEventException("invocationId: missing", null, null);
        }
        JsonNode job = root.path("job");
        String jobId = text(job, "id");
        Map<String, String> args = new LinkedHashMap<>();
        JsonNode ua = job.path("userArguments");
        if (ua.isObject()) {
            ua.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual()) {
                    args.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        JsonNode tasks = root.path("tasks");
        if (!tasks.isArray() || tasks.isEmpty()) {
            throw new MalformedEventException("tasks: expected a non-empty array", null, null);
        }
        List<EventTask> out = new ArrayList<>();
        for (JsonNode t : tasks) {
            String taskId = text(t, "taskId");
            if (taskId == null || taskId.isEmpty()) {
                throw new MalformedEventException("tasks[].taskId: missing", null, null);
            }
            out.add(task(version, taskId, t));
        }
        return new Event(version, invocationId, jobId == null ? "" : jobId, args, out);
    }

    private static EventTask task(String version, String taskId, JsonNode t) {
        String rawKey = text(t, "s3Key");
        if (rawKey == null || rawKey.isEmpty()) {
            return new EventTask(taskId, null, "s3Key: missing");
        }
        String key;
        try {
            key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new EventTask(taskId, null, "s3Key: not URL-encoded (a bad % escape)");
        }
        String bucket;
        if ("1.0".equals(version)) {
            String arn = text(t, "s3BucketArn");
            int at = arn == null ? -1 : arn.indexOf(":::");
            if (arn == null || !arn.startsWith("arn:") || at < 0 || at + 3 >= arn.length()) {
                return new EventTask(taskId, null, "s3BucketArn: expected arn:<partition>:s3:::<bucket>");
            }
            bucket = arn.substring(at + 3);
        } else {
            bucket = text(t, "s3Bucket");
            if (bucket == null || bucket.isEmpty()) {
                return new EventTask(taskId, null, "s3Bucket: missing");
            }
        }
        return new EventTask(taskId, new BatchTask(bucket, key, text(t, "s3VersionId")), null);
    }

    static String reply(Event ev, List<Map.Entry<String, TaskResult>> results) {
        ObjectNode r = JSON.createObjectNode();
        r.put("invocationSchemaVersion", ev.schemaVersion());
        r.put("treatMissingKeysAs", ResultCode.PERMANENT_FAILURE.wireName());
        r.put("invocationId", ev.invocationId());
        ArrayNode arr = r.putArray("results");
        for (Map.Entry<String, TaskResult> e : results) {
            ObjectNode o = arr.addObject();
            o.put("taskId", e.getKey());
            o.put("resultCode", e.getValue().code().wireName());
            o.put("resultString", resultString(e.getValue()));
        }
        return r.toString();
    }

    /** What lands in the completion report's ResultMessage: code and sentence, bounded. */
    static String resultString(TaskResult r) {
        String s = r.errorCode() == null ? r.message() : r.errorCode() + " (" + r.httpStatus() + "): " + r.message();
        return s.length() <= MAX_RESULT_STRING ? s : s.substring(0, MAX_RESULT_STRING);
    }

    private static @Nullable String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static String clip(String s) {
        return s.length() > 16 ? s.substring(0, 16) : s;
    }

    /** The time left as a deadline, for callers holding a remaining-time figure (Lambda's context). */
    public static Instant deadlineIn(long remainingMillis) {
        return Instant.now().plus(Duration.ofMillis(Math.max(0, remainingMillis)));
    }
}
