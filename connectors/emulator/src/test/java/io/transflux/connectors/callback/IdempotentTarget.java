package io.transflux.connectors.callback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A delivery target on 127.0.0.1 that honours the {@code Idempotency-Key} request header the way
 * draft-ietf-httpapi-idempotency-key-header-07 describes: the key is a structured-field String (anything else is
 * 400); the first request with a key does the work and stores its response together with a fingerprint of the
 * payload (SHA-256 of the body); a later request with the same key and payload gets the stored response and no
 * work is done; the same key with another payload is 422; a request whose key is still being worked on is 409.
 * A request without the header is not idempotent: it does the work every time. The effect (one job's work, named
 * by the body) and its stored response are recorded in one step, and the work goes on when the client hangs up,
 * as on a real server, so a client killed mid-request leaves the effect behind.
 *
 * <p>{@link #holdAnswers()} makes it keep its answers back after the effect until {@link #release()}: a test kills
 * the client in that window, between the effect and the client learning of it.
 */
final class IdempotentTarget implements AutoCloseable {

    static final Duration WORK = Duration.ofMillis(10);

    private record Entry(String fingerprint, @Nullable String stored) {
    }

    private final Map<String, Entry> keys = new HashMap<>();
    private final Map<String, AtomicInteger> effects = new HashMap<>();
    private final Map<String, AtomicInteger> deliveries = new HashMap<>();
    private int replays;
    private int conflicts;
    private CompletableFuture<String> nextEffect = new CompletableFuture<>();
    private @Nullable CompletableFuture<Void> hold;
    private final DisposableServer server;

    IdempotentTarget() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> req.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .flatMap(body -> Mono.fromFuture(serve(req.requestHeaders().get("Idempotency-Key"), body), true))
                        .flatMap(status -> res.status(status).header("Content-Length", "0").send()))
                .bindNow(Duration.ofSeconds(10));
    }

    int port() {
        return server.port();
    }

    /** Decides on one request; the returned future is the status, completed whether or not the client waits. */
    private CompletableFuture<Integer> serve(@Nullable String field, String body) {
        String fingerprint = sha256(body);
        String key;
        synchronized (this) {
            if (field == null) {
                key = null;
            } else {
                key = parseSfString(field);
                if (key == null) {
                    return CompletableFuture.completedFuture(400);
                }
                Entry e = keys.get(key);
                if (e != null) {
                    if (!e.fingerprint().equals(fingerprint)) {
                        return CompletableFuture.completedFuture(422);
                    }
                    if (e.stored() == null) {
                        conflicts++;
                        return CompletableFuture.completedFuture(409);
                    }
                    replays++;
                    deliveries.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
                    return CompletableFuture.completedFuture(Integer.parseInt(e.stored()));
                }
                keys.put(key, new Entry(fingerprint, null));
            }
        }
        Executor later = CompletableFuture.delayedExecutor(WORK.toMillis(), TimeUnit.MILLISECONDS);
        return CompletableFuture.supplyAsync(() -> {
            CompletableFuture<Void> gate;
            synchronized (this) {
                // the effect and its stored response in one step
                effects.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
                deliveries.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
                if (key != null) {
                    keys.put(key, new Entry(fingerprint, "200"));
                }
                gate = hold;
                nextEffect.complete(body);
            }
            return gate;
        }, later).thenCompose(gate -> gate == null ? CompletableFuture.completedFuture(null) : gate)
                .thenApply(v -> 200);
    }

    /** An sf-string's content, or null when {@code field} is not one (RFC 8941 §3.3.3: printable ASCII, escapes). */
    static @Nullable String parseSfString(String field) {
        String f = field.strip();
        if (f.length() < 2 || f.charAt(0) != '"' || f.charAt(f.length() - 1) != '"') {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < f.length() - 1; i++) {
            char c = f.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return null;
            }
            if (c == '\\') {
                if (++i == f.length() - 1 || (f.charAt(i) != '"' && f.charAt(i) != '\\')) {
                    return null;
                }
                c = f.charAt(i);
            } else if (c == '"') {
                return null;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Makes answers wait after their effect until {@link #release()}; returns the next effect's job. */
    synchronized CompletableFuture<String> holdAnswers() {
        hold = new CompletableFuture<>();
        nextEffect = new CompletableFuture<>();
        return nextEffect;
    }

    synchronized void release() {
        if (hold != null) {
            hold.complete(null);
            hold = null;
        }
    }

    /** Effects per job (the request body), sorted by job. */
    synchronized Map<String, Integer> effects() {
        Map<String, Integer> m = new TreeMap<>();
        effects.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Deliveries per job: requests answered 200, by doing the work or from a stored response. */
    synchronized Map<String, Integer> deliveries() {
        Map<String, Integer> m = new TreeMap<>();
        deliveries.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Requests answered from a stored response, without doing the work again. */
    synchronized int replays() {
        return replays;
    }

    /** Requests answered 409 because the same key was still being worked on. */
    synchronized int conflicts() {
        return conflicts;
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        release();
        server.disposeNow(Duration.ofSeconds(10));
    }
}
