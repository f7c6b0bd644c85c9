package io.transflux.connectors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.transflux.connectors.http.HttpDate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The source and the WGOR endpoint of {@link io.transflux.connectors.accesspoint.BilledCpuRig}, in a process of their
 * own so that the function process's CPU time is the function's alone. One set of routes on two loopback ports: plain
 * HTTP and, with {@code --keystore}, HTTPS (Reactor Netty, JDK TLS provider).
 * <ul>
 *   <li>{@code GET /o/<name>}: a file of {@code --root}, whole or one {@code Range: bytes=a-b} (206), with
 *       Content-Length, ETag and Last-Modified, in 64 KiB slices;</li>
 *   <li>{@code POST /WriteGetObjectResponse}: counts the body and its CRC32C and keeps them by
 *       {@code x-amz-request-token} (no SigV4 check);</li>
 *   <li>{@code GET /_rig/delivery/<token>}: {@code <bytes> <crc32c hex> <fwd-status> <TLS protocol> <cipher>}, or 404.</li>
 * </ul>
 * Prints {@code rig-server http <port> https <port>} once bound (https -1 without a key store), then serves until
 * its standard input ends.
 *
 * <pre>java -cp benchmarks.jar io.transflux.connectors.RigServer --root DIR [--keystore server.p12 --storepass PW]
 *     [--cipher TLS_AES_256_GCM_SHA384]</pre>
 */
public final class RigServer {

    private static final int SLICE = 64 * 1024;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private RigServer() {
    }

    public static void main(String[] args) throws Exception {
        Path root = null;
        Path keystore = null;
        String storepass = "changeit";
        String cipher = "TLS_AES_256_GCM_SHA384";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--keystore" -> keystore = Path.of(args[++i]);
                case "--storepass" -> storepass = args[++i];
                case "--cipher" -> cipher = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (root == null) {
            throw new IllegalArgumentException("--root: required");
        }
        Map<String, String> deliveries = new ConcurrentHashMap<>();
        Path dir = root;
        HttpServer base = HttpServer.create().host("127.0.0.1").port(0).route(r -> routes(r, dir, deliveries));
        DisposableServer http = base.bindNow(Duration.ofSeconds(10));
        DisposableServer https = null;
        if (keystore != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                ks.load(in, storepass.toCharArray());
            }
            PrivateKey key = (PrivateKey) ks.getKey("server", storepass.toCharArray());
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : ks.getCertificateChain("server")) {
                chain.add((X509Certificate) c);
            }
            // TLS 1.3 with one suite, so that every run measures the same cipher (AES-256-GCM unless told).
            List<String> suites = List.of(cipher);
            SslContext ssl = SslContextBuilder.forServer(key, chain).protocols("TLSv1.3").ciphers(suites).build();
            https = base.secure(s -> s.sslContext(ssl)).bindNow(Duration.ofSeconds(10));
        }
        System.out.println("rig-server http " + http.port() + " https " + (https == null ? -1 : https.port()));
        System.out.flush();
        while (System.in.read() >= 0) {
            // Serves until the rig closes our standard input (or ends).
        }
        http.disposeNow(Duration.ofSeconds(5));
        if (https != null) {
            https.disposeNow(Duration.ofSeconds(5));
        }
    }

    /**
     * {@code [from, end)} of {@code file} in 64 KiB direct buffers. Not {@code sendFile}: over TLS Reactor Netty
     * sends a file in 1 KiB chunks, which would make the function decrypt 1 KiB TLS records instead of full 16 KiB ones.
     */
    private static Flux<ByteBuf> slices(Path file, long from, long end) {
        return Flux.using(() -> FileChannel.open(file, StandardOpenOption.READ), ch -> Flux.<ByteBuf, Long>generate(() -> from,
                (pos, sink) -> {
                    if (pos >= end) {
                        sink.complete();
                        return pos;
                    }
                    int n = (int) Math.min(SLICE, end - pos);
                    ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(n);
                    try {
                        int read = b.writeBytes(ch, pos, n);
                        if (read <= 0) {
                            throw new IOException("unexpected end of " + file + " at " + pos);
                        }
                        sink.next(b);
                        return pos + read;
                    } catch (IOException e) {
                        b.release();
                        sink.error(e);
                        return pos;
                    }
                }), ch -> {
                    try {
                        ch.close();
                    } catch (IOException e) {
                        // Read-only: nothing is lost.
                    }
                });
    }

    private static void routes(HttpServerRoutes r, Path root, Map<String, String> deliveries) {
        r.get("/o/{name}", (req, res) -> {
            String name = req.param("name");
            Path file = name == null || name.contains("/") || name.startsWith(".") ? null : root.resolve(name);
            long size;
            long modified;
            try {
                size = file == null ? -1 : Files.size(file);
                modified = file == null ? 0 : Files.getLastModifiedTime(file).toMillis();
            } catch (IOException e) {
                size = -1;
                modified = 0;
            }
            if (size < 0) {
                return res.status(404).header("Content-Length", "0").send();
            }
            long from = 0;
            long to = size - 1;
            String range = req.requestHeaders().get("Range");
            if (range != null) {
                Matcher m = RANGE.matcher(range.trim());
                if (!m.matches() || Long.parseLong(m.group(1)) >= size) {
                    return res.status(416).header("Content-Range", "bytes */" + size).header("Content-Length", "0").send();
                }
                from = Long.parseLong(m.group(1));
                to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                res.status(206).header("Content-Range", "bytes " + from + "-" + to + "/" + size);
            }
            return res.header("Content-Length", Long.toString(to - from + 1))
                    .header("Content-Type", "application/octet-stream")
                    .header("Accept-Ranges", "bytes")
                    .header("ETag", "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified) + "\"")
                    .header("Last-Modified", HttpDate.format(java.time.Instant.ofEpochMilli(modified)))
                    .send(slices(file, from, to + 1));
        }).post("/WriteGetObjectResponse", (req, res) -> {
            String token = req.requestHeaders().get("x-amz-request-token", "none");
            String fwd = req.requestHeaders().get("x-amz-fwd-status", "200");
            String[] tls = {"plain", "-"};
            req.withConnection(c -> {
                SslHandler h = c.channel().pipeline().get(SslHandler.class);
                if (h != null) {
                    tls[0] = h.engine().getSession().getProtocol();
                    tls[1] = h.engine().getSession().getCipherSuite();
                }
            });
            AtomicLong count = new AtomicLong();
            CRC32C crc = new CRC32C();
            // One connection's body arrives on one event loop, in order: no locking needed around crc.
            return req.receive().doOnNext(b -> {
                count.addAndGet(b.readableBytes());
                crc.update(b.nioBuffer());
            }).then(Mono.defer(() -> {
                deliveries.put(token, count.get() + " " + Long.toHexString(crc.getValue()) + " " + fwd + " " + tls[0] + " "
                        + tls[1]);
                return res.status(200).header("Content-Length", "0").send().then();
            }));
        }).get("/_rig/delivery/{token}", (req, res) -> {
            String d = deliveries.get(req.param("token"));
            return d == null ? res.status(404).header("Content-Length", "0").send() : res.sendString(Mono.just(d));
        });
    }
}
