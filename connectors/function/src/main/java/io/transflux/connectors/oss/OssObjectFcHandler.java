package io.transflux.connectors.oss;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.Credentials;
import com.aliyun.fc.runtime.StreamRequestHandler;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.InvocationOutcome;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.PayloadPolicy;

/**
 * The Alibaba Cloud Function Compute entry point: handler
 * {@code io.transflux.connectors.oss.OssObjectFcHandler::handleRequest}. Signs with the FC context's temporary
 * credentials, else with the {@code ALIBABA_CLOUD_*} variables. The pipeline comes from the payload, else from
 * {@code TRANSFLUX_PIPELINE}.
 */
public final class OssObjectFcHandler implements StreamRequestHandler {

    private static final Duration MAX_INVOCATION = Duration.ofMinutes(10);

    private final Map<String, String> env;
    private final OssObjectFc fc;

    public OssObjectFcHandler() {
        this(System.getenv());
    }

    OssObjectFcHandler(Map<String, String> env) {
        this.env = env;
        ObjectLambdaFunction fn = ObjectLambdaFunction.builder()
                .pipelineFromEnvironment(env)
                .sourceOpener(HttpSourceOpener.fromEnvironment(env))
                // One deployed function serves access points with different pipelines.
                .payloadPolicy(PayloadPolicy.APPLY)
                .build();
        OssCredentials placeholder = new OssCredentials("unset", "unset", null);
        this.fc = OssObjectFc.create(fn, OssWgorClient.fromEnvironment(env, placeholder));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readNBytes(OssObjectFc.MAX_EVENT_BYTES + 1);
        Credentials c = context == null ? null : context.getExecutionCredentials();
        OssCredentials creds = c != null && c.getAccessKeyId() != null
                ? new OssCredentials(c.getAccessKeyId(), c.getAccessKeySecret(), c.getSecurityToken())
                : OssCredentials.fromEnvironment(env);
        InvocationOutcome o = fc.withCredentials(creds).handle(event).block(MAX_INVOCATION);
        output.write(("{\"statusCode\":" + OssObjectFc.replyStatus(o) + "}").getBytes(StandardCharsets.UTF_8));
        output.flush();
    }
}
