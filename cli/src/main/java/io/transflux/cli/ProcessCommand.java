package io.transflux.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.transflux.connectors.ConnectorException;
import io.transflux.connectors.http.HostGuard;
import io.transflux.connectors.http.HttpObjectSource;
import io.transflux.connectors.http.HttpSourceClient;
import io.transflux.connectors.http.HttpSourceSpec;
import io.transflux.connectors.process.ProcessAndSave;
import io.transflux.connectors.process.ProcessRequest;
import io.transflux.connectors.process.ProcessResult;
import io.transflux.connectors.s3.S3Store;
import io.transflux.connectors.upload.MultipartSpec;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.PipelineException;
import io.transflux.pipeline.source.ObjectSource;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import reactor.core.Exceptions;

/**
 * {@code transflux process}: one OSS-style process-and-save job against an S3-compatible endpoint. Reads the
 * source (an {@code s3://bucket/key} through a presigned GET, or an http(s) URL), runs the pipeline part of
 * {@code --process} and stores the result where its {@code sys/saveas} stage says, through a multipart upload
 * that leaves nothing behind on failure. Prints the OSS result JSON on stdout.
 */
@Command(name = "process",
        description = {"Process one object and save the result to an S3-compatible store.",
                "Credentials and region from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION;",
                "the endpoint from --endpoint, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (default: AWS).",
                "Prints {\"bucket\":...,\"fileSize\":...,\"object\":...,\"status\":\"OK\"}."},
        mixinStandardHelpOptions = true)
final class ProcessCommand implements Callable<Integer> {

    @Spec
    @Nullable CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "s3://BUCKET/KEY|URL",
            description = "The object to process.")
    String source = "";

    @Option(names = "--process", required = true, paramLabel = "SPEC|sys/saveas,o_<b64>[,b_<b64>]",
            description = "Pipeline then the target, e.g. 'image/resize,w_100|sys/saveas,o_dGh1bWIuanBn,b_YnVja2V0'. "
                    + "o and b are URL-safe Base64; b defaults to the source bucket.")
    String process = "";

    @Mixin
    S3StoreOptions storeOptions = new S3StoreOptions();

    @Option(names = "--max-output-bytes", paramLabel = "BYTES", converter = ByteSizeConverter.class,
            description = "Fail once the output exceeds this many bytes. Default 1GiB.")
    long maxOutputBytes = Limits.DEFAULT_MAX_OUTPUT_BYTES;

    @Option(names = "--allow-private-hosts",
            description = "Allow a source URL on loopback or private addresses. An s3:// source read through an "
                    + "explicit --endpoint is always allowed.")
    boolean allowPrivateHosts;

    @Option(names = "--debug", description = "Print stack traces on errors.")
    boolean debug;

    @Override
    public Integer call() {
        PrintWriter err = spec().commandLine().getErr();
        PrintWriter out = spec().commandLine().getOut();
        MultipartSpec parts = storeOptions.multipartSpec(spec().commandLine());
        HttpSourceClient client = HttpSourceClient.create();
        try {
            ProcessRequest request = ProcessRequest.parse(process);
            S3Store store = storeOptions.store(spec().commandLine());
            ProcessAndSave job = ProcessAndSave.create((bucket, key) -> store.sink(bucket, key, parts))
                    .limits(Limits.builder().maxOutputBytes(maxOutputBytes).noDeadline().build());
            String sourceBucket = null;
            ObjectSource src;
            HttpSourceSpec.Builder http = HttpSourceSpec.builder().totalDeadline(Duration.ofDays(1));
            if (source.startsWith("s3://")) {
                String rest = source.substring("s3://".length());
                int slash = rest.indexOf('/');
                if (slash <= 0 || slash == rest.length() - 1) {
                    throw new ParameterException(spec().commandLine(), "--source: expected s3://BUCKET/KEY");
                }
                sourceBucket = rest.substring(0, slash);
                boolean explicitEndpoint = store.hasEndpointOverride();
                HostGuard guard = explicitEndpoint || allowPrivateHosts
                        ? HostGuard.publicOnly().allowLoopback().allowPrivateNetworks() : HostGuard.publicOnly();
                src = HttpObjectSource.builder(store.presignGet(sourceBucket, rest.substring(slash + 1), Duration.ofHours(1)))
                        .spec(http.hostGuard(guard).build()).client(client).build();
            } else if (source.startsWith("http://") || source.startsWith("https://")) {
                HostGuard guard = allowPrivateHosts
                        ? HostGuard.publicOnly().allowLoopback().allowPrivateNetworks() : HostGuard.publicOnly();
                src = HttpObjectSource.builder(source).spec(http.hostGuard(guard).build()).client(client).build();
            } else {
                throw new ParameterException(spec().commandLine(), "--source: expected s3://BUCKET/KEY or an http(s) URL");
            }
            ProcessResult result = job.run(src, sourceBucket, request).block();
            if (result == null) {
                throw new IllegalStateException("process: the job completed without a result");
            }
            out.println(result.toJson());
            out.flush();
            return Transflux.EXIT_OK;
        } catch (ParameterException e) {
            throw e;
        } catch (RuntimeException e) {
            Throwable t = Exceptions.unwrap(e);
            PipelineException pe = PipelineException.wrap(t);
            String code = pe instanceof ConnectorException ce ? ce.errorCode() : pe.code().code();
            String message = pe == t ? pe.getMessage() : t.getClass().getSimpleName() + ": " + t.getMessage();
            err.println("error: " + code + ": " + message);
            if (debug) {
                t.printStackTrace(err);
            }
            err.flush();
            return Transflux.EXIT_FAILURE;
        } finally {
            client.dispose();
        }
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
