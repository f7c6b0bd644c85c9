package io.transflux.connectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.transflux.connectors.http.HostGuard;
import io.transflux.connectors.http.HttpObjectSource;
import io.transflux.connectors.http.HttpSourceClient;
import io.transflux.connectors.http.HttpSourceSpec;
import io.transflux.pipeline.source.ObjectSource;

/**
 * The production {@link SourceOpener}: {@link HttpObjectSource} with its SSRF host guard on. Local sources are
 * allowed only explicitly, by {@code --allow-source-host} or {@value #ALLOW_ENV} (comma-separated): an IP
 * address (e.g. {@code 127.0.0.1}), a CIDR block (e.g. {@code 10.1.2.0/24}) or {@code localhost}. Without
 * such an allowance only {@code https} sources on public addresses are fetched.
 *
 * <p>HeadObject events carry a URL presigned for HEAD (S3 binds the method into the signature), so
 * {@link #head} sends a real {@code HEAD} rather than a GET.
 */
public final class HttpSourceOpener implements SourceOpener {

    public static final String ALLOW_ENV = "TRANSFLUX_ALLOW_SOURCE_HOSTS";

    private static final HttpSourceClient CLIENT = HttpSourceClient.create();

    private final HttpSourceSpec spec;
    private final HttpSourceClient client;

    private HttpSourceOpener(HttpSourceSpec spec, HttpSourceClient client) {
        this.spec = spec;
        this.client = client;
    }

    public static HttpSourceOpener create(HttpSourceSpec spec) {
        return new HttpSourceOpener(Objects.requireNonNull(spec, "spec"), CLIENT);
    }

    /** With a client of the caller's (a larger pool for many objects at once); the caller disposes it. */
    public static HttpSourceOpener create(HttpSourceSpec spec, HttpSourceClient client) {
        return new HttpSourceOpener(Objects.requireNonNull(spec, "spec"), Objects.requireNonNull(client, "client"));
    }

    /**
     * The opener a deployed function uses: https only, public hosts only, unless {@value #ALLOW_ENV} in
     * {@code env} allows more (then plain http too, for local endpoints).
     */
    public static HttpSourceOpener fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, List.of());
    }

    /** Allowances from {@value #ALLOW_ENV} in {@code env} plus {@code extraAllowed}. */
    public static HttpSourceOpener fromEnvironment(Map<String, String> env, List<String> extraAllowed) {
        List<String> allowed = new ArrayList<>(extraAllowed);
        String fromEnv = env.get(ALLOW_ENV);
        if (fromEnv != null) {
            for (String s : fromEnv.split(",")) {
                if (!s.isBlank()) {
                    allowed.add(s.trim());
                }
            }
        }
        return create(HttpSourceSpec.builder().hostGuard(guard(allowed)).httpsOnly(allowed.isEmpty()).build());
    }

    /**
     * The host guard allowing {@code patterns}.
     *
     * @throws IllegalArgumentException for a pattern that is neither an IP, a CIDR block nor {@code localhost}
     */
    public static HostGuard guard(List<String> patterns) {
        HostGuard g = HostGuard.publicOnly();
        for (String p : patterns) {
            String s = p.trim();
            if (s.equalsIgnoreCase("localhost")) {
                g = g.allowLoopback();
            } else if (s.contains("/")) {
                g = g.allowRange(s);
            } else if (s.matches("[0-9.]+")) {
                g = g.allowRange(s + "/32");
            } else if (s.contains(":")) {
                g = g.allowRange(s + "/128");
            } else {
                throw new IllegalArgumentException("allowed source host: actual '" + (s.length() > 64 ? s.substring(0, 64) : s)
                        + "', expected an IP address, a CIDR block or localhost");
            }
        }
        return g;
    }

    /** The connection pool this opener's sources use (one per process, shared by every opener). */
    public HttpSourceClient client() {
        return CLIENT;
    }

    @Override
    public ObjectSource get(String url, Map<String, String> headers) {
        return HttpObjectSource.builder(url).client(client).spec(spec).requestHeaders(headers).build();
    }

    @Override
    public ObjectSource head(String url, Map<String, String> headers) {
        return HttpObjectSource.builder(url).client(client).spec(spec).requestHeaders(headers).head().build();
    }

    @Override
    public String toString() {
        return "HttpSourceOpener{" + spec + '}';
    }
}
