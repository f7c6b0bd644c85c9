package io.transflux.connectors.http;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The connection pool behind {@link HttpObjectSource}s. Create one per process (or per upstream kind),
 * share it between sources, and dispose of it on shutdown.
 *
 * <p>{@link #create()} and {@link #builder()} make a dedicated, named {@link ConnectionProvider} sized
 * for a function: few connections, fast failure when they are all busy, and short idle and life times,
 * because a frozen Lambda sandbox leaves pooled keep-alive connections dead (docs/reliability.md §4).
 * {@link #wrap(HttpClient)} and {@link #using(ConnectionProvider)} adopt resources the caller owns;
 * disposing of such a client leaves them alone. Whatever the client, each source forces its own
 * safety settings on top (no redirects, no compression, no proxy, HTTP/1.1, the address guard).
 *
 * <p>For a snapshot (Lambda SnapStart, CRaC), {@link #renewPool()} closes a dedicated pool's connections and
 * puts a fresh, empty pool in its place: a restored sandbox must not reuse sockets from the snapshot.
 *
 * <table>
 *   <caption>Pool defaults</caption>
 *   <tr><th>Setting</th><th>Default</th></tr>
 *   <tr><td>name</td><td>{@value #DEFAULT_NAME}</td></tr>
 *   <tr><td>max connections</td><td>{@value #DEFAULT_MAX_CONNECTIONS}</td></tr>
 *   <tr><td>pending acquire timeout</td><td>60 s ({@link #DEFAULT_PENDING_ACQUIRE_TIMEOUT}), unbounded queue</td></tr>
 *   <tr><td>max idle time</td><td>15 s ({@link #DEFAULT_MAX_IDLE_TIME})</td></tr>
 *   <tr><td>max life time</td><td>60 s ({@link #DEFAULT_MAX_LIFE_TIME})</td></tr>
 *   <tr><td>background eviction every</td><td>5 s ({@link #DEFAULT_EVICTION_INTERVAL})</td></tr>
 * </table>
 */
public final class HttpSourceClient implements Disposable {

    public static final String DEFAULT_NAME = "transflux-http-source";
    /** Sized for an instance serving many invocations at once; idle ones are evicted, so a small load keeps few. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    /** Longer than any invocation's deadline: waiting for a connection is bounded by the invocation, not here. */
    public static final Duration DEFAULT_PENDING_ACQUIRE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MAX_IDLE_TIME = Duration.ofSeconds(15);
    public static final Duration DEFAULT_MAX_LIFE_TIME = Duration.ofSeconds(60);
    public static final Duration DEFAULT_EVICTION_INTERVAL = Duration.ofSeconds(5);

    private final @Nullable Supplier<ConnectionProvider> poolFactory;
    private volatile HttpClient client;
    private volatile @Nullable ConnectionProvider ownedProvider;
    private volatile boolean disposed;

    private HttpSourceClient(HttpClient client, @Nullable ConnectionProvider ownedProvider,
            @Nullable Supplier<ConnectionProvider> poolFactory) {
        this.client = client;
        this.ownedProvider = ownedProvider;
        this.poolFactory = poolFactory;
    }

    /** A client with a dedicated pool and the default settings. */
    public static HttpSourceClient create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Adopts {@code client} (and its pool); {@link #dispose()} will not touch them. */
    public static HttpSourceClient wrap(HttpClient client) {
        return new HttpSourceClient(Objects.requireNonNull(client, "client"), null, null);
    }

    /** A client on the caller's {@code provider}; {@link #dispose()} will not dispose it. */
    public static HttpSourceClient using(ConnectionProvider provider) {
        return new HttpSourceClient(HttpClient.create(Objects.requireNonNull(provider, "provider")), null, null);
    }

    HttpClient httpClient() {
        return client;
    }

    /** Closes the dedicated pool, if this client owns one. */
    @Override
    public void dispose() {
        disposed = true;
        ConnectionProvider p = ownedProvider;
        if (p != null) {
            p.dispose();
        }
    }

    /** Like {@link #dispose()}, completing once the pool's connections are closed. */
    public Mono<Void> disposeLater() {
        return Mono.defer(() -> {
            disposed = true;
            ConnectionProvider p = ownedProvider;
            return p == null ? Mono.empty() : p.disposeLater();
        });
    }

    /**
     * Replaces a dedicated pool with a fresh one of the same settings and closes the old pool's connections,
     * completing once they are closed. Sources built from this client use the fresh pool from then on. Adopted
     * resources ({@link #wrap}, {@link #using}) and a disposed client are left alone.
     */
    public Mono<Void> renewPool() {
        return Mono.defer(() -> {
            ConnectionProvider old;
            synchronized (this) {
                old = ownedProvider;
                if (old == null || poolFactory == null || disposed) {
                    return Mono.empty();
                }
                ConnectionProvider fresh = poolFactory.get();
                ownedProvider = fresh;
                client = HttpClient.create(fresh);
            }
            return old.disposeLater();
        });
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }

    @Override
    public String toString() {
        ConnectionProvider p = ownedProvider;
        return "HttpSourceClient{" + (p == null ? "adopted" : p.name())
                + (disposed ? ", disposed" : "") + '}';
    }

    /** Settings of a dedicated pool. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration pendingAcquireTimeout = DEFAULT_PENDING_ACQUIRE_TIMEOUT;
        private Duration maxIdleTime = DEFAULT_MAX_IDLE_TIME;
        private Duration maxLifeTime = DEFAULT_MAX_LIFE_TIME;
        private Duration evictionInterval = DEFAULT_EVICTION_INTERVAL;

        private Builder() {
        }

        /** The pool name, shown in Reactor Netty's logs and metrics. */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name: actual blank, expected a pool name");
            }
            this.name = name;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections: actual " + maxConnections + ", expected >= 1");
            }
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder pendingAcquireTimeout(Duration timeout) {
            this.pendingAcquireTimeout = positive("pendingAcquireTimeout", timeout);
            return this;
        }

        public Builder maxIdleTime(Duration maxIdleTime) {
            this.maxIdleTime = positive("maxIdleTime", maxIdleTime);
            return this;
        }

        public Builder maxLifeTime(Duration maxLifeTime) {
            this.maxLifeTime = positive("maxLifeTime", maxLifeTime);
            return this;
        }

        /** How often idle and expired connections are closed in the background. */
        public Builder evictionInterval(Duration interval) {
            this.evictionInterval = positive("evictionInterval", interval);
            return this;
        }

        public HttpSourceClient build() {
            // Captured values, not the builder: later builder calls must not change a renewed pool.
            String n = name;
            int max = maxConnections;
            Duration pending = pendingAcquireTimeout;
            Duration idle = maxIdleTime;
            Duration life = maxLifeTime;
            Duration eviction = evictionInterval;
            Supplier<ConnectionProvider> factory = () -> ConnectionProvider.builder(n)
                    .maxConnections(max)
                    .pendingAcquireTimeout(pending)
                    .pendingAcquireMaxCount(-1)
                    .maxIdleTime(idle)
                    .maxLifeTime(life)
                    .evictInBackground(eviction)
                    .build();
            ConnectionProvider provider = factory.get();
            return new HttpSourceClient(HttpClient.create(provider), provider, factory);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + ": actual " + d + ", expected > 0");
            }
            return d;
        }
    }
}
