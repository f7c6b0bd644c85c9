package io.transflux.connectors.accesspoint;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.PayloadPolicy;
import io.transflux.connectors.http.HostGuard;
import io.transflux.connectors.http.HttpSourceSpec;
import io.transflux.connectors.oss.OssCredentials;
import io.transflux.connectors.oss.OssObjectFc;
import io.transflux.connectors.oss.OssWgorClient;
import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.connectors.s3.S3ObjectLambda;
import io.transflux.connectors.s3.S3WgorClient;
import io.transflux.pipeline.Limits;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A running local access point (S3 Object Lambda or OSS Object FC emulator) on one HTTP port.
 *
 * <p>Paths it answers: {@code GET/HEAD /{bucket}/{key}} and {@code GET /{bucket}} (ListObjects / ListObjectsV2),
 * through the function when the access point lists the action ({@link AccessPointSpec#actions()}), else
 * untransformed from the store, {@code GET /} (ListBuckets, direct),
 * {@code POST /WriteGetObjectResponse} (S3 WGOR, SigV4 {@code s3-object-lambda}),
 * {@code POST /?x-oss-write-get-object-response} (OSS WGOR, V1/V4) and the internal object endpoint
 * {@value #INTERNAL_PREFIX}{@code ...} that presigned input URLs point at. OSS-flavour access points also take
 * {@code ?x-oss-process} (GET, POST), PutObject and multipart uploads with upload callbacks, and serve the
 * callback public key at {@code /transflux_callback_pub_key.pem} (docs/serve.md).
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>Setting</th><th>Default</th></tr>
 *   <tr><td>host</td><td>{@value #DEFAULT_HOST}</td></tr>
 *   <tr><td>port</td><td>{@value #DEFAULT_PORT} (0 picks a free one)</td></tr>
 *   <tr><td>credentials</td><td>{@value #DEFAULT_ACCESS_KEY_ID} / {@value #DEFAULT_SECRET_ACCESS_KEY}</td></tr>
 *   <tr><td>region</td><td>{@value #DEFAULT_REGION} (S3), {@value #DEFAULT_OSS_REGION} (OSS V4 scope)</td></tr>
 *   <tr><td>anonymous access</td><td>allowed when bound to a loopback address</td></tr>
 *   <tr><td>function timeout</td><td>60 s ({@link #DEFAULT_FUNCTION_TIMEOUT}); then 500 {@code LambdaTimeout}</td></tr>
 *   <tr><td>function</td><td>in-process function core; or an HTTP endpoint ({@link Builder#functionUrl}); or
 *   function JVMs through the Lambda Runtime Interface Client ({@link Builder#functionRuntime})</td></tr>
 *   <tr><td>accepted keys</td><td>{@link Builder#credentials}, plus any {@link Builder#alsoAccept} pairs</td></tr>
 * </table>
 */
public final class LocalAccessPoint implements AutoCloseable {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9000;
    /** Documented local credentials: not a secret, only a default so that SigV4 clients work out of the box. */
    public static final String DEFAULT_ACCESS_KEY_ID = "transflux";
    public static final String DEFAULT_SECRET_ACCESS_KEY = "transflux-local-secret";
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_OSS_REGION = "cn-hangzhou";
    public static final Duration DEFAULT_FUNCTION_TIMEOUT = Duration.ofSeconds(60);
    /** OSS gives an upload callback 5 s to answer 200 (docs/protocols.md §5.5). */
    public static final Duration DEFAULT_CALLBACK_TIMEOUT = Duration.ofSeconds(5);
    /** Where the presigned input URLs point; bucket names cannot start with a dot. */
    public static final String INTERNAL_PREFIX = "/.transflux/objects/";
    public static final String LOGGER = "io.transflux.connectors.accesspoint";

    static final AttributeKey<Map<String, String>> TRAILERS = AttributeKey.valueOf("transflux-wgor-trailers");
    private static final System.Logger LOG = System.getLogger(LOGGER);

    final FileStore store;
    final Invocations invocations = new Invocations();
    final AwsCredentials credentials;
    /**
     * The key pair presigned input URLs are signed with: made at start-up from {@link SecureRandom}, never logged,
     * never configured and never given to callers, so holding {@link #credentials} cannot read the internal object
     * endpoint (the pipeline would be bypassed).
     */
    final AwsCredentials internalCredentials;
    private final String secret;
    /** Further key pairs clients may sign with (id to secret), e.g. the AWS_* pair serve was started with. */
    private final Map<String, String> alsoAccepted;
    final String region;
    final String ossRegion;
    final boolean allowAnonymous;
    final AccessPointSpec defaultAccessPoint;
    final List<AccessPointSpec> accessPoints;
    final Duration functionTimeout;
    final Consumer<String> accessLog;
    final Clock clock = Clock.systemUTC();
    final String base;
    final FunctionInvoker invoker;
    private final boolean external;
    private final DisposableServer server;
    private final CallerFront caller;
    private final WgorIntake wgor;
    private final ObjectEndpoint objects;
    private final ProcessFront process;
    private final CallbackSender callbacks;
    private final UploadFront uploads;
    private final MultipartFront multipart;
    /**
     * Empty until the constructor has set every field. The server must be bound first (its port makes {@link #base}),
     * so a request that arrives in between waits here instead of seeing a half-built access point.
     */
    private final Sinks.Empty<Void> ready = Sinks.empty();

    private LocalAccessPoint(Builder b) {
        this.internalCredentials = b.internalCredentials != null ? b.internalCredentials : internalCredentials();
        this.store = new FileStore(Objects.requireNonNull(b.root, "root"));
        this.credentials = b.credentials;
        this.secret = b.secret;
        this.alsoAccepted = Map.copyOf(b.alsoAccepted);
        this.region = b.region;
        this.ossRegion = b.ossRegion;
        this.allowAnonymous = b.allowAnonymous != null ? b.allowAnonymous : isLoopback(b.host);
        this.defaultAccessPoint = b.defaultAccessPoint;
        this.accessPoints = List.copyOf(b.accessPoints);
        this.functionTimeout = b.functionTimeout;
        this.accessLog = b.accessLog;
        this.callbacks = new CallbackSender(b.callbackTimeout);
        this.caller = new CallerFront(this);
        this.wgor = new WgorIntake(this);
        this.objects = new ObjectEndpoint(this);
        this.process = new ProcessFront(this, b.limits);
        this.uploads = new UploadFront(this, callbacks);
        this.multipart = new MultipartFront(this, uploads);
        this.server = HttpServer.create().host(b.host).port(b.port)
                // Reactor Netty does not surface request trailers: keep the last content's trailer fields.
                .doOnConnection(conn -> conn.addHandlerFirst("transflux-trailers", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                        if (msg instanceof LastHttpContent l && !l.trailingHeaders().isEmpty()) {
                            Map<String, String> t = new java.util.LinkedHashMap<>();
                            l.trailingHeaders().forEach(e -> t.put(e.getKey().toLowerCase(java.util.Locale.ROOT),
                                    e.getValue()));
                            ctx.channel().attr(TRAILERS).set(t);
                        }
                        super.channelRead(ctx, msg);
                    }
                }))
                .handle((req, res) -> ready.asMono().thenMany(Flux.defer(() -> handle(req, res))))
                .bindNow(Duration.ofSeconds(10));
        this.base = "http://" + hostLiteral(b.host) + ":" + server.port();
        this.external = b.functionUrl != null;
        try {
            this.invoker = invoker(b);
        } catch (RuntimeException e) {
            server.disposeNow(Duration.ofSeconds(10));
            throw e;
        }
        // Every field is set: let requests through (the sink's emission publishes the fields to Netty's threads).
        ready.tryEmitEmpty();
    }

    private FunctionInvoker invoker(Builder b) {
        if (b.functionUrl != null) {
            return FunctionInvoker.remote(b.functionUrl, functionTimeout);
        } else if (b.functionRuntime != null) {
            return new RuntimePool(b.functionRuntime, Map.of("AWS_REGION", region, "AWS_DEFAULT_REGION", region,
                    "AWS_ACCESS_KEY_ID", credentials.accessKeyId(), "AWS_SECRET_ACCESS_KEY", b.secret,
                    S3WgorClient.ENDPOINT_ENV, base), functionTimeout, region);
        } else {
            ObjectLambdaFunction fn = ObjectLambdaFunction.builder().limits(b.limits)
                    .sourceOpener(HttpSourceOpener.create(HttpSourceSpec.builder()
                            .hostGuard(HostGuard.publicOnly().allowLoopback()).build()))
                    .payloadPolicy(PayloadPolicy.APPLY)
                    .build();
            S3ObjectLambda s3 = S3ObjectLambda.create(fn, S3WgorClient.create(region, credentials).endpointOverride(base));
            OssObjectFc oss = OssObjectFc.create(fn, OssWgorClient.create(new OssCredentials(credentials.accessKeyId(),
                    b.secret, null)).endpointOverride(base).region(ossRegion).chunked(true));
            return FunctionInvoker.inProcess(s3, oss);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /** {@code http://host:port}, the endpoint clients use. */
    public String endpoint() {
        return base;
    }

    /** The SigV4 region presigned input URLs are signed for (any signing region is accepted). */
    public String region() {
        return region;
    }

    /** Whether anonymous requests are answered. */
    public boolean allowsAnonymous() {
        return allowAnonymous;
    }

    /** Blocks until the server is closed. */
    public void awaitClose() {
        server.onDispose().block();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        callbacks.close();
        if (invoker instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing the function runtime: " + e);
            }
        }
    }

    String secret() {
        return secret;
    }

    /** The access key ids clients may sign with: the primary one first. Never the secrets. */
    public List<String> acceptedKeyIds() {
        List<String> ids = new ArrayList<>();
        ids.add(credentials.accessKeyId());
        alsoAccepted.keySet().stream().sorted().filter(id -> !id.equals(credentials.accessKeyId())).forEach(ids::add);
        return ids;
    }

    /** The SigV4 credentials of {@code keyId}, or null when the key is not accepted. */
    @Nullable AwsCredentials awsCredentials(String keyId) {
        if (keyId.equals(credentials.accessKeyId())) {
            return credentials;
        }
        String s = alsoAccepted.get(keyId);
        return s == null ? null : AwsCredentials.of(keyId, s, null);
    }

    /** The OSS credentials of {@code keyId}, or null when the key is not accepted. */
    @Nullable OssCredentials ossCredentials(String keyId) {
        if (keyId.equals(credentials.accessKeyId())) {
            return new OssCredentials(keyId, secret, null);
        }
        String s = alsoAccepted.get(keyId);
        return s == null ? null : new OssCredentials(keyId, s, null);
    }

    /** The access point for {@code bucket}/{@code key}: the longest configured prefix, else the default one. */
    AccessPointSpec accessPointFor(String bucket, String key) {
        AccessPointSpec best = null;
        for (AccessPointSpec ap : accessPoints) {
            if (ap.covers(bucket, key) && (best == null || ap.prefix().length() > best.prefix().length())) {
                best = ap;
            }
        }
        return best != null ? best : defaultAccessPoint;
    }

    /**
     * The actions {@code spec}'s function handles; OSS Object FC transforms GetObject only, unless the access point
     * lists none (a plain bucket).
     */
    java.util.Set<Action> actionsFor(AccessPointSpec spec) {
        if (spec.flavor() == Flavor.OSS) {
            return spec.actions() != null && spec.actions().isEmpty() ? spec.actions()
                    : AccessPointSpec.EXTERNAL_FUNCTION_ACTIONS;
        }
        if (spec.actions() != null) {
            return spec.actions();
        }
        return external ? AccessPointSpec.EXTERNAL_FUNCTION_ACTIONS : EnumSet.allOf(Action.class);
    }

    ObjectEndpoint objects() {
        return objects;
    }

    String newRequestId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(java.util.Locale.ROOT);
    }

    private Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        Request r;
        try {
            r = Request.of(req);
        } catch (PlatformError e) {
            // A bad % escape in the target: answer 400 InvalidURI, logged without the unparsable path.
            Request bare = new Request(req.method().name(), "/", "/", "/", Map.of(), Map.of(), Map.of());
            AccessLog log = new AccessLog(bare.method(), "(invalid URI)");
            return error(res, bare, log, e).doFinally(s -> log.emit(accessLog));
        }
        AccessLog log = new AccessLog(r.method(), r.path().startsWith(INTERNAL_PREFIX) ? "(internal)" + r.path()
                .substring(INTERNAL_PREFIX.length() - 1) : r.path());
        Mono<Void> m;
        try {
            if (r.method().equals("POST") && r.path().equals("/WriteGetObjectResponse")) {
                m = wgor.s3(req, res, r, log);
            } else if (r.method().equals("POST") && r.path().equals("/") && r.query().containsKey("x-oss-write-get-object-response")) {
                m = wgor.oss(req, res, r, log);
            } else if (r.rawPath().startsWith(INTERNAL_PREFIX)) {
                m = objects.serve(res, r, log);
            } else if (r.method().equals("POST") && r.query().containsKey(ProcessFront.PARAM)) {
                CallerFront.Target t = caller.ossTarget(r);
                log.pipeline = t.spec().pipeline();
                m = process.save(req, res, log, t.spec(), t.bucket(), t.key());
            } else if (MultipartFront.handles(r)) {
                m = multipart.serve(req, res, r, log, caller.writeTarget(r));
            } else if (r.method().equals("PUT")) {
                m = uploads.put(req, res, r, log, caller.writeTarget(r));
            } else if (r.method().equals("GET") && r.path().equals(CallbackSender.KEY_PATH)) {
                byte[] pem = callbacks.pem();
                log.status = 200;
                m = res.status(200).header("Content-Type", "application/x-pem-file")
                        .header("Content-Length", Integer.toString(pem.length))
                        .send(Mono.just(Unpooled.wrappedBuffer(pem))).then();
            } else if (r.method().equals("GET") || r.method().equals("HEAD")) {
                m = caller.serve(req, res, r, log);
            } else {
                m = error(res, r, log, new PlatformError(405, "MethodNotAllowed",
                        "The specified method is not allowed against this resource."));
            }
        } catch (PlatformError e) {
            m = error(res, r, log, e);
        }
        return m.onErrorResume(PlatformError.class, e -> error(res, r, log, e))
                .doFinally(s -> {
                    if (log.status == 0) {
                        log.status = res.status().code();
                    }
                    if ((s == reactor.core.publisher.SignalType.CANCEL && !fullyWritten(res, log))
                            || (s == reactor.core.publisher.SignalType.ON_ERROR && res.hasSentHeaders())) {
                        log.end = "aborted";
                    } else if (s == reactor.core.publisher.SignalType.ON_ERROR) {
                        log.end = "error";
                    }
                    log.emit(accessLog);
                });
    }

    /** Whether a cancelled exchange had already handed over its whole announced body (a cancel after the end). */
    private static boolean fullyWritten(HttpServerResponse res, AccessLog log) {
        String length = res.responseHeaders().get("Content-Length");
        try {
            return length != null && (log.method.equals("HEAD") || log.bytesOut >= Long.parseLong(length.trim()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** An S3-style XML error (no body for HEAD). */
    Mono<Void> error(HttpServerResponse res, Request r, AccessLog log, PlatformError e) {
        if (res.hasSentHeaders()) {
            return Mono.error(e);
        }
        log.status = e.status;
        String id = newRequestId();
        res.status(e.status).header("x-amz-request-id", id).header("x-oss-request-id", id)
                .header("Content-Type", "application/xml");
        if (r.method().equals("HEAD")) {
            return res.header("Content-Length", "0").send().then();
        }
        byte[] xml = e.xml(id).getBytes(StandardCharsets.UTF_8);
        log.bytesOut = xml.length;
        log.firstByte();
        return res.header("Content-Length", Integer.toString(xml.length))
                .send(Mono.just(Unpooled.wrappedBuffer(xml))).then();
    }

    private static AwsCredentials internalCredentials() {
        SecureRandom random = new SecureRandom();
        byte[] id = new byte[10];
        byte[] key = new byte[32];
        random.nextBytes(id);
        random.nextBytes(key);
        return AwsCredentials.of("TFINTERNAL" + HexFormat.of().withUpperCase().formatHex(id),
                Base64.getEncoder().withoutPadding().encodeToString(key), null);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String hostLiteral(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    static void logDebug(String line) {
        LOG.log(System.Logger.Level.DEBUG, line);
    }

    @Override
    public String toString() {
        return "LocalAccessPoint{" + base + ", root=" + store.root + ", accessPoints=" + accessPoints.size() + '}';
    }

    /** Configures and starts a {@link LocalAccessPoint}. */
    public static final class Builder {
        private @Nullable Path root;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private AwsCredentials credentials = AwsCredentials.of(DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, null);
        private String secret = DEFAULT_SECRET_ACCESS_KEY;
        private final Map<String, String> alsoAccepted = new java.util.LinkedHashMap<>();
        private String region = DEFAULT_REGION;
        private String ossRegion = DEFAULT_OSS_REGION;
        private @Nullable Boolean allowAnonymous;
        private AccessPointSpec defaultAccessPoint = AccessPointSpec.builder().name("default-olap")
                .features(EnumSet.allOf(Feature.class)).build();
        private List<AccessPointSpec> accessPoints = new ArrayList<>();
        private @Nullable URI functionUrl;
        private @Nullable FunctionRuntimeSpec functionRuntime;
        private Duration functionTimeout = DEFAULT_FUNCTION_TIMEOUT;
        private Duration callbackTimeout = DEFAULT_CALLBACK_TIMEOUT;
        private Limits limits = Limits.defaults();
        private Consumer<String> accessLog = line -> LOG.log(System.Logger.Level.INFO, line);

        private @Nullable AwsCredentials internalCredentials;

        private Builder() {
        }

        /** The internal object endpoint's key pair, for a {@link FunctionUrlServer} whose function reads this store. */
        Builder internalCredentials(AwsCredentials credentials) {
            this.internalCredentials = credentials;
            return this;
        }

        /** The folder whose sub-folders are the buckets. Required. */
        public Builder root(Path root) {
            this.root = Objects.requireNonNull(root, "root");
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: actual " + port + ", expected 0..65535");
            }
            this.port = port;
            return this;
        }

        /** The one key pair clients sign with (S3 SigV4 and OSS), also used by the in-process function. */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            this.credentials = AwsCredentials.of(accessKeyId, secretAccessKey, null);
            this.secret = secretAccessKey;
            return this;
        }

        /**
         * Also accepts signatures made with this key pair (clients only: the in-process function's WGOR uses
         * {@link #credentials}; presigned input URLs use a per-process pair no caller holds).
         */
        public Builder alsoAccept(String accessKeyId, String secretAccessKey) {
            if (accessKeyId.isBlank() || secretAccessKey.isEmpty()) {
                throw new IllegalArgumentException("alsoAccept: expected a non-empty access key id and secret");
            }
            alsoAccepted.put(accessKeyId, secretAccessKey);
            return this;
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        public Builder ossRegion(String ossRegion) {
            this.ossRegion = Objects.requireNonNull(ossRegion, "ossRegion");
            return this;
        }

        /** Whether unsigned requests are answered; default: only when bound to loopback. */
        public Builder allowAnonymous(boolean allow) {
            this.allowAnonymous = allow;
            return this;
        }

        /** The access point for objects no configured one covers (the flag-built one). */
        public Builder defaultAccessPoint(AccessPointSpec spec) {
            this.defaultAccessPoint = Objects.requireNonNull(spec, "spec");
            return this;
        }

        public Builder accessPoints(List<AccessPointSpec> specs) {
            this.accessPoints = new ArrayList<>(specs);
            return this;
        }

        /** POST events to this HTTP function endpoint instead of running the function core in-process. */
        public Builder functionUrl(@Nullable URI url) {
            this.functionUrl = url;
            return this;
        }

        /**
         * Runs the deployable function in separate JVMs through the Lambda Runtime Interface Client, against a Lambda
         * Runtime API served on loopback (S3 flavour), instead of the in-process function core.
         */
        public Builder functionRuntime(@Nullable FunctionRuntimeSpec spec) {
            this.functionRuntime = spec;
            return this;
        }

        /** How long the function has to complete its WGOR; then the caller gets 500 {@code LambdaTimeout}. */
        public Builder functionTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("functionTimeout: actual " + timeout + ", expected > 0");
            }
            this.functionTimeout = timeout;
            return this;
        }

        /**
         * How long an upload callback has to answer 200 before the uploader gets 203 {@code CallbackFailed};
         * default {@link #DEFAULT_CALLBACK_TIMEOUT}, OSS's own budget.
         */
        public Builder callbackTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("callbackTimeout: actual " + timeout + ", expected > 0");
            }
            this.callbackTimeout = timeout;
            return this;
        }

        /** The in-process function's limits (output cap, deadline). */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Where access-log lines go; default: {@code System.Logger} {@value #LOGGER} at INFO. */
        public Builder accessLog(Consumer<String> sink) {
            this.accessLog = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** Binds and starts serving. */
        public LocalAccessPoint start() {
            return new LocalAccessPoint(this);
        }
    }
}
