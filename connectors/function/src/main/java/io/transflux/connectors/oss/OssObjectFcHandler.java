package io.transflux.connectors.oss;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.Credentials;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.StreamRequestHandler;
import io.transflux.connectors.FunctionWarmup;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.InvocationOutcome;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.PayloadPolicy;

/**
 * The Alibaba Cloud Function Compute entry point: handler
 * {@code io.transflux.connectors.oss.OssObjectFcHandler::handleRequest}. Signs with the FC context's temporary
 * credentials, else with the {@code ALIBABA_CLOUD_*} variables. The pipeline comes from the payload, else from
 * {@code TRANSFLUX_PIPELINE}.
 *
 * <p>Initializer: {@code io.transflux.connectors.oss.OssObjectFcHandler::initialize} (fc-java-core's
 * {@link FunctionInitializer}) runs {@link FunctionWarmup#prime()} once per instance, before the first event: the
 * pipeline, the event parser and the signer are loaded and initialised without touching the network.
 */
public final class OssObjectFcHandler implements StreamRequestHandler, FunctionInitializer {

    private static final byte[] SAMPLE_EVENT = ("{\"getObjectContext\":{\"inputOssUrl\":"
            + "\"https://example.com/warm-up?x-oss-signature=0\",\"outputRoute\":\"warm-up\","
            + "\"outputToken\":\"warm-up\"},\"configuration\":{\"payload\":\"{}\"},"
            + "\"userRequest\":{\"url\":\"https://example.com/warm-up\",\"headers\":{\"Range\":\"bytes=0-9\"}}}")
            .getBytes(StandardCharsets.UTF_8);

    private static final Duration MAX_INVOCATION = Duration.ofMinutes(10);

    private final Map<String, String> env;
    private final OssObjectFc fc;
    private final FunctionWarmup warmup;

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
        OssWgorClient wgor = OssWgorClient.fromEnvironment(env, placeholder);
        this.fc = OssObjectFc.create(fn, wgor);
        this.warmup = FunctionWarmup.of(fn, () -> primeHandler(wgor));
    }

    /** Warms the function before the first event; FC calls it once per instance. */
    @Override
    public void initialize(Context context) throws IOException {
        warmup.prime();
    }

    /** Event parsing and request signing, offline. */
    private static void primeHandler(OssWgorClient wgor) {
        OssObjectFc.parse(SAMPLE_EVENT);
        wgor.primeSigner();
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
