package io.transflux.connectors.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.SourceException;
import reactor.netty.transport.ClientTransport;

/**
 * Runs the {@link HostGuard} address check on what the resolver returned, right before Reactor Netty
 * connects to exactly those addresses (resolve once, check, connect to the checked IP: no DNS
 * rebinding window). Literal-IP hosts pass through here too. A record, so that equal guards give equal
 * pool keys (Reactor Netty hashes the selector into the connection-pool key).
 */
record GuardedAddressSelector(HostGuard guard) implements ClientTransport.ResolvedAddressSelector<Object> {

    @Override
    public List<? extends SocketAddress> apply(Object config, List<? extends SocketAddress> resolved) {
        for (SocketAddress a : resolved) {
            if (!(a instanceof InetSocketAddress isa) || isa.getAddress() == null) {
                throw new SourceException(ErrorCode.SOURCE_NOT_ALLOWED, 0, null,
                        "source address refused: not a resolved IP address (" + a.getClass().getSimpleName() + ")");
            }
            String why = guard.refusal(IpRange.bytes(isa.getAddress()));
            if (why != null) {
                throw new SourceException(ErrorCode.SOURCE_NOT_ALLOWED, 0, null, "source address refused: host "
                        + isa.getHostString() + " resolved to " + isa.getAddress().getHostAddress() + ", a " + why
                        + " address; allow it in the HostGuard to connect");
            }
        }
        return resolved;
    }
}
