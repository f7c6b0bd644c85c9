package io.transflux.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.transflux.connectors.callback.CallbackHandler;
import io.transflux.connectors.callback.CallbackJob;
import io.transflux.connectors.callback.CallbackJournal;
import io.transflux.connectors.callback.CallbackServer;
import io.transflux.connectors.callback.CallbackVerifier;
import io.transflux.connectors.callback.HttpKeyResolver;
import io.transflux.connectors.callback.KeyUrlPolicy;
import io.transflux.connectors.http.HostGuard;
import io.transflux.connectors.http.HttpObjectSource;
import io.transflux.connectors.http.HttpSourceClient;
import io.transflux.connectors.http.HttpSourceSpec;
import io.transflux.connectors.process.ProcessAndSave;
import io.transflux.connectors.process.SaveAs;
import io.transflux.connectors.s3.S3Store;
import io.transflux.pipeline.Pipeline;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Mono;

/**
 * {@code transflux callback-server}: receives OSS upload callbacks, verifies them, journals them and, for each
 * uploaded object, runs {@code --process} on it and saves the result as {@code <target-prefix><object>} in
 * {@code --target-bucket} (default: the object's bucket) on an S3-compatible store. Runs until killed.
 */
@Command(name = "callback-server",
        description = {"Receive OSS upload callbacks and process each uploaded object (e.g. a thumbnail).",
                // $${...} is picocli's escape: the help shows the OSS callback variables literally.
                "The callback body must carry bucket=$${bucket}, object=$${object} and etag=$${etag}.",
                "Store credentials and endpoint as for 'transflux process'."},
        mixinStandardHelpOptions = true)
final class CallbackServerCommand implements Callable<Integer> {

    @Spec
    @Nullable CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", defaultValue = "8090", description = "Port (default: ${DEFAULT-VALUE}; 0 picks one).")
    int port = 8090;

    @Option(names = "--journal", required = true, paramLabel = "DIR",
            description = "Directory of the job journal (accepted jobs are replayed from it at start-up).")
    Path journalDir = Path.of(".");

    @Option(names = "--allow-key-host", paramLabel = "HOST[:PORT]",
            description = "Also accept public keys served by this local host (e.g. a local access point). "
                    + "gosspublic.alicdn.com is always accepted, fetched over https.")
    List<String> keyHosts = new ArrayList<>();

    @Option(names = "--process", required = true, paramLabel = "SPEC",
            description = "Pipeline run on each uploaded object, e.g. 'image/resize,w_100'.")
    String process = "";

    @Option(names = "--target-prefix", defaultValue = "thumbs/", description = "Prefix of saved keys (default: ${DEFAULT-VALUE}).")
    String targetPrefix = "thumbs/";

    @Option(names = "--target-bucket", description = "Bucket for the results (default: the uploaded object's).")
    @Nullable String targetBucket;

    @Option(names = "--endpoint", paramLabel = "URL", description = "S3-compatible endpoint, addressed path-style.")
    @Nullable String endpoint;

    @Option(names = "--oss-process-endpoint", paramLabel = "URL",
            description = {"Instead of reading and writing an S3-compatible store, ask this OSS endpoint to process "
                    + "and save each object (POST ?x-oss-process with sys/saveas, V1-signed), e.g. 'transflux serve "
                    + "--flavor oss'. Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET, else serve's local defaults.",
                    "IP-literal and localhost endpoints are addressed path-style, others virtual-host style."})
    @Nullable String ossProcessEndpoint;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec().commandLine().getErr();
        if (process.contains("sys/")) {
            throw new ParameterException(spec().commandLine(), "--process: give the pipeline only; the target "
                    + "comes from --target-prefix and --target-bucket");
        }
        Pipeline.parse(process);
        KeyUrlPolicy policy = KeyUrlPolicy.ossOnly();
        for (String h : keyHosts) {
            policy = policy.allowLocalHost(h);
        }
        if (ossProcessEndpoint != null) {
            if (endpoint != null) {
                throw new ParameterException(spec().commandLine(), "--oss-process-endpoint: give it or --endpoint, "
                        + "not both");
            }
            OssProcessJobs jobs;
            try {
                jobs = OssProcessJobs.create(ossProcessEndpoint, System.getenv(), process, targetPrefix, targetBucket);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec().commandLine(), "--oss-process-endpoint: " + e.getMessage());
            }
            return serve(policy, job -> jobs.run(job, err), err);
        }
        S3Store store;
        try {
            store = S3Store.fromEnvironment(System.getenv());
        } catch (IllegalStateException e) {
            throw new ParameterException(spec().commandLine(), e.getMessage().replace("WriteGetObjectResponse", "S3 requests"));
        }
        if (endpoint != null) {
            store = store.endpointOverride(endpoint);
        }
        S3Store s3 = store;
        HttpSourceClient client = HttpSourceClient.create();
        HostGuard guard = s3.hasEndpointOverride() ? HostGuard.publicOnly().allowLoopback().allowPrivateNetworks()
                : HostGuard.publicOnly();
        ProcessAndSave jobs = ProcessAndSave.create((bucket, key) -> s3.sink(bucket, key));
        try {
            return serve(policy, job -> run(jobs, s3, client, guard, job, err), err);
        } finally {
            client.dispose();
        }
    }

    private int serve(KeyUrlPolicy policy, CallbackHandler handler, PrintWriter err) throws Exception {
        try (CallbackJournal journal = CallbackJournal.open(journalDir)) {
            long pending = journal.pending().size();
            long redeliveries = journal.pending().stream().filter(journal::wasStarted).count();
            if (pending > 0) {
                err.println("callback-server: replaying " + pending + " unfinished jobs from the journal, " + redeliveries
                        + " of them redeliveries (started before a crash; see docs/process.md)");
                err.flush();
            }
            return listen(policy, handler, err, journal);
        }
    }

    private int listen(KeyUrlPolicy policy, CallbackHandler handler, PrintWriter err, CallbackJournal journal)
            throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        try (CallbackServer server = CallbackServer.start(host, port,
                     CallbackVerifier.create(policy, HttpKeyResolver.create()), journal, handler)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            err.println("callback-server listening on " + host + ":" + server.port());
            err.flush();
            stop.await();
        }
        return Transflux.EXIT_OK;
    }

    private Mono<Void> run(ProcessAndSave jobs, S3Store s3, HttpSourceClient client, HostGuard guard, CallbackJob job,
            PrintWriter err) {
        return Mono.defer(() -> {
            String url = s3.presignGet(job.bucket(), job.object(), Duration.ofMinutes(15));
            HttpObjectSource src = HttpObjectSource.builder(url)
                    .spec(HttpSourceSpec.builder().hostGuard(guard).build()).client(client).build();
            SaveAs target = new SaveAs(targetPrefix + job.object(), targetBucket);
            String spec = process.isBlank() ? target.toString() : process + "|" + target;
            return jobs.run(src, job.bucket(), spec)
                    .doOnNext(r -> {
                        err.println("saved " + r.toJson());
                        err.flush();
                    })
                    .doOnError(e -> {
                        err.println("job failed for " + job.bucket() + "/" + job.object() + ": "
                                + e.getClass().getSimpleName() + ": " + e.getMessage());
                        err.flush();
                    })
                    .then();
        });
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
