package io.transflux.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
import io.transflux.connectors.upload.StoreEndpoint;
import io.transflux.pipeline.Pipeline;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * {@code transflux callback-server}: receives OSS upload callbacks, verifies them, journals them and, for each
 * uploaded object, runs {@code --process} on it and saves the result as {@code <target-prefix><object>} in
 * {@code --target-bucket} (default: the object's bucket) on an S3-compatible store. Runs until killed. Each result
 * carries its job's idempotency key as user metadata ({@value #META_CALLBACK_KEY}); a job run again after a crash
 * (a redelivery) whose result is already there is marked done without running, so the result is written once.
 */
@Command(name = "callback-server",
        description = {"Receive OSS upload callbacks and process each uploaded object (e.g. a thumbnail).",
                // $${...} is picocli's escape: the help shows the OSS callback variables literally.
                "The callback body must carry bucket=$${bucket}, object=$${object} and etag=$${etag}.",
                "Store credentials and endpoint as for 'transflux process'."},
        mixinStandardHelpOptions = true)
final class CallbackServerCommand implements Callable<Integer> {

    /** User metadata on each saved result: the idempotency key of the job that made it. */
    static final String META_CALLBACK_KEY = "transflux-callback-key";
    static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);

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
        HttpClient heads = HttpClient.create()
                .responseTimeout(HEAD_TIMEOUT);
        CallbackHandler handler = new CallbackHandler() {
            @Override
            public Mono<Void> handle(CallbackJob job) {
                return handle(job, false);
            }

            @Override
            public Mono<Void> handle(CallbackJob job, boolean redelivery) {
                return (redelivery ? alreadySaved(s3, heads, job, err) : Mono.just(false))
                        .flatMap(saved -> saved ? Mono.<Void>empty() : run(s3, client, guard, job, err));
            }
        };
        try {
            return serve(policy, handler, err);
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

    /**
     * On a redelivery: whether the target already holds this job's result, i.e. a {@code HEAD} finds it with
     * {@value #META_CALLBACK_KEY} equal to the job's idempotency key (written with the result, which appears only
     * when its upload completes). Anything else (404, an error, another key) means run the job.
     */
    private Mono<Boolean> alreadySaved(S3Store s3, HttpClient heads, CallbackJob job,
            PrintWriter err) {
        return Mono.defer(() -> {
            String bucket = targetBucket != null ? targetBucket : job.bucket();
            String key = targetPrefix + job.object();
            StoreEndpoint.Prepared p = s3.prepare("HEAD", bucket, key, new TreeMap<>(), Map.of());
            return heads.headers(h -> p.headers().forEach(h::set)).head().uri(p.url())
                    .responseSingle((res, body) -> body.then(Mono.just(res.status().code() == 200
                            && job.idempotencyKey().equals(res.responseHeaders()
                                    .get(s3.userMetadataPrefix() + META_CALLBACK_KEY)))))
                    .onErrorReturn(false)
                    .doOnNext(saved -> {
                        if (saved) {
                            err.println("already saved " + bucket + "/" + key + " for " + job.bucket() + "/"
                                    + job.object() + " before a crash: not run again");
                            err.flush();
                        }
                    });
        });
    }

    private Mono<Void> run(S3Store s3, HttpSourceClient client, HostGuard guard, CallbackJob job, PrintWriter err) {
        // the result carries the job's key, so that a redelivery can see that it was saved
        ProcessAndSave jobs = ProcessAndSave.create((bucket, key) -> stream -> s3.sink(bucket, key)
                .write(stream.mapMetadata(m -> m.putUserMetadata(META_CALLBACK_KEY, job.idempotencyKey()))));
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
