package io.transflux.connectors.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.transflux.connectors.EventJson;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.batch.BatchJob;
import io.transflux.connectors.batch.BatchOperationsInvocation;

/**
 * The S3 Batch Operations entry point ({@code LambdaInvoke}, invocation schema 1.0 and 2.0): handler
 * {@code io.transflux.connectors.s3.S3BatchOperationsHandler::handleRequest}. Each task's object is read with the
 * function's credentials, transformed and written to the target with a multipart upload (see {@link BatchJob}).
 *
 * <p>Settings: {@code job.userArguments} ({@code pipeline}, {@code targetBucket}, {@code targetPrefix}; schema 2.0)
 * over the environment ({@code TRANSFLUX_PIPELINE}, {@code TRANSFLUX_TARGET_BUCKET}, {@code TRANSFLUX_TARGET_PREFIX}).
 * Credentials, region and {@code AWS_ENDPOINT_URL_S3} come from the environment, as Lambda sets them.
 */
public final class S3BatchOperationsHandler implements RequestStreamHandler {

    private static final System.Logger LOG = System.getLogger("io.transflux.connectors.batch");

    private final Map<String, String> env;
    private final S3Store store;
    private final HttpSourceOpener opener;

    public S3BatchOperationsHandler() {
        this(System.getenv());
    }

    S3BatchOperationsHandler(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.store = S3Store.fromEnvironment(env);
        this.opener = HttpSourceOpener.fromEnvironment(env);
    }

    /** The handler as Lambda would build it with {@code env} as its environment (serve's local Batch Operations). */
    public static S3BatchOperationsHandler withEnvironment(Map<String, String> env) {
        return new S3BatchOperationsHandler(env);
    }

    /** The job for one invocation's settings; fails naming the missing setting. */
    Function<Map<String, String>, BatchJob> jobs() {
        return userArguments -> {
            Map<String, String> s = BatchOperationsInvocation.settings(userArguments, env);
            String pipeline = s.get(BatchOperationsInvocation.ARG_PIPELINE);
            String bucket = s.get(BatchOperationsInvocation.ARG_TARGET_BUCKET);
            if (pipeline == null || pipeline.isBlank()) {
                throw new IllegalArgumentException("pipeline: missing (userArguments.pipeline or TRANSFLUX_PIPELINE)");
            }
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException(
                        "target bucket: missing (userArguments.targetBucket or TRANSFLUX_TARGET_BUCKET)");
            }
            return BatchJob.builder().store(store).sourceOpener(opener).pipeline(pipeline)
                    .target(bucket, s.getOrDefault(BatchOperationsInvocation.ARG_TARGET_PREFIX, "")).build();
        };
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readNBytes(EventJson.MAX_EVENT_BYTES + 1);
        long remaining = context == null ? Duration.ofMinutes(15).toMillis() : context.getRemainingTimeInMillis();
        Instant deadline = BatchOperationsInvocation.deadlineIn(remaining);
        long t0 = System.nanoTime();
        String reply = BatchOperationsInvocation.handle(event, jobs(), deadline)
                .block(Duration.ofMillis(remaining).plusSeconds(1));
        LOG.log(System.Logger.Level.INFO, () -> "batch invocation done in " + (System.nanoTime() - t0) / 1_000_000
                + " ms");
        output.write(reply == null ? new byte[0] : reply.getBytes(StandardCharsets.UTF_8));
        output.flush();
    }
}
