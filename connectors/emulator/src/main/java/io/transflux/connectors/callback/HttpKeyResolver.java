package io.transflux.connectors.callback;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Fetches PEM public keys ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo, RSA) over Reactor
 * Netty with its own client: {@link #DEFAULT_TIMEOUT} for the whole fetch, at most {@value #MAX_KEY_BYTES}
 * bytes, no redirects, status 200 only. Keys are cached by URL in a bounded LRU
 * ({@value #DEFAULT_CACHE_SIZE} entries, {@link #DEFAULT_TTL}); concurrent misses may fetch twice. Thread-safe.
 */
public final class HttpKeyResolver implements KeyResolver {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final int DEFAULT_CACHE_SIZE = 16;
    public static final int MAX_KEY_BYTES = 16 * 1024;
    private static final Duration WARMUP_LIMIT = Duration.ofSeconds(30);

    private static final HttpClient CLIENT = HttpClient.create(ConnectionProvider.builder("transflux-callback-keys")
                    .maxConnections(4).maxIdleTime(Duration.ofSeconds(10)).build())
            .followRedirect(false).compress(false);

    private final Duration timeout;
    private final Duration ttl;
    private final Clock clock;
    private final Map<URI, Cached> cache;

    private record Cached(PublicKey key, Instant until) {
    }

    private HttpKeyResolver(Duration timeout, Duration ttl, int cacheSize, Clock clock) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<URI, Cached> eldest) {
                return size() > cacheSize;
            }
        };
    }

    public static HttpKeyResolver create() {
        return create(DEFAULT_TIMEOUT, DEFAULT_TTL, DEFAULT_CACHE_SIZE, Clock.systemUTC());
    }

    public static HttpKeyResolver create(Duration timeout, Duration ttl, int cacheSize, Clock clock) {
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cacheSize: " + cacheSize + ", expected >= 1");
        }
        // The fetch timeout also covers the client's first use: load its event loop, resolver and codec classes
        // now, so the first callback after start-up on a slow machine does not fail on class loading.
        CLIENT.warmup().block(WARMUP_LIMIT);
        return new HttpKeyResolver(timeout, ttl, cacheSize, clock);
    }

    @Override
    public Mono<PublicKey> resolve(URI url) {
        return Mono.defer(() -> {
            synchronized (cache) {
                Cached c = cache.get(url);
                if (c != null && clock.instant().isBefore(c.until())) {
                    return Mono.just(c.key());
                }
            }
            return fetch(url).doOnNext(k -> {
                synchronized (cache) {
                    cache.put(url, new Cached(k, clock.instant().plus(ttl)));
                }
            });
        });
    }

    private Mono<PublicKey> fetch(URI url) {
        return CLIENT.responseTimeout(timeout).get().uri(url.toString())
                .response((res, body) -> {
                    if (res.status().code() != 200) {
                        return Mono.error(new IllegalStateException("key fetch: status " + res.status().code()));
                    }
                    // byte[] first: nothing downstream may discard a Netty buffer (docs/dependencies.md §5.3)
                    return body.asByteArray();
                })
                .reduce(new ByteArrayOutputStream(), (acc, b) -> {
                    if (acc.size() + b.length > MAX_KEY_BYTES) {
                        throw new IllegalStateException("key: more than " + MAX_KEY_BYTES + " bytes");
                    }
                    acc.writeBytes(b);
                    return acc;
                })
                .timeout(timeout)
                .map(acc -> parsePem(acc.toByteArray()));
    }

    /** Parses a PEM {@code PUBLIC KEY}; also accepts the bare Base64 body. */
    static PublicKey parsePem(byte[] pem) {
        if (pem.length > MAX_KEY_BYTES) {
            throw new IllegalStateException("key: " + pem.length + " bytes, expected at most " + MAX_KEY_BYTES);
        }
        String text = new String(pem, StandardCharsets.US_ASCII)
                .replace("-----BEGIN PUBLIC KEY-----", "")
                .replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(text)));
        } catch (Exception e) {
            throw new IllegalStateException("key: not a PEM RSA public key", e);
        }
    }

    /** PEM text of {@code key}, as a local access point serves it. */
    public static String toPem(PublicKey key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        out.writeBytes(("-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII));
        return out.toString(StandardCharsets.US_ASCII);
    }
}
