package io.transflux.connectors.accesspoint;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The invocations waiting for their WriteGetObjectResponse, by output token. A token is single use: the first
 * valid WGOR claims it, and it disappears when the caller's exchange ends, so a second use gets 400.
 */
final class Invocations {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Pending> byToken = new ConcurrentHashMap<>();

    /**
     * What a WGOR request handed over: validated status and headers (lower-case names), and its streaming body;
     * {@code done} is signalled by the caller's side (body delivered or failed), {@code answered} by the WGOR's
     * side once its own response is written.
     */
    record Arrival(int status, Map<String, String> headers, Flux<ByteBuffer> body,
            Supplier<Map<String, String>> trailers, Sinks.Empty<Void> done, Sinks.Empty<Void> answered) {

        @Nullable String header(String name) {
            return headers.get(name);
        }
    }

    /** One invocation's rendezvous between the caller's exchange and the WGOR request. */
    final class Pending {
        final String route;
        final String token;
        private final Sinks.One<Arrival> arrival = Sinks.one();

        private Pending(String route, String token) {
            this.route = route;
            this.token = token;
        }

        Mono<Arrival> arrival() {
            return arrival.asMono();
        }

        /** The function ended; without a WGOR by now the caller gets {@code LambdaResponseNotReceived}. */
        void functionEnded(@Nullable PlatformError failure) {
            arrival.tryEmitError(failure != null ? failure : PlatformError.notReceived());
        }

        void close() {
            byToken.remove(token, this);
            arrival.tryEmitError(PlatformError.timeout());
        }

        boolean deliver(Arrival a) {
            return arrival.tryEmitValue(a).isSuccess();
        }
    }

    /** A new invocation with a fresh route (one DNS label) and a random token. */
    Pending open(@Nullable String fixedRoute) {
        byte[] t = new byte[32];
        RANDOM.nextBytes(t);
        byte[] r = new byte[6];
        RANDOM.nextBytes(r);
        String route = fixedRoute != null ? fixedRoute : "io-local-" + HexFormat.of().formatHex(r);
        Pending p = new Pending(route, Base64.getUrlEncoder().withoutPadding().encodeToString(t));
        byToken.put(p.token, p);
        return p;
    }

    /**
     * Claims {@code token} for {@code route} (null: any route): the pending invocation, or null when unknown,
     * already used, finished or bound to another route.
     */
    @Nullable Pending claim(String token, @Nullable String route) {
        Pending p = byToken.get(token);
        if (p == null || (route != null && !route.equals(p.route))) {
            return null;
        }
        return byToken.remove(token, p) ? p : null;
    }
}
