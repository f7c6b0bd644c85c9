package io.transflux.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.transflux.connectors.ErrorMapping;
import io.transflux.connectors.ErrorReply;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.InvocationOutcome;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.PayloadPolicy;
import io.transflux.connectors.oss.OssCredentials;
import io.transflux.connectors.oss.OssObjectFc;
import io.transflux.connectors.oss.OssWgorClient;
import io.transflux.connectors.s3.S3ObjectLambda;
import io.transflux.connectors.s3.S3WgorClient;
import io.transflux.pipeline.Pipeline;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code transflux invoke}: runs the S3 Object Lambda or OSS Object FC function once on an event file, exactly as
 * the platform would (same environment variables), printing the function's JSON reply on stdout and the outcome
 * on stderr.
 */
@Command(name = "invoke",
        description = {"Run the object-transformation function once on an event file, as the platform would.",
                "Uses the platform's environment variables (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL_S3, "
                        + "ALIBABA_CLOUD_*, TRANSFLUX_OSS_WGOR_ENDPOINT, TRANSFLUX_PIPELINE, "
                        + "TRANSFLUX_ALLOW_SOURCE_HOSTS)."},
        mixinStandardHelpOptions = true)
final class InvokeCommand implements Callable<Integer> {

    enum Flavor { s3, oss }

    @Spec
    @Nullable CommandSpec spec;

    @Option(names = "--flavor", required = true, paramLabel = "s3|oss", description = "Event and WGOR flavour.")
    Flavor flavor = Flavor.s3;

    @Option(names = "--event", required = true, paramLabel = "FILE", description = "The event JSON.")
    Path event = Path.of("event.json");

    @Option(names = "--pipeline", paramLabel = "SPEC",
            description = "Pipeline when the access point payload names none (default: TRANSFLUX_PIPELINE).")
    @Nullable String pipeline;

    @Option(names = "--allow-source-host", paramLabel = "PATTERN",
            description = "Allow a local source: an IP (127.0.0.1), a CIDR block or localhost. Repeatable.")
    List<String> allowSourceHosts = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec().commandLine().getOut();
        PrintWriter err = spec().commandLine().getErr();
        // The function's log lines follow the command's own lines (the typed error first).
        try (DeferredLog functionLog = DeferredLog.hold()) {
            return invoke(out, err, System.getenv());
        }
    }

    private Integer invoke(PrintWriter out, PrintWriter err, Map<String, String> env) {
        try {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(event);
            } catch (IOException e) {
                err.println("error: InvalidEvent: cannot read the event file " + event + ": "
                        + (Files.isDirectory(event) ? "it is a directory" : Files.exists(event)
                        ? e.getClass().getSimpleName() : "no such file"));
                err.flush();
                return Transflux.EXIT_FAILURE;
            }
            ObjectLambdaFunction.Builder fb = ObjectLambdaFunction.builder().pipelineFromEnvironment(env)
                    .sourceOpener(HttpSourceOpener.fromEnvironment(env, allowSourceHosts))
                    .payloadPolicy(PayloadPolicy.APPLY);
            if (pipeline != null) {
                fb.pipeline(Pipeline.parse(pipeline));
            }
            ObjectLambdaFunction fn = fb.build();
            InvocationOutcome outcome;
            if (flavor == Flavor.s3) {
                S3ObjectLambda.Result r = S3ObjectLambda.create(fn, S3WgorClient.fromEnvironment(env)).handle(bytes)
                        .block(Duration.ofMinutes(10));
                out.println(r == null ? "{}" : r.replyJson());
                outcome = r == null ? null : r.outcome();
            } else {
                outcome = OssObjectFc.create(fn, OssWgorClient.fromEnvironment(env, OssCredentials.fromEnvironment(env)))
                        .handle(bytes).block(Duration.ofMinutes(10));
                out.println("{\"statusCode\":" + OssObjectFc.replyStatus(outcome) + "}");
            }
            out.flush();
            if (outcome == null) {
                return Transflux.EXIT_OK;
            }
            if (outcome.succeeded()) {
                err.println("outcome " + outcome.toLogLine());
                err.flush();
                return Transflux.EXIT_OK;
            }
            // The typed error comes first, as for `run`: scripts and people read the first line.
            err.println("error: " + (outcome.errorCode() == null ? "WgorFailed" : outcome.errorCode()) + ": invocation "
                    + outcome.delivery().name().toLowerCase() + " with status " + outcome.status());
            err.println("outcome " + outcome.toLogLine());
            err.flush();
            return Transflux.EXIT_FAILURE;
        } catch (RuntimeException e) {
            ErrorReply r = ErrorMapping.map(e);
            err.println("error: " + r.code() + ": " + (e instanceof IllegalStateException || e instanceof IllegalArgumentException
                    ? e.getMessage() : r.message()));
            err.flush();
            return Transflux.EXIT_FAILURE;
        }
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
