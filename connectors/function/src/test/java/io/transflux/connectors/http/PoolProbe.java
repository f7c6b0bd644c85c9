package io.transflux.connectors.http;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/** Sees a test pool's gauges without Micrometer: connections acquired and still alive. */
final class PoolProbe implements ConnectionProvider.MeterRegistrar {

    private final Map<String, ConnectionPoolMetrics> pools = new ConcurrentHashMap<>();

    @Override
    public void registerMetrics(String poolName, String id, SocketAddress remoteAddress, ConnectionPoolMetrics metrics) {
        pools.put(id + remoteAddress, metrics);
    }

    @Override
    public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
        pools.remove(id + remoteAddress);
    }

    /** Connections currently handed out to requests. */
    int acquired() {
        return pools.values().stream().mapToInt(ConnectionPoolMetrics::acquiredSize).sum();
    }

    /** Connections open, idle or acquired. */
    int allocated() {
        return pools.values().stream().mapToInt(ConnectionPoolMetrics::allocatedSize).sum();
    }
}
