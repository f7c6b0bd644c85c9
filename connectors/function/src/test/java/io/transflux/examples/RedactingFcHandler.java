package io.transflux.examples;

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
import io.transflux.connectors.oss.OssCredentials;
import io.transflux.connectors.oss.OssObjectFc;
import io.transflux.connectors.oss.OssWgorClient;
import io.transflux.operators.compression.Decompression;
import io.transflux.operators.redact.Redaction;
import io.transflux.operators.redact.RedactionSpec;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.checksum.ChecksumAlgorithm;

/** OSS Object FC: the same function; it signs with the FC role's temporary credentials of each call. */
public final class RedactingFcHandler implements StreamRequestHandler {

    private final Map<String, String> env;
    private final ObjectLambdaFunction fn;

    public RedactingFcHandler() {
        this(System.getenv());
    }

    RedactingFcHandler(Map<String, String> env) { // tests pass their own environment
        this.env = env;
        this.fn = ObjectLambdaFunction.builder()
                .pipeline(Pipeline.of(Decompression.auto().maxRatio(1000).build(),
                        Redaction.pii(RedactionSpec.defaults())))
                .checksumAlgorithm(ChecksumAlgorithm.CRC64ECMA)
                .sourceOpener(HttpSourceOpener.fromEnvironment(env))
                .build();
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        Credentials c = context.getExecutionCredentials();
        OssCredentials role = new OssCredentials(c.getAccessKeyId(), c.getAccessKeySecret(), c.getSecurityToken());
        InvocationOutcome o = OssObjectFc.create(fn, OssWgorClient.fromEnvironment(env, role))
                .handle(in.readAllBytes()).block(Duration.ofMinutes(5));
        out.write(("{\"statusCode\":" + o.status() + "}").getBytes(StandardCharsets.UTF_8));
    }
}
