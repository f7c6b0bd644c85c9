package io.transflux.connectors.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.transflux.connectors.FunctionWarmup;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.PayloadPolicy;
import org.crac.Core;
import org.crac.Resource;

/**
 * The AWS Lambda entry point: handler {@code io.transflux.connectors.s3.S3ObjectLambdaHandler::handleRequest}.
 * The pipeline comes from the access point payload ({@code {"pipeline": "..."}}), else from
 * {@code TRANSFLUX_PIPELINE}. Credentials, region and {@code AWS_ENDPOINT_URL_S3} come from the environment.
 * Built once per container and reused across invocations.
 *
 * <p>SnapStart: the constructor registers {@link FunctionWarmup}'s {@code org.crac} hooks, which prime the
 * pipeline, the event parser and the signer before the snapshot, close pooled connections, and open fresh pools
 * after each restore.
 */
public final class S3ObjectLambdaHandler implements RequestStreamHandler {

    private static final Duration MAX_INVOCATION = Duration.ofSeconds(65);

    private static final byte[] SAMPLE_EVENT = ("{\"xAmzRequestId\":\"warm-up\",\"protocolVersion\":\"1.00\","
            + "\"getObjectContext\":{\"inputS3Url\":\"https://example.com/warm-up?X-Amz-Signature=0\","
            + "\"outputRoute\":\"warm-up\",\"outputToken\":\"warm-up\"},\"configuration\":{\"payload\":\"{}\"},"
            + "\"userRequest\":{\"url\":\"https://example.com/warm-up\",\"headers\":{\"Range\":\"bytes=0-9\"}}}")
            .getBytes(StandardCharsets.UTF_8);

    private final S3ObjectLambda lambda;
    // Held strongly: the CRaC context may keep only a weak reference.
    private final FunctionWarmup warmup;

    public S3ObjectLambdaHandler() {
        this(System.getenv(), Core.getGlobalContext());
    }

    S3ObjectLambdaHandler(Map<String, String> env, org.crac.Context<Resource> snapshotContext) {
        ObjectLambdaFunction fn = ObjectLambdaFunction.builder()
                .pipelineFromEnvironment(env)
                .sourceOpener(HttpSourceOpener.fromEnvironment(env))
                // One deployed function serves access points with different pipelines.
                .payloadPolicy(PayloadPolicy.APPLY)
                .build();
        S3WgorClient wgor = S3WgorClient.fromEnvironment(env);
        this.lambda = S3ObjectLambda.create(fn, wgor);
        this.warmup = FunctionWarmup.of(fn, () -> primeHandler(wgor)).registerWith(snapshotContext);
    }

    /** Event parsing, reply JSON and SigV4 signing, offline. */
    private static void primeHandler(S3WgorClient wgor) {
        try {
            S3Events.parse(SAMPLE_EVENT);
            S3Events.toJson(Map.of("statusCode", 200, "headers", Map.of("Content-Length", "0")));
        } catch (RuntimeException e) {
            throw new IllegalStateException("warm-up event does not parse: " + e.getClass().getSimpleName(), e);
        }
        wgor.sign("https://warm-up.s3-object-lambda.us-east-1.amazonaws.com/WriteGetObjectResponse",
                Map.of("x-amz-request-route", "warm-up", "x-amz-request-token", "warm-up", "Content-Length", "0"));
    }

    /** The snapshot hooks this handler registered. */
    FunctionWarmup warmup() {
        return warmup;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readNBytes(S3Events.MAX_EVENT_BYTES + 1);
        S3ObjectLambda.Result r = lambda.handle(event).block(MAX_INVOCATION);
        String reply = r == null ? "{\"statusCode\":500}" : r.replyJson();
        output.write(reply.getBytes(StandardCharsets.UTF_8));
        output.flush();
    }
}
