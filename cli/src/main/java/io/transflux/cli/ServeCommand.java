package io.transflux.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.transflux.connectors.ConnectorException;
import io.transflux.connectors.accesspoint.AccessPointConfig;
import io.transflux.connectors.accesspoint.Action;
import io.transflux.connectors.accesspoint.AccessPointSpec;
import io.transflux.connectors.accesspoint.Feature;
import io.transflux.connectors.accesspoint.Flavor;
import io.transflux.connectors.accesspoint.FunctionRuntimeSpec;
import io.transflux.connectors.accesspoint.FunctionUrlServer;
import io.transflux.connectors.accesspoint.LocalAccessPoint;
import io.transflux.connectors.accesspoint.LocalBatchOperations;
import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.connectors.url.UrlFunctionSpec;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.PipelineException;
import io.transflux.pipeline.StageRegistry;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code transflux serve}: a local S3 Object Lambda / OSS Object FC access point for real clients. With no flags it
 * serves the repository's {@code samples/} folder through {@code decompress/auto} (and {@code redact/pii} when that
 * stage exists) on {@code http://127.0.0.1:9000}.
 */
@Command(name = "serve",
        description = {"Serve a folder as a local S3 Object Lambda (or OSS Object FC) access point.",
                "Every GET runs the function on a platform-shaped event; its WriteGetObjectResponse streams back to the "
                        + "caller. Buckets are the sub-folders of --root. Access-log lines go to stderr.",
                "Credentials (SigV4 / OSS): --access-key-id/--secret-access-key, else TRANSFLUX_ACCESS_KEY_ID/"
                        + "TRANSFLUX_SECRET_ACCESS_KEY, else " + LocalAccessPoint.DEFAULT_ACCESS_KEY_ID + " / "
                        + LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY + "."},
        mixinStandardHelpOptions = true)
final class ServeCommand implements Callable<Integer> {

    static final String KEY_ENV = "TRANSFLUX_ACCESS_KEY_ID";
    static final String SECRET_ENV = "TRANSFLUX_SECRET_ACCESS_KEY";
    static final String AWS_KEY_ENV = "AWS_ACCESS_KEY_ID";
    static final String AWS_SECRET_ENV = "AWS_SECRET_ACCESS_KEY";
    /** The process environment; a field so tests can start serve in-process with a chosen one. */
    Map<String, String> environment = System.getenv();

    @Spec
    @Nullable CommandSpec spec;

    @Option(names = "--port", defaultValue = "9000", paramLabel = "PORT", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = LocalAccessPoint.DEFAULT_PORT;

    @Option(names = "--host", defaultValue = LocalAccessPoint.DEFAULT_HOST, paramLabel = "ADDRESS",
            description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host = LocalAccessPoint.DEFAULT_HOST;

    @Option(names = "--root", paramLabel = "DIR", description = "Folder whose sub-folders are buckets (default: the repository's samples/).")
    @Nullable Path root;

    @Option(names = "--pipeline", paramLabel = "SPEC",
            description = "Pipeline of the default access point (default: decompress/auto, then redact/pii when that stage exists).")
    @Nullable String pipeline;

    @Option(names = "--flavor", paramLabel = "s3|oss", description = "Platform of the default access point (default: s3).")
    @Nullable String flavor;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON or YAML file of access points (see docs/serve.md).")
    @Nullable Path config;

    @Option(names = "--function-url", paramLabel = "URL",
            description = "POST events to this HTTP function instead of running the function in-process.")
    @Nullable URI functionUrl;

    @Option(names = "--front", paramLabel = "object-lambda|function-url",
            description = "What clients talk to: an S3 Object Lambda / OSS Object FC access point (default), or an "
                    + "emulated Lambda function URL with response streaming whose function, the custom runtime in "
                    + "--function-jar, runs in separate JVMs through the Runtime API and reads --root (docs/serve.md).")
    @Nullable String front;

    @Option(names = "--url-auth", paramLabel = "none|aws-iam",
            description = "--front function-url: the URL's AuthType (default: none); aws-iam takes SigV4 for "
                    + "service lambda signed with an accepted access key.")
    @Nullable String urlAuth;

    @Option(names = "--url-bucket", paramLabel = "NAME",
            description = "--front function-url: answer /{key} from this bucket (default: /{bucket}/{key} for "
                    + "every bucket under --root).")
    @Nullable String urlBucket;

    @Option(names = "--actions", paramLabel = "NAME[,NAME...]",
            description = "Requests the function handles: GetObject, HeadObject, ListObjects, ListObjectsV2 (default: all "
                    + "for the in-process function, GetObject for --function-url); others are answered from the store.")
    @Nullable String actions;

    @Option(names = "--function-runtime", paramLabel = "java",
            description = "Run the deployable function jar in separate JVMs through the AWS Lambda Runtime Interface "
                    + "Client, against a Lambda Runtime API served on loopback (S3 flavour; see docs/serve.md).")
    @Nullable String functionRuntime;

    @Option(names = "--function-jar", paramLabel = "PATH",
            description = "The function jar for --function-runtime (e.g. connectors/function/target/transflux-function.jar).")
    @Nullable Path functionJar;

    @Option(names = "--handler", paramLabel = "CLASS::method",
            description = "Lambda handler for --function-runtime (default: " + FunctionRuntimeSpec.DEFAULT_HANDLER + ").")
    String handler = FunctionRuntimeSpec.DEFAULT_HANDLER;

    @Option(names = "--function-processes", paramLabel = "N",
            description = "Runtime processes, each one invocation at a time as on Lambda (default: 1).")
    int functionProcesses = 1;

    @Option(names = "--function-jvm-option", paramLabel = "OPTION",
            description = "JVM option for the function processes, repeatable (e.g. -XX:SharedArchiveFile=app.jsa).")
    List<String> functionJvmOptions = new ArrayList<>();

    @Option(names = "--function-env", paramLabel = "NAME=VALUE",
            description = "Environment variable for the function processes, repeatable (e.g. TRANSFLUX_PIPELINE=...).")
    Map<String, String> functionEnv = new java.util.LinkedHashMap<>();

    @Option(names = "--features", paramLabel = "NAME[,NAME...]",
            description = "Narrow the default access point's features (default: all of GetObject-Range, "
                    + "GetObject-PartNumber, HeadObject-Range, HeadObject-PartNumber).")
    @Nullable String features;

    @Option(names = "--function-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time the function has to finish its WriteGetObjectResponse (default: 60s).")
    Duration functionTimeout = LocalAccessPoint.DEFAULT_FUNCTION_TIMEOUT;

    @Option(names = "--max-output-bytes", paramLabel = "BYTES", converter = ByteSizeConverter.class,
            description = "In-process function's output cap (default: 1GiB).")
    long maxOutputBytes = Limits.DEFAULT_MAX_OUTPUT_BYTES;

    @Option(names = "--access-key-id", paramLabel = "ID", description = "Access key id clients sign with.")
    @Nullable String accessKeyId;

    @Option(names = "--secret-access-key", paramLabel = "SECRET", description = "Secret clients sign with.")
    @Nullable String secretAccessKey;

    @Option(names = "--region", defaultValue = LocalAccessPoint.DEFAULT_REGION, paramLabel = "REGION",
            description = "Region in events and presigned URLs (default: ${DEFAULT-VALUE}; any signing region is accepted).")
    String region = LocalAccessPoint.DEFAULT_REGION;

    @Option(names = "--anonymous", negatable = true,
            description = "Answer unsigned requests (default: yes when bound to loopback).")
    @Nullable Boolean anonymous;

    @Option(names = "--quiet", description = "No access log.")
    boolean quiet;

    @Option(names = "--batch-manifest", paramLabel = "CSV", description = "Run an S3 Batch Operations job over this "
            + "manifest (bucket,key[,versionId], keys URL-encoded) by invoking the function once per task (use --handler "
            + "io.transflux.connectors.s3.S3BatchOperationsHandler::handleRequest with --function-runtime java, or the "
            + "handler in-process), write --batch-report, then exit: 0 when every task succeeded, else 1.")
    @Nullable Path batchManifest;

    @Option(names = "--batch-argument", paramLabel = "NAME=VALUE",
            description = "The job's userArguments, repeatable: pipeline, targetBucket, targetPrefix.")
    Map<String, String> batchArguments = new java.util.LinkedHashMap<>();

    @Option(names = "--batch-report", defaultValue = "batch-report.csv", paramLabel = "FILE",
            description = "Where the Batch Operations completion report goes (default: ${DEFAULT-VALUE}).")
    Path batchReport;

    @Option(names = "--batch-concurrency", defaultValue = "8", paramLabel = "N",
            description = "Tasks invoked at once (default: ${DEFAULT-VALUE}).")
    int batchConcurrency;

    @Override
    public Integer call() {
        PrintWriter out = spec().commandLine().getOut();
        PrintWriter err = spec().commandLine().getErr();
        LocalAccessPoint server;
        String defaultPipeline;
        Path dir;
        try {
            dir = root != null ? root : samples();
            if (!Files.isDirectory(dir)) {
                throw new ParameterException(spec().commandLine(), "--root: actual '" + dir + "', expected a folder");
            }
            defaultPipeline = pipeline != null ? pipeline : defaultPipeline(StageRegistry.defaultRegistry().stageNames());
            if (front != null && !front.equals("object-lambda")) {
                if (!front.equals("function-url")) {
                    throw new ParameterException(spec().commandLine(), "--front: actual '" + front
                            + "', expected object-lambda or function-url");
                }
                return functionUrlFront(out, err, dir, defaultPipeline);
            }
            if (urlAuth != null || urlBucket != null) {
                throw new ParameterException(spec().commandLine(), "--url-auth and --url-bucket: need --front function-url");
            }
            Set<Feature> fs = features != null ? Feature.parseList(features) : EnumSet.allOf(Feature.class);
            AccessPointSpec dflt = AccessPointSpec.builder().name("default-olap").pipeline(defaultPipeline)
                    .flavor(flavor == null ? Flavor.S3 : Flavor.fromId(flavor)).features(fs)
                    .actions(actions == null ? null : Action.parseList(actions)).build();
            LocalAccessPoint.Builder b = LocalAccessPoint.builder().root(dir).host(host).port(port).region(region)
                    .defaultAccessPoint(dflt).functionUrl(functionUrl).functionTimeout(functionTimeout)
                    .limits(Limits.builder().maxOutputBytes(maxOutputBytes)
                            .deadline(functionTimeout.minusSeconds(Math.min(5, functionTimeout.getSeconds() / 10))).build())
                    .accessLog(quiet ? line -> { } : line -> {
                        err.println(line);
                        err.flush();
                    });
            b.functionRuntime(functionRuntimeSpec());
            Map<String, String> env = environment;
            String id = accessKeyId != null ? accessKeyId : env.getOrDefault(KEY_ENV, LocalAccessPoint.DEFAULT_ACCESS_KEY_ID);
            String secret = secretAccessKey != null ? secretAccessKey
                    : env.getOrDefault(SECRET_ENV, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY);
            b.credentials(id, secret);
            // A developer's shell often exports an AWS key pair; when nothing names serve's own, accept that one too,
            // so the AWS CLI and boto3 work as they are.
            boolean named = accessKeyId != null || secretAccessKey != null || env.containsKey(KEY_ENV)
                    || env.containsKey(SECRET_ENV);
            String awsId = env.get(AWS_KEY_ENV);
            String awsSecret = env.get(AWS_SECRET_ENV);
            boolean fromAwsEnv = !named && awsId != null && !awsId.isBlank() && awsSecret != null && !awsSecret.isEmpty();
            if (fromAwsEnv) {
                b.alsoAccept(awsId, awsSecret);
            }
            if (config != null) {
                AccessPointConfig c = AccessPointConfig.read(config);
                b.accessPoints(c.accessPoints());
                if (c.allowAnonymous() != null) {
                    b.allowAnonymous(c.allowAnonymous());
                }
            }
            if (anonymous != null) {
                b.allowAnonymous(anonymous);
            }
            server = b.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "transflux-serve-shutdown"));
            banner(out, server, dir, dflt, id, secret, fromAwsEnv ? awsId : null);
        } catch (ParameterException e) {
            throw e;
        } catch (IllegalArgumentException | IOException e) {
            err.println("error: InvalidConfiguration: " + e.getMessage());
            err.flush();
            return Transflux.EXIT_FAILURE;
        } catch (ConnectorException e) {
            err.println("error: " + e.errorCode() + ": " + e.getMessage());
            err.flush();
            return Transflux.EXIT_FAILURE;
        } catch (PipelineException e) {
            err.println("error: " + e.code().code() + ": " + e.getMessage());
            err.flush();
            return Transflux.EXIT_FAILURE;
        } catch (RuntimeException e) {
            err.println("error: BindFailed: could not listen on " + host + ":" + port + " ("
                    + e.getClass().getSimpleName() + ")");
            err.flush();
            return Transflux.EXIT_FAILURE;
        }
        if (batchManifest != null) {
            return runBatch(server, out, err);
        }
        server.awaitClose();
        return Transflux.EXIT_OK;
    }

    /** {@code --batch-manifest}: the job through the running access point, then the server closes. */
    private int runBatch(LocalAccessPoint server, PrintWriter out, PrintWriter err) {
        try (server) {
            LocalBatchOperations.Summary s = LocalBatchOperations.run(server, batchManifest, batchArguments,
                    batchConcurrency, batchReport);
            out.println("batch: " + s.tasks() + " tasks, " + s.succeeded() + " succeeded, " + s.failed()
                    + " failed; report " + batchReport);
            out.flush();
            return s.failed() == 0 ? Transflux.EXIT_OK : Transflux.EXIT_FAILURE;
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: InvalidConfiguration: --batch-manifest/--batch-report: " + e.getMessage());
            err.flush();
            return Transflux.EXIT_FAILURE;
        }
    }

    /** The RIC mode's settings, or null when the function runs in-process or behind --function-url. */
    @Nullable FunctionRuntimeSpec functionRuntimeSpec() {
        if (functionRuntime == null) {
            if (functionJar != null) {
                throw new ParameterException(spec().commandLine(), "--function-jar: needs --function-runtime java");
            }
            return null;
        }
        if (!functionRuntime.equals("java")) {
            throw new ParameterException(spec().commandLine(), "--function-runtime: actual '" + functionRuntime
                    + "', expected java");
        }
        if (functionUrl != null) {
            throw new ParameterException(spec().commandLine(), "--function-runtime and --function-url: choose one");
        }
        if (functionJar == null || !Files.isRegularFile(functionJar)) {
            throw new ParameterException(spec().commandLine(), "--function-jar: actual '" + functionJar
                    + "', expected an existing jar");
        }
        return FunctionRuntimeSpec.builder().functionJar(functionJar).handler(handler).processes(functionProcesses)
                .jvmOptions(functionJvmOptions).environment(functionEnv).build();
    }

    /**
     * {@code --front function-url}: a {@link FunctionUrlServer} on --host/--port whose function, the custom runtime
     * of the function jar, reads --root through a private store; blocks until stopped.
     */
    private int functionUrlFront(PrintWriter out, PrintWriter err, Path dir, String pipelineSpec) throws IOException {
        for (Object[] o : new Object[][] {{"--function-url", functionUrl}, {"--function-runtime", functionRuntime},
                {"--config", config}, {"--actions", actions}, {"--features", features}, {"--flavor", flavor}}) {
            if (o[1] != null) {
                throw new ParameterException(spec().commandLine(), o[0] + ": not with --front function-url");
            }
        }
        if (functionJar == null || !Files.isRegularFile(functionJar)) {
            throw new ParameterException(spec().commandLine(), "--function-jar: actual '" + functionJar
                    + "', expected an existing jar (--front function-url runs it)");
        }
        FunctionUrlServer.Auth auth = urlAuth == null || urlAuth.equals("none") ? FunctionUrlServer.Auth.NONE
                : urlAuth.equals("aws-iam") ? FunctionUrlServer.Auth.AWS_IAM : null;
        if (auth == null) {
            throw new ParameterException(spec().commandLine(), "--url-auth: actual '" + urlAuth
                    + "', expected none or aws-iam");
        }
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("TRANSFLUX_PIPELINE", pipelineSpec);
        env.put("TRANSFLUX_MAX_OUTPUT_BYTES", Long.toString(maxOutputBytes));
        env.put("TRANSFLUX_URL_DEADLINE_SECONDS", Long.toString(Math.max(1, functionTimeout.getSeconds())));
        List<String> buckets = new ArrayList<>();
        if (!functionEnv.containsKey(UrlFunctionSpec.BUCKET_ENV) && !functionEnv.containsKey(UrlFunctionSpec.BUCKETS_ENV)) {
            if (urlBucket != null) {
                if (!Files.isDirectory(dir.resolve(urlBucket))) {
                    throw new ParameterException(spec().commandLine(), "--url-bucket: actual '" + urlBucket
                            + "', expected a sub-folder of " + dir);
                }
                buckets.add(urlBucket);
                env.put(UrlFunctionSpec.BUCKET_ENV, urlBucket);
            } else {
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                            .filter(n -> n.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")).sorted().forEach(buckets::add);
                }
                if (buckets.isEmpty()) {
                    throw new ParameterException(spec().commandLine(), "--root: actual '" + dir
                            + "', expected sub-folders named like S3 buckets");
                }
                env.put(UrlFunctionSpec.BUCKETS_ENV, String.join(",", buckets));
            }
        }
        env.putAll(functionEnv);
        FunctionUrlServer.Builder b = FunctionUrlServer.builder().host(host).port(port).region(region).auth(auth)
                .sourceRoot(dir).timeout(functionTimeout).environment(env)
                .runtime(FunctionRuntimeSpec.builder().functionJar(functionJar)
                        .mainClass(FunctionRuntimeSpec.URL_RUNTIME_MAIN).handler(FunctionRuntimeSpec.URL_RUNTIME_MAIN)
                        .processes(functionProcesses).jvmOptions(functionJvmOptions).build());
        Map<String, String> sys = environment;
        String id = accessKeyId != null ? accessKeyId : sys.getOrDefault(KEY_ENV, LocalAccessPoint.DEFAULT_ACCESS_KEY_ID);
        String secret = secretAccessKey != null ? secretAccessKey
                : sys.getOrDefault(SECRET_ENV, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY);
        b.caller(AwsCredentials.of(id, secret, null));
        FunctionUrlServer server;
        try {
            server = b.build();
        } catch (RuntimeException e) {
            err.println("error: BindFailed: could not start the function URL on " + host + ":" + port + " ("
                    + e.getClass().getSimpleName() + ")");
            err.flush();
            return Transflux.EXIT_FAILURE;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "transflux-serve-shutdown"));
        String ep = server.url();
        boolean keyInPath = urlBucket == null && !functionEnv.containsKey(UrlFunctionSpec.BUCKET_ENV);
        out.println("transflux serve: " + ep + "  (Lambda function URL, InvokeMode RESPONSE_STREAM, auth "
                + auth + "; root " + dir + ", paths " + (keyInPath ? "/{bucket}/{key}" : "/{key}") + ", pipeline '"
                + pipelineSpec + "', function JVM " + functionJar + " as a custom runtime through the Runtime API)");
        String example = exampleObject(dir, urlBucket);
        if (example != null) {
            int slash = example.indexOf('/');
            String path = keyInPath ? example : example.substring(slash + 1);
            if (auth == FunctionUrlServer.Auth.NONE) {
                out.println("try:   curl " + ep + "/" + path);
                if (keyInPath) {
                    out.println("       aws s3 cp --no-sign-request --endpoint-url " + ep + " s3://" + example + " -");
                    out.println("       SDK v2: S3Client with endpointOverride(" + ep + "), forcePathStyle(true), "
                            + "AnonymousCredentialsProvider; getObject(\"" + example.substring(0, slash) + "\", \""
                            + example.substring(slash + 1) + "\")");
                }
            } else {
                boolean defaults = id.equals(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID)
                        && secret.equals(LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY);
                out.println("try:   curl --aws-sigv4 aws:amz:" + server.region() + ":lambda --user " + id + ":"
                        + (defaults ? secret : "<your --secret-access-key>") + " " + ep + "/" + path);
                out.println("       SDK v2: sign with AwsV4HttpSigner (SERVICE_SIGNING_NAME lambda, REGION_NAME "
                        + server.region() + ", key " + id + "), send with any SdkHttpClient");
            }
        }
        out.println("Ctrl-C stops.");
        out.flush();
        server.awaitClose();
        return Transflux.EXIT_OK;
    }

    /** {@code decompress/auto}, then {@code redact/pii} when those stages are registered. */
    static String defaultPipeline(SortedSet<String> stages) {
        List<String> parts = new ArrayList<>();
        if (stages.contains("decompress/auto")) {
            parts.add("decompress/auto");
        }
        if (stages.contains("redact/pii")) {
            parts.add("redact/pii");
        }
        return String.join("|", parts);
    }

    private static Path samples() {
        String home = System.getProperty("transflux.home");
        return (home != null ? Path.of(home) : Path.of("")).resolve("samples").toAbsolutePath().normalize();
    }

    private void banner(PrintWriter out, LocalAccessPoint server, Path dir, AccessPointSpec dflt, String id, String secret,
            @Nullable String awsEnvId) throws IOException {
        String ep = server.endpoint();
        out.println("transflux serve: " + ep + "  (root " + dir + ", flavor " + dflt.flavor().id() + ", pipeline '"
                + dflt.pipeline() + "', function " + (functionUrl != null ? "at " + functionUrl
                : functionRuntime != null ? "JVM " + functionJar + " via the Runtime Interface Client" : "in-process") + ")");
        boolean defaults = id.equals(LocalAccessPoint.DEFAULT_ACCESS_KEY_ID)
                && secret.equals(LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY);
        out.println("accepted access key ids: " + id + (defaults ? " (documented local secret "
                + LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY + ")" : "")
                + (awsEnvId != null ? ", " + awsEnvId + " (from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)" : ""));
        String example = exampleObject(dir);
        boolean oss = dflt.flavor() == Flavor.OSS;
        if (example != null) {
            int slash = example.indexOf('/');
            String bucket = example.substring(0, slash);
            String key = example.substring(slash + 1);
            if (server.allowsAnonymous()) {
                out.println("try:   curl " + ep + "/" + example);
            }
            if (!oss) {
                // With the AWS pair from the shell accepted, the CLI needs no variables; else name serve's pair.
                String creds = awsEnvId != null ? "" : "AWS_ACCESS_KEY_ID=" + id + " AWS_SECRET_ACCESS_KEY="
                        + (defaults ? secret : "<your --secret-access-key>") + " AWS_DEFAULT_REGION=" + server.region() + " ";
                out.println("       " + creds + "aws s3api get-object --endpoint-url " + ep + " --bucket " + bucket
                        + " --key " + key + " /dev/stdout");
                out.println("       " + creds + "aws s3 cp --endpoint-url " + ep + " s3://" + example + " -");
            } else {
                out.println("       aliyun-sdk-oss: new OSSClientBuilder().build(\"" + ep + "\", \"" + id + "\", "
                        + (defaults ? "\"" + secret + "\"" : "secret") + ", conf) with conf.setSLDEnabled(true) "
                        + "(path-style, V1 signatures), then getObject(\"" + bucket + "\", \"" + key + "\")");
            }
        }
        if (!oss) {
            out.println("function WGOR clients: endpoint " + ep + " with the route host prefix off: boto3 "
                    + "Config(inject_host_prefix=False); SDK v2 SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION"
                    + (ep.startsWith("http://127.0.0.1:") ? "; or boto3 with no setting and endpoint http://0.0.1:"
                    + server.port() + " (route 127 + 0.0.1 = 127.0.0.1)" : ""));
        } else {
            out.println("function WGOR clients: endpoint http://<outputRoute> (this server's host:port), "
                    + "OSSClient.writeGetObjectResponse");
        }
        out.println("anonymous requests: " + (server.allowsAnonymous() ? "allowed" : "refused") + "; Ctrl-C stops.");
        out.flush();
    }

    /** A bucket/key to show in the curl example, preferring a .gz object. */
    private static @Nullable String exampleObject(Path dir) throws IOException {
        return exampleObject(dir, null);
    }

    /** A bucket/key to show, in {@code bucket} when not null, preferring a .gz object. */
    private static @Nullable String exampleObject(Path dir, @Nullable String bucket) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir, 3)) {
            s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(k -> k.indexOf('/') > 0 && !k.startsWith("."))
                    .filter(k -> bucket == null || k.startsWith(bucket + "/")).sorted().forEach(found::add);
        }
        return found.stream().filter(k -> k.endsWith(".gz")).findFirst().orElse(found.isEmpty() ? null : found.get(0));
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
