package io.transflux.connectors.s3;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import io.transflux.connectors.ConnectorException;
import io.transflux.connectors.ObjectResponse;
import io.transflux.connectors.ResponseWriter;
import io.transflux.connectors.WgorTransport;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * S3 WriteGetObjectResponse over Reactor Netty (docs/protocols.md §2): {@code POST /WriteGetObjectResponse} to
 * {@code https://{outputRoute}.s3-object-lambda.{region}.amazonaws.com}, or to {@code AWS_ENDPOINT_URL_S3}
 * without a host prefix for local use; SigV4 by {@link AwsV4HttpSigner} with signing name
 * {@value #SIGNING_NAME} and {@code UNSIGNED-PAYLOAD}. Transfer-Encoding and the trailer announcement stay
 * unsigned. Immutable; {@link #writer(String, String)} binds one route and token.
 */
public final class S3WgorClient {

    public static final String SIGNING_NAME = "s3-object-lambda";
    public static final String ENDPOINT_ENV = "AWS_ENDPOINT_URL_S3";
    static final Pattern ROUTE = Pattern.compile("[a-zA-Z0-9-]{1,63}");

    private final String region;
    private final AwsCredentials credentials;
    private final @Nullable String endpointOverride;
    private final WgorTransport transport;
    private final Clock clock;

    private S3WgorClient(String region, AwsCredentials credentials, @Nullable String endpointOverride,
            WgorTransport transport, Clock clock) {
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.endpointOverride = endpointOverride;
        this.transport = transport;
        this.clock = clock;
    }

    public static S3WgorClient create(String region, AwsCredentials credentials) {
        return new S3WgorClient(region, credentials, null, WgorTransport.shared(), Clock.systemUTC());
    }

    /**
     * From the Lambda environment: {@code AWS_REGION} (or {@code AWS_DEFAULT_REGION}), the credential variables
     * and {@code AWS_ENDPOINT_URL_S3}.
     */
    public static S3WgorClient fromEnvironment(Map<String, String> env) {
        String region = env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
        if (region == null || region.isEmpty()) {
            throw new IllegalStateException("AWS_REGION: required for the WriteGetObjectResponse endpoint, missing");
        }
        S3WgorClient c = create(region, AwsCredentials.fromEnvironment(env));
        String ep = env.get(ENDPOINT_ENV);
        return ep == null || ep.isEmpty() ? c : c.endpointOverride(ep);
    }

    /** Sends to {@code endpoint + "/WriteGetObjectResponse"} with no host prefix (local use). */
    public S3WgorClient endpointOverride(@Nullable String endpoint) {
        String e = endpoint == null ? null : (endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint);
        return Objects.equals(e, endpointOverride) ? this : new S3WgorClient(region, credentials, e, transport, clock);
    }

    /** Signs with {@code clock}'s time (tests). */
    public S3WgorClient clock(Clock clock) {
        return new S3WgorClient(region, credentials, endpointOverride, transport, Objects.requireNonNull(clock, "clock"));
    }

    /** Whether {@code route} is one host label as the AWS SDKs enforce: {@code [a-zA-Z0-9-]{1,63}}. */
    public static boolean isValidRoute(String route) {
        return ROUTE.matcher(route).matches();
    }

    /** The URL a WGOR for {@code route} goes to. */
    public String endpointFor(String route) {
        if (!isValidRoute(route)) {
            throw new ConnectorException(400, "InvalidRequest", "outputRoute: expected one DNS label [a-zA-Z0-9-]{1,63}");
        }
        if (endpointOverride != null) {
            return endpointOverride + "/WriteGetObjectResponse";
        }
        return "https://" + route + ".s3-object-lambda." + region + ".amazonaws.com/WriteGetObjectResponse";
    }

    /** A writer for one invocation's route and token. */
    public ResponseWriter writer(String route, String token) {
        String url = endpointFor(route);
        Objects.requireNonNull(token, "token");
        return new ResponseWriter() {
            @Override
            public Mono<Void> write(ObjectResponse response) {
                return Mono.defer(() -> send(url, route, token, response));
            }

            @Override
            public String checksumHeaderName(String algorithmId) {
                return "x-amz-fwd-header-x-amz-checksum-" + algorithmId;
            }

            @Override
            public String toString() {
                return "S3 WGOR writer{route=" + route + '}';
            }
        };
    }

    private Mono<Void> send(String url, String route, String token, ObjectResponse r) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/octet-stream");
        h.put("x-amz-request-route", route);
        h.put("x-amz-request-token", token);
        h.put("x-amz-fwd-status", Integer.toString(r.status()));
        if (r.errorCode() != null) {
            h.put("x-amz-fwd-error-code", r.errorCode());
            h.put("x-amz-fwd-error-message", r.errorMessage() == null ? "" : r.errorMessage());
        }
        r.forwardedHeaders().forEach((name, value) -> h.put("x-amz-fwd-header-" + name, value));
        r.metadata().userMetadata().forEach((k, v) -> h.put("x-amz-meta-" + k, v));
        if (r.checksumHeader() != null) {
            h.put(r.checksumHeader().getKey(), r.checksumHeader().getValue());
        }
        boolean chunked = r.contentLength().isEmpty() && !r.isError();
        if (!chunked) {
            h.put("Content-Length", Long.toString(r.isError() ? 0 : r.contentLength().getAsLong()));
        }
        Map<String, String> signed = sign(url, h);
        boolean trailer = chunked && r.checksumTrailerName() != null;
        return transport.post(url, signed, chunked, r.isError() ? reactor.core.publisher.Flux.empty() : r.body(),
                        trailer ? r.checksumTrailerName() : null, trailer ? r.checksumTrailerValue() : null)
                .flatMap(a -> a.status() == 200 ? Mono.empty()
                        : Mono.error(new ConnectorException(500, "InternalError",
                                "WriteGetObjectResponse refused with status " + a.status())));
    }

    Map<String, String> sign(String url, Map<String, String> headers) {
        SdkHttpRequest.Builder req = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create(url));
        headers.forEach(req::putHeader);
        return SigV4Headers.sign(req.build(), credentials, SIGNING_NAME, region, clock);
    }

    @Override
    public String toString() {
        return "S3WgorClient{region=" + region + ", endpoint=" + (endpointOverride == null ? "aws" : "override") + '}';
    }
}
