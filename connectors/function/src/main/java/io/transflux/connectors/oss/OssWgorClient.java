package io.transflux.connectors.oss;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.transflux.connectors.ConnectorException;
import io.transflux.connectors.ObjectResponse;
import io.transflux.connectors.ResponseWriter;
import io.transflux.connectors.WgorTransport;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * OSS WriteGetObjectResponse over Reactor Netty (docs/protocols.md §3.3): {@code POST /?x-oss-write-get-object-response}
 * to the route host with {@code x-oss-request-route}, {@code x-oss-request-token}, {@code x-oss-fwd-status} and
 * {@code x-oss-fwd-header-*}; errors carry an XML error body. Signed V4 by default, V1 on request, both with the
 * STS token header. Outside local use the route must be an Object FC access point host
 * ({@code *-opap.oss-<region>[-internal].oss-object-process.aliyuncs.com}): a forged event could otherwise send
 * our signed request anywhere. {@value #ENDPOINT_ENV} overrides the target URL for local use.
 *
 * <p>Content-Length is documented as required, so by default output of unknown length is spooled to learn it;
 * {@link #chunked(boolean)} allows chunked bodies instead.
 */
public final class OssWgorClient {

    public static final String ENDPOINT_ENV = "TRANSFLUX_OSS_WGOR_ENDPOINT";
    public static final String SIGNATURE_ENV = "TRANSFLUX_OSS_SIGNATURE_VERSION";
    static final Pattern ROUTE = Pattern.compile(
            "^[A-Za-z0-9*-]+-opap\\.oss-([a-z0-9-]+?)(-internal)?\\.oss-object-process\\.aliyuncs\\.com$");
    static final Pattern LOCAL_ROUTE = Pattern.compile("^[A-Za-z0-9.*-]{1,253}(:[0-9]{1,5})?$");

    private final OssCredentials credentials;
    private final OssSigner signer;
    private final @Nullable String region;
    private final @Nullable String endpointOverride;
    private final boolean chunked;
    private final Clock clock;
    private final WgorTransport transport;

    private OssWgorClient(OssCredentials credentials, OssSigner signer, @Nullable String region,
            @Nullable String endpointOverride, boolean chunked, Clock clock, WgorTransport transport) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.signer = signer;
        this.region = region;
        this.endpointOverride = endpointOverride;
        this.chunked = chunked;
        this.clock = clock;
        this.transport = transport;
    }

    public static OssWgorClient create(OssCredentials credentials) {
        return new OssWgorClient(credentials, OssSigner.V4, null, null, false, Clock.systemUTC(), WgorTransport.shared());
    }

    /**
     * From the environment: {@value #ENDPOINT_ENV}, {@value #SIGNATURE_ENV} ({@code v4} or {@code v1}) and the
     * region ({@code FC_REGION}, used when the route does not name one).
     */
    public static OssWgorClient fromEnvironment(Map<String, String> env, OssCredentials credentials) {
        OssWgorClient c = create(credentials).region(env.get("FC_REGION"));
        String sig = env.get(SIGNATURE_ENV);
        if (sig != null && !sig.isBlank()) {
            c = c.signer(OssSigner.fromId(sig));
        }
        String ep = env.get(ENDPOINT_ENV);
        return ep == null || ep.isBlank() ? c : c.endpointOverride(ep);
    }

    public OssWgorClient signer(OssSigner signer) {
        return new OssWgorClient(credentials, Objects.requireNonNull(signer, "signer"), region, endpointOverride, chunked,
                clock, transport);
    }

    /** The V4 scope region (e.g. {@code cn-qingdao}) when the route does not tell. */
    public OssWgorClient region(@Nullable String region) {
        return new OssWgorClient(credentials, signer, region, endpointOverride, chunked, clock, transport);
    }

    public OssWgorClient endpointOverride(@Nullable String endpoint) {
        String e = endpoint == null ? null : (endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
        return new OssWgorClient(credentials, signer, region, e, chunked, clock, transport);
    }

    /** Send output of unknown length chunked instead of spooling it to learn the length. */
    public OssWgorClient chunked(boolean chunked) {
        return new OssWgorClient(credentials, signer, region, endpointOverride, chunked, clock, transport);
    }

    public OssWgorClient credentials(OssCredentials credentials) {
        return new OssWgorClient(credentials, signer, region, endpointOverride, chunked, clock, transport);
    }

    public OssWgorClient clock(Clock clock) {
        return new OssWgorClient(credentials, signer, region, endpointOverride, chunked, clock, transport);
    }

    /** Whether {@code route} may receive our signed request. */
    public boolean permitsRoute(String route) {
        return endpointOverride != null ? LOCAL_ROUTE.matcher(route).matches() : ROUTE.matcher(route).matches();
    }

    String regionFor(String route) {
        Matcher m = ROUTE.matcher(route);
        if (m.matches()) {
            return m.group(1);
        }
        if (region != null) {
            return region;
        }
        throw new ConnectorException(500, "InternalError", "OSS region: not in the route and FC_REGION unset");
    }

    public ResponseWriter writer(String route, String token) {
        if (!permitsRoute(route)) {
            throw new ConnectorException(400, "InvalidRequest",
                    "outputRoute: expected <name>-opap.oss-<region>[-internal].oss-object-process.aliyuncs.com");
        }
        Objects.requireNonNull(token, "token");
        String url = (endpointOverride != null ? endpointOverride : "https://" + route) + "/?" + OssSigner.SUBRESOURCE;
        String scopeRegion = regionFor(route);
        return new ResponseWriter() {
            @Override
            public Mono<Void> write(ObjectResponse response) {
                return Mono.defer(() -> send(url, route, token, scopeRegion, response));
            }

            @Override
            public boolean requiresContentLength() {
                return !chunked;
            }

            @Override
            public String checksumHeaderName(String algorithmId) {
                return "crc64ecma".equals(algorithmId) ? "x-oss-fwd-header-x-oss-hash-crc64ecma"
                        : "x-oss-fwd-header-x-oss-checksum-" + algorithmId;
            }

            @Override
            public String toString() {
                return "OSS WGOR writer{route=" + route + '}';
            }
        };
    }

    private Mono<Void> send(String url, String route, String token, String scopeRegion, ObjectResponse r) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-oss-request-route", route);
        h.put("x-oss-request-token", token);
        h.put("x-oss-fwd-status", Integer.toString(r.status()));
        Flux<ByteBuffer> body;
        long length;
        if (r.isError()) {
            byte[] xml = r.errorCode() == null ? new byte[0] : errorXml(r.errorCode(), r.errorMessage()).getBytes(StandardCharsets.UTF_8);
            h.put("Content-Type", "application/xml");
            body = xml.length == 0 ? Flux.empty() : Flux.just(ByteBuffer.wrap(xml));
            length = xml.length;
        } else {
            h.put("Content-Type", "application/octet-stream");
            r.forwardedHeaders().forEach((name, value) -> {
                if (!name.startsWith("x-amz-")) {
                    h.put("x-oss-fwd-header-" + name, value);
                }
            });
            r.metadata().userMetadata().forEach((k, v) -> h.put("x-oss-meta-" + k, v));
            if (r.checksumHeader() != null) {
                h.put(r.checksumHeader().getKey(), r.checksumHeader().getValue());
            }
            body = r.body();
            length = r.contentLength().orElse(-1);
        }
        boolean isChunked = length < 0;
        if (!isChunked) {
            h.put("Content-Length", Long.toString(length));
        }
        signer.sign(h, credentials, scopeRegion, clock.instant());
        boolean trailer = isChunked && r.checksumTrailerName() != null;
        return transport.post(url, h, isChunked, body, trailer ? r.checksumTrailerName() : null,
                        trailer ? r.checksumTrailerValue() : null)
                .flatMap(a -> a.status() == 200 ? Mono.empty()
                        : Mono.error(new ConnectorException(500, "InternalError",
                                "WriteGetObjectResponse refused with status " + a.status())));
    }

    /** Signs a sample request and drops it: loads and initialises the signer for a warm-up. */
    void primeSigner() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-oss-request-route", "warm-up");
        h.put("x-oss-request-token", "warm-up");
        h.put("x-oss-fwd-status", "200");
        h.put("Content-Type", "application/octet-stream");
        h.put("Content-Length", "0");
        signer.sign(h, credentials, region != null ? region : "cn-hangzhou", clock.instant());
    }

    static String errorXml(String code, @Nullable String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>" + escape(code) + "</Code>\n  <Message>"
                + escape(message == null ? "" : message) + "</Message>\n</Error>\n";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public String toString() {
        return "OssWgorClient{signer=" + signer + ", endpoint=" + (endpointOverride == null ? "route" : "override") + '}';
    }
}
