package io.transflux.connectors.accesspoint;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.connectors.s3.SigV4Check;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A Lambda function URL with {@code InvokeMode: RESPONSE_STREAM}, on loopback: each HTTP request becomes a
 * function-URL event (payload format 2.0), is invoked through the Runtime API of a separate function JVM
 * ({@link RuntimePool}, normally the custom runtime {@value FunctionRuntimeSpec#URL_RUNTIME_MAIN}), and the streamed
 * response is relayed as it arrives: the HTTP-integration prelude gives status and headers, the rest is the body,
 * sent chunked (docs/protocols.md §11). When the runtime reports an error in the trailers, or its connection breaks,
 * the caller's connection is closed without the last chunk, so the response can never look complete.
 *
 * <p>The function reads its source either where its environment points ({@code AWS_ENDPOINT_URL_S3}, role
 * credentials), or, with {@link Builder#sourceRoot}, a folder served by a private S3-style store on loopback that
 * only accepts URLs presigned with a key pair made at start-up and given to the function as its role credentials
 * (what {@code transflux serve --front function-url} uses).
 *
 * <p>Authentication as configured: {@link Auth#NONE}, or {@link Auth#AWS_IAM}, a SigV4 signature for service
 * {@code lambda} by one of the configured callers (header or presigned query); anything else gets 403 before the
 * function runs.
 */
public final class FunctionUrlServer implements AutoCloseable {

    /** The function URL's {@code AuthType}. */
    public enum Auth {
        NONE,
        AWS_IAM
    }

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    static final String INTEGRATION_TYPE = "application/vnd.awslambda.http-integration-response";
    private static final System.Logger LOG = System.getLogger(LocalAccessPoint.LOGGER);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "transfer-encoding", "keep-alive", "trailer",
            "upgrade", "te");

    private final RuntimePool pool;
    private final Auth auth;
    private final Map<String, AwsCredentials> callers;
    private final String region;
    private final Clock clock;
    private final String host;
    private final @Nullable LocalAccessPoint store;
    private final DisposableServer server;

    private FunctionUrlServer(Builder b) {
        this.auth = b.auth;
        this.callers = Map.copyOf(b.callers);
        this.region = b.region;
        this.clock = Clock.systemUTC();
        this.host = b.host;
        Map<String, String> env = new LinkedHashMap<>(b.environment);
        if (b.sourceRoot != null) {
            // The function's role key pair for the private store: made here, given to the function JVM only.
            java.security.SecureRandom random = new java.security.SecureRandom();
            byte[] id = new byte[10];
            byte[] key = new byte[32];
            random.nextBytes(id);
            random.nextBytes(key);
            String roleSecret = Base64.getEncoder().withoutPadding().encodeToString(key);
            AwsCredentials role = AwsCredentials.of("TFURLROLE" + java.util.HexFormat.of().withUpperCase().formatHex(id),
                    roleSecret, null);
            this.store = LocalAccessPoint.builder().root(b.sourceRoot).host("127.0.0.1").port(0).region(b.region)
                    .internalCredentials(role).allowAnonymous(false).accessLog(line -> { }).start();
            env.put("AWS_ACCESS_KEY_ID", role.accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", roleSecret);
            env.remove("AWS_SESSION_TOKEN");
            String prefix = LocalAccessPoint.INTERNAL_PREFIX;
            env.put("AWS_ENDPOINT_URL_S3", store.base + prefix.substring(0, prefix.length() - 1));
        } else {
            this.store = null;
        }
        try {
            this.pool = new RuntimePool(Objects.requireNonNull(b.runtime, "runtime"), env, b.timeout, b.region);
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            throw e;
        }
        try {
            this.server = HttpServer.create().host(b.host).port(b.port).handle(this::handle)
                    .bindNow(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            pool.close();
            if (store != null) {
                store.close();
            }
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return server.port();
    }

    /** {@code http://host:port}. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public Auth auth() {
        return auth;
    }

    public String region() {
        return region;
    }

    /** Blocks until {@link #close()}d (e.g. by a shutdown hook). */
    public void awaitClose() {
        server.onDispose().block();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        pool.close();
        if (store != null) {
            store.close();
        }
    }

    private Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        String requestId = UUID.randomUUID().toString();
        Map<String, String> headers = new LinkedHashMap<>();
        req.requestHeaders().forEach(e -> headers.merge(e.getKey().toLowerCase(Locale.ROOT), e.getValue(),
                (a, v) -> a + "," + v));
        String method = req.method().name();
        if (auth == Auth.AWS_IAM) {
            // Services other than S3 sign the payload's SHA-256 without sending it as a header; the event carries no
            // body here (GET and HEAD), so the claim is the empty body's hash, also in a presigned URL's canonical
            // request (S3 alone presigns UNSIGNED-PAYLOAD). A signed body is refused (403).
            Map<String, String> signed = new LinkedHashMap<>(headers);
            signed.putIfAbsent("x-amz-content-sha256", EMPTY_SHA256);
            SigV4Check.Verdict v = headers.containsKey("authorization")
                    ? SigV4Check.verifyHeader(method, req.uri(), signed, callers::get, clock)
                    : SigV4Check.verifyQuery(method, req.uri(), signed, callers::get, clock, true);
            if (!v.valid() || !"lambda".equals(v.service()) || !region.equals(v.region())) {
                return req.receive().then(platform(res, 403, "Forbidden"));
            }
        }
        byte[] event = event(req, headers, requestId, method);
        return req.receive().aggregate().asByteArray().then()
                .then(pool.invokeStreaming(event)
                        .map(r -> (Object) r)
                        .onErrorResume(e -> Mono.just(e)))
                .flatMap(r -> r instanceof RuntimeResponse rr ? relay(rr, method, res)
                        : platformFailure(res, (Throwable) r));
    }

    /** The invocation failed before a response began (error, timeout, runtime gone): 502, as function URLs do. */
    private Mono<Void> platformFailure(HttpServerResponse res, Throwable e) {
        LOG.log(System.Logger.Level.INFO, "function URL: invocation failed: " + e.getMessage());
        return platform(res, 502, "Internal Server Error");
    }

    /** Function URLs answer their own errors as {@code {"Message": ...}}. */
    private static Mono<Void> platform(HttpServerResponse res, int status, String message) {
        byte[] b = ("{\"Message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        return res.status(status).header("Content-Type", "application/json")
                .header("Content-Length", Integer.toString(b.length))
                .header("x-amzn-ErrorType", status == 403 ? "AccessDeniedException" : "InternalFailure")
                .send(Mono.just(Unpooled.wrappedBuffer(b))).then();
    }

    private Mono<Void> relay(RuntimeResponse r, String method, HttpServerResponse res) {
        if (!r.isStreamed()) {
            return relayBuffered(Objects.requireNonNull(r.buffered), method, res);
        }
        Flux<ByteBuf> body = Objects.requireNonNull(r.body);
        String type = r.contentType;
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(INTEGRATION_TYPE)) {
            res.status(200).header("Content-Type", type == null ? "application/octet-stream" : type);
            return send(res, method, 200, body);
        }
        PreludeSplitter sp = new PreludeSplitter();
        Flux<Object> items = body
                .<Object>handle((ByteBuf buf, SynchronousSink<Object> sink) -> {
                    boolean had = sp.prelude() != null;
                    ByteBuf out = sp.feed(buf);
                    if (out == null) {
                        return;
                    }
                    if (!had) {
                        sink.next(new Started(Objects.requireNonNull(sp.prelude()), out));
                    } else {
                        sink.next(out);
                    }
                })
                .doFinally(s -> sp.release());
        return items.switchOnFirst((sig, all) -> {
            Object first = sig.get();
            if (!(first instanceof Started st)) {
                // Failed or ended before the prelude was complete: nothing sent yet, so a clean 502.
                LOG.log(System.Logger.Level.INFO, "function URL: no complete prelude: "
                        + (sig.getThrowable() == null ? "stream ended" : sig.getThrowable().getMessage()));
                return all.doOnNext(ReferenceCountUtil::release).onErrorResume(e -> Mono.empty())
                        .then(platform(res, 502, "Internal Server Error"));
            }
            PreludeSplitter.Prelude p = st.prelude;
            res.status(p.status());
            boolean bodyless = method.equals("HEAD") || p.status() == 304 || p.status() == 204;
            p.headers().forEach((k, v) -> {
                String lk = k.toLowerCase(Locale.ROOT);
                if (!HOP_BY_HOP.contains(lk) && !(lk.equals("content-length") && !bodyless)) {
                    res.header(k, v);
                }
            });
            p.cookies().forEach(c -> res.addHeader("Set-Cookie", c));
            Flux<ByteBuf> rest = all.map(o -> o instanceof Started s ? s.rest : (ByteBuf) o);
            return send(res, method, p.status(), rest);
        }).then().doOnDiscard(Started.class, s -> s.rest.release());
    }

    /** Sends {@code body}; an error after the headers closes the connection without the last chunk. */
    private static Mono<Void> send(HttpServerResponse res, String method, int status, Flux<ByteBuf> body) {
        if (method.equals("HEAD") || status == 304 || status == 204) {
            return res.send().then().then(body.doOnNext(ReferenceCountUtil::release).onErrorResume(e -> Mono.empty()).then());
        }
        // A dropped empty buffer is discarded, and the send's discard hook releases it.
        return res.send(body.filter(ByteBuf::isReadable)).then();
    }

    /** A buffered response: the function URL response object ({@code statusCode}, {@code headers}, {@code body}). */
    private static Mono<Void> relayBuffered(byte[] payload, String method, HttpServerResponse res) {
        JsonNode root = null;
        try {
            root = JSON.readTree(payload);
        } catch (java.io.IOException e) {
            // Not JSON: returned as is, as function URLs do.
        }
        int status = 200;
        byte[] body = payload;
        if (root != null && root.isObject() && root.has("statusCode")) {
            status = root.path("statusCode").asInt(200);
            root.path("headers").fields().forEachRemaining(e -> res.header(e.getKey(), e.getValue().asText()));
            String b = root.path("body").asText("");
            body = root.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(b)
                    : b.getBytes(StandardCharsets.UTF_8);
        } else {
            res.header("Content-Type", "application/json");
        }
        res.status(status);
        if (method.equals("HEAD")) {
            return res.send().then();
        }
        res.header("Content-Length", Integer.toString(body.length));
        return res.send(Mono.just(Unpooled.wrappedBuffer(body))).then();
    }

    /** Payload format 2.0, as function URLs send it (docs/protocols.md §11.1). */
    private byte[] event(HttpServerRequest req, Map<String, String> headers, String requestId, String method) {
        String uri = req.uri();
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        String rawQuery = q < 0 ? "" : uri.substring(q + 1);
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "2.0");
        root.put("routeKey", "$default");
        root.put("rawPath", rawPath);
        root.put("rawQueryString", rawQuery);
        ObjectNode h = root.putObject("headers");
        headers.forEach((k, v) -> {
            if (!k.equals("cookie")) {
                h.put(k, v);
            }
        });
        String cookie = headers.get("cookie");
        if (cookie != null) {
            var arr = root.putArray("cookies");
            for (String c : cookie.split(";")) {
                arr.add(c.trim());
            }
        }
        ObjectNode ctx = root.putObject("requestContext");
        ctx.put("accountId", auth == Auth.AWS_IAM ? "000000000000" : "anonymous");
        ctx.put("apiId", "transflux-local");
        ctx.put("domainName", headers.getOrDefault("host", "127.0.0.1"));
        ctx.put("domainPrefix", "transflux-local");
        ObjectNode http = ctx.putObject("http");
        http.put("method", method);
        http.put("path", rawPath);
        http.put("protocol", req.version().text());
        http.put("sourceIp", req.remoteAddress() == null ? "127.0.0.1" : req.remoteAddress().getAddress().getHostAddress());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        ctx.put("requestId", requestId);
        ctx.put("routeKey", "$default");
        ctx.put("stage", "$default");
        ctx.put("timeEpoch", Instant.now(clock).toEpochMilli());
        root.put("isBase64Encoded", false);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The prelude and the body bytes that followed it in the same buffer. */
    private record Started(PreludeSplitter.Prelude prelude, ByteBuf rest) {
    }

    /** Builds and starts a {@link FunctionUrlServer}. */
    public static final class Builder {
        private @Nullable FunctionRuntimeSpec runtime;
        private Auth auth = Auth.NONE;
        private final Map<String, AwsCredentials> callers = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String region = "us-east-1";
        private Duration timeout = Duration.ofSeconds(60);
        private int port;
        private String host = "127.0.0.1";
        private java.nio.file.@Nullable Path sourceRoot;

        private Builder() {
        }

        /** How the function runs; normally {@code mainClass(URL_RUNTIME_MAIN)} with the function jar. */
        public Builder runtime(FunctionRuntimeSpec runtime) {
            this.runtime = Objects.requireNonNull(runtime, "runtime");
            return this;
        }

        public Builder auth(Auth auth) {
            this.auth = Objects.requireNonNull(auth, "auth");
            return this;
        }

        /** An IAM caller allowed under {@link Auth#AWS_IAM}. */
        public Builder caller(AwsCredentials credentials) {
            this.callers.put(credentials.accessKeyId(), credentials);
            return this;
        }

        /** What the platform sets for the function: its role credentials, source endpoint, pipeline... */
        public Builder environment(Map<String, String> env) {
            this.environment.putAll(env);
            return this;
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** The function timeout: the whole invocation, a streamed body included (Lambda ends it mid-body). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The address to bind (default 127.0.0.1). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The function reads {@code root}'s sub-folders as buckets, through a private store on loopback: sets the
         * function's {@code AWS_ENDPOINT_URL_S3} and role credentials (class notes).
         */
        public Builder sourceRoot(java.nio.file.Path root) {
            this.sourceRoot = Objects.requireNonNull(root, "root");
            return this;
        }

        /** 0 for an ephemeral port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public FunctionUrlServer build() {
            Map<String, String> env = new LinkedHashMap<>(environment);
            env.putIfAbsent("AWS_REGION", region);
            env.putIfAbsent("AWS_DEFAULT_REGION", region);
            this.environment.clear();
            this.environment.putAll(env);
            return new FunctionUrlServer(this);
        }
    }
}
