package io.transflux.connectors.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.PayloadPolicy;

/**
 * The AWS Lambda entry point: handler {@code io.transflux.connectors.s3.S3ObjectLambdaHandler::handleRequest}.
 * The pipeline comes from the access point payload ({@code {"pipeline": "..."}}), else from
 * {@code TRANSFLUX_PIPELINE}. Credentials, region and {@code AWS_ENDPOINT_URL_S3} come from the environment.
 * Built once per container and reused across invocations.
 */
public final class S3ObjectLambdaHandler implements RequestStreamHandler {

    private static final Duration MAX_INVOCATION = Duration.ofSeconds(65);

    private final S3ObjectLambda lambda;

    public S3ObjectLambdaHandler() {
        this(System.getenv());
    }

    S3ObjectLambdaHandler(Map<String, String> env) {
        ObjectLambdaFunction fn = ObjectLambdaFunction.builder()
                .pipelineFromEnvironment(env)
                .sourceOpener(HttpSourceOpener.fromEnvironment(env))
                // One deployed function serves access points with different pipelines.
                .payloadPolicy(PayloadPolicy.APPLY)
                .build();
        this.lambda = S3ObjectLambda.create(fn, S3WgorClient.fromEnvironment(env));
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
