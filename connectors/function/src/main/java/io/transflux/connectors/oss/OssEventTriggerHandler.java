package io.transflux.connectors.oss;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.Credentials;
import com.aliyun.fc.runtime.StreamRequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.transflux.connectors.EventJson;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.MalformedEventException;
import io.transflux.connectors.batch.BatchJob;
import io.transflux.connectors.batch.BatchOperationsInvocation;
import io.transflux.connectors.batch.BatchTask;
import io.transflux.connectors.batch.TaskResult;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * The OSS event trigger entry point (Function Compute, {@code oss:ObjectCreated:*}): handler
 * {@code io.transflux.connectors.oss.OssEventTriggerHandler::handleRequest}. Each new object named in the event
 * ({@code events[].oss.bucket.name}, {@code events[].oss.object.key}; format: "Formats of event for different
 * triggers", https://www.alibabacloud.com/help/en/functioncompute/fc/formats-of-event-for-different-triggers-1)
 * runs through the same {@link BatchJob} as S3 Batch Operations, with the same idempotency.
 *
 * <p><b>Never its own trigger.</b> {@code TRANSFLUX_TRIGGER_BUCKET} and {@code TRANSFLUX_TRIGGER_PREFIX} must
 * describe the trigger's bucket and prefix filter; the handler refuses to start when the target
 * ({@code TRANSFLUX_TARGET_BUCKET}, {@code TRANSFLUX_TARGET_PREFIX}) could match them, since every target written
 * would fire the function again. Each task also refuses a source under the target prefix.
 *
 * <p><b>Retries.</b> A {@code TemporaryFailure} makes the invocation fail (an exception), so Function Compute's
 * asynchronous retries run it again; permanent failures are reported in the reply and not retried. Settings:
 * {@code TRANSFLUX_PIPELINE}, the OSS endpoint {@code TRANSFLUX_OSS_ENDPOINT} (default the region's internal
 * endpoint from {@code FC_REGION} or {@code ALIBABA_CLOUD_REGION}), {@code TRANSFLUX_OSS_PATH_STYLE} and
 * {@code TRANSFLUX_OSS_SIGNATURE} for a local endpoint; credentials from the FC context, else the
 * {@code ALIBABA_CLOUD_*} variables.
 */
public final class OssEventTriggerHandler implements StreamRequestHandler {

    public static final String ENV_TRIGGER_BUCKET = "TRANSFLUX_TRIGGER_BUCKET";
    public static final String ENV_TRIGGER_PREFIX = "TRANSFLUX_TRIGGER_PREFIX";
    public static final String ENV_OSS_ENDPOINT = "TRANSFLUX_OSS_ENDPOINT";
    /** {@code true}: the bucket goes in the path, not the host name (a local OSS endpoint such as serve). */
    public static final String ENV_OSS_PATH_STYLE = "TRANSFLUX_OSS_PATH_STYLE";
    /** {@code v4} (default) or {@code v1}: how writes are signed (serve verifies V1 on writes). */
    public static final String ENV_OSS_SIGNATURE = "TRANSFLUX_OSS_SIGNATURE";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private final Map<String, String> env;
    private final String endpoint;
    private final String region;
    private final String pipeline;
    private final String targetBucket;
    private final String targetPrefix;
    private final HttpSourceOpener opener;
    private final boolean pathStyle;
    private final OssSigner signer;

    public OssEventTriggerHandler() {
        this(System.getenv());
    }

    /** @throws IllegalStateException when a setting is missing or the target could fire the trigger */
    OssEventTriggerHandler(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.pipeline = require(env, BatchOperationsInvocation.ENV_PIPELINE);
        this.targetBucket = require(env, BatchOperationsInvocation.ENV_TARGET_BUCKET);
        this.targetPrefix = env.getOrDefault(BatchOperationsInvocation.ENV_TARGET_PREFIX, "");
        checkNoLoop(require(env, ENV_TRIGGER_BUCKET), env.getOrDefault(ENV_TRIGGER_PREFIX, ""), targetBucket,
                targetPrefix);
        String r = env.get("FC_REGION") != null ? env.get("FC_REGION") : env.get("ALIBABA_CLOUD_REGION");
        this.region = r == null ? "cn-hangzhou" : r;
        String e = env.get(ENV_OSS_ENDPOINT);
        this.endpoint = e != null ? e : "https://oss-" + region + "-internal.aliyuncs.com";
        this.opener = HttpSourceOpener.fromEnvironment(env);
        this.pathStyle = Boolean.parseBoolean(env.getOrDefault(ENV_OSS_PATH_STYLE, "false"));
        String sig = env.getOrDefault(ENV_OSS_SIGNATURE, "v4");
        try {
            this.signer = OssSigner.fromId(sig);
        } catch (IllegalArgumentException bad) {
            throw new IllegalStateException(ENV_OSS_SIGNATURE + ": actual '" + (sig.length() > 8 ? sig.substring(0, 8)
                    : sig) + "', expected v1 or v4");
        }
    }

    /**
     * The handler as Function Compute would build it with {@code env} as its environment (tests, serve).
     *
     * @throws IllegalStateException when a setting is missing or the target could fire the trigger
     */
    public static OssEventTriggerHandler withEnvironment(Map<String, String> env) {
        return new OssEventTriggerHandler(env);
    }

    /**
     * Refuses a target that the trigger could match: the same bucket with either prefix a prefix of the other
     * (an empty trigger prefix matches every key).
     *
     * @throws IllegalStateException naming both locations
     */
    static void checkNoLoop(String triggerBucket, String triggerPrefix, String targetBucket, String targetPrefix) {
        if (triggerBucket.equals(targetBucket)
                && (targetPrefix.startsWith(triggerPrefix) || triggerPrefix.startsWith(targetPrefix))) {
            throw new IllegalStateException("target oss://" + targetBucket + "/" + targetPrefix + " overlaps the trigger "
                    + "(bucket " + triggerBucket + ", prefix '" + triggerPrefix + "'): every object written would invoke "
                    + "the function again; use another bucket or a target prefix outside the trigger's");
        }
    }

    private static String require(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + ": required, missing");
        }
        return v;
    }

    /** The objects an ObjectCreated event names. */
    static List<BatchTask> tasks(byte[] event) {
        JsonNode root = EventJson.readObject(JSON, event);
        JsonNode events = root.path("events");
        if (!events.isArray() || events.isEmpty()) {
            throw new MalformedEventException("events: expected a non-empty array", null, null);
        }
        List<BatchTask> out = new ArrayList<>();
        for (JsonNode e : events) {
            String name = e.path("eventName").asText("");
            if (!name.startsWith("ObjectCreated:")) {
                throw new MalformedEventException("events[].eventName: actual '" + (name.length() > 40
                        ? name.substring(0, 40) : name) + "', expected ObjectCreated:*", null, null);
            }
            String bucket = e.path("oss").path("bucket").path("name").asText("");
            String key = e.path("oss").path("object").path("key").asText("");
            if (bucket.isEmpty() || key.isEmpty()) {
                throw new MalformedEventException("events[].oss: expected bucket.name and object.key", null, null);
            }
            out.add(new BatchTask(bucket, key, null));
        }
        return out;
    }

    BatchJob job(OssCredentials credentials) {
        return BatchJob.builder().store(OssStore.create(endpoint, region, credentials).pathStyle(pathStyle).signer(signer))
                .sourceOpener(opener)
                .pipeline(pipeline).target(targetBucket, targetPrefix).build();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, @Nullable Context context) throws IOException {
        byte[] event = input.readNBytes(EventJson.MAX_EVENT_BYTES + 1);
        Credentials c = context == null ? null : context.getExecutionCredentials();
        OssCredentials creds = c != null && c.getAccessKeyId() != null
                ? new OssCredentials(c.getAccessKeyId(), c.getAccessKeySecret(), c.getSecurityToken())
                : OssCredentials.fromEnvironment(env);
        Duration timeout = context != null && context.getFunctionParam() != null
                && context.getFunctionParam().getExecTimeLimitInMillis() > 0
                ? Duration.ofMillis(context.getFunctionParam().getExecTimeLimitInMillis()) : DEFAULT_TIMEOUT;
        Instant deadline = Instant.now().plus(timeout);
        List<BatchTask> tasks = tasks(event);
        BatchJob job = job(creds);
        List<TaskResult> results = Flux.fromIterable(tasks).concatMap(t -> job.run(t, deadline)).collectList()
                .block(timeout.plusSeconds(1));
        ObjectNode reply = JSON.createObjectNode();
        ArrayNode arr = reply.putArray("results");
        boolean temporary = false;
        for (int i = 0; i < tasks.size(); i++) {
            TaskResult r = Objects.requireNonNull(results).get(i);
            temporary |= r.code() == TaskResult.ResultCode.TEMPORARY_FAILURE;
            ObjectNode o = arr.addObject();
            o.put("bucket", tasks.get(i).bucket());
            o.put("key", tasks.get(i).key());
            o.put("resultCode", r.code().wireName());
            o.put("resultString", r.errorCode() == null ? r.message() : r.errorCode() + " (" + r.httpStatus() + "): "
                    + r.message());
        }
        if (temporary) {
            // Function Compute retries a failed asynchronous invocation; done objects are skipped on the retry.
            throw new IOException("temporary failure, to be retried: " + reply);
        }
        output.write(reply.toString().getBytes(StandardCharsets.UTF_8));
        output.flush();
    }
}
