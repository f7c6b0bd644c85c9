package io.transflux.examples;

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
import io.transflux.connectors.s3.S3ObjectLambda;
import io.transflux.connectors.s3.S3WgorClient;
import io.transflux.operators.compression.Decompression;
import io.transflux.operators.redact.Redaction;
import io.transflux.operators.redact.RedactionSpec;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.checksum.ChecksumAlgorithm;

/** S3 Object Lambda: decompress whatever arrives, mask PII, send a CRC32C with the bytes. */
public final class RedactingLambdaHandler implements RequestStreamHandler {

    private final S3ObjectLambda lambda;

    public RedactingLambdaHandler() {
        this(System.getenv());
    }

    RedactingLambdaHandler(Map<String, String> env) { // tests pass their own environment
        ObjectLambdaFunction fn = ObjectLambdaFunction.builder()
                .pipeline(Pipeline.of(Decompression.auto().maxRatio(1000).build(),
                        Redaction.pii(RedactionSpec.defaults())))
                .checksumAlgorithm(ChecksumAlgorithm.CRC32C)
                .sourceOpener(HttpSourceOpener.fromEnvironment(env))
                .build();
        lambda = S3ObjectLambda.create(fn, S3WgorClient.fromEnvironment(env));
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        S3ObjectLambda.Result r = lambda.handle(in.readAllBytes()).block(Duration.ofSeconds(60));
        out.write(r.replyJson().getBytes(StandardCharsets.UTF_8));
    }
}
