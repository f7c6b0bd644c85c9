package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --function-timeout} bounds the whole response, however slowly the caller reads, and a slow reader slows
 * only itself (#13 finding 5, last bullet).
 */
class SlowReaderTimeoutTest {

    // Short, yet long enough for six GETs on a loaded two-core machine to finish before it cuts the slow reader.
    private static final Duration TIMEOUT = Duration.ofSeconds(6);
    private static final int BIG = 32 * 1024 * 1024;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path root;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private byte[] small;
    private LocalAccessPoint ap;

    @BeforeEach
    void start() throws IOException {
        Files.createDirectories(root.resolve("data"));
        Random random = new Random(13);
        byte[] big = new byte[BIG];
        random.nextBytes(big);
        Files.write(root.resolve("data/big.bin"), big);
        small = new byte[64 * 1024];
        random.nextBytes(small);
        Files.write(root.resolve("data/small.bin"), small);
        ap = LocalAccessPoint.builder().root(root).port(0).functionTimeout(TIMEOUT).accessLog(log::add).start();
    }

    @AfterEach
    void stop() {
        ap.close();
    }

    /** How a raw-socket reader at about 50 KB/s saw its response end. */
    record SlowRead(String statusLine, long bytes, long elapsedNanos, String how) {
    }

    @Test
    void aReaderAtFiftyKilobytesPerSecondIsCutByTheFunctionTimeoutWhileOtherGetsSucceed() throws Exception {
        // One GET first, so the normal GETs below do not also pay for class loading and the first connections.
        HttpResponse<byte[]> warm = HTTP.send(HttpRequest.newBuilder(URI.create(ap.endpoint() + "/data/small.bin"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(warm.body()).isEqualTo(small);
        CountDownLatch reading = new CountDownLatch(1);
        // Its own thread: on two cores the common pool has one, and a blocked reader there also held back the
        // completion of the JDK HttpClient's futures below (seen on JDK 25), which is not what this test measures.
        ExecutorService reader = Executors.newSingleThreadExecutor();
        CompletableFuture<SlowRead> slow = CompletableFuture.supplyAsync(() -> slowRead("/data/big.bin", reading), reader);
        reader.shutdown();
        assertThat(reading.await(20, TimeUnit.SECONDS)).as("the slow reader has its first bytes").isTrue();

        // Meanwhile: normal GETs through the function, all at once.
        List<CompletableFuture<HttpResponse<byte[]>>> normal = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            normal.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(ap.endpoint() + "/data/small.bin"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> f : normal) {
            HttpResponse<byte[]> r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(small);
        }
        assertThat(slow).as("the normal GETs finished while the slow reader was still connected").isNotDone();

        SlowRead s = slow.get(60, TimeUnit.SECONDS);
        assertThat(s.statusLine()).startsWith("HTTP/1.1 200");
        // Cut, not completed: far fewer bytes than the object, ended by a reset or an early close.
        assertThat(s.bytes()).isLessThan(BIG / 2);
        assertThat(s.how()).isIn("reset", "eof");
        // Ended by the timeout: not long before it (the deadline starts with the invocation), not long after it.
        assertThat(Duration.ofNanos(s.elapsedNanos())).isGreaterThan(TIMEOUT.minusMillis(500))
                .isLessThan(TIMEOUT.plusSeconds(6));

        // The function's WGOR failed, and the caller's exchange is logged as aborted.
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((log.stream().noneMatch(l -> l.contains("key=/data/big.bin"))
                || log.stream().filter(l -> l.contains("/WriteGetObjectResponse")).count() < 8)
                && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(log).filteredOn(l -> l.contains("key=/data/big.bin")).singleElement()
                .satisfies(l -> assertThat(l).contains("status=200").contains("end=aborted"));
        assertThat(log).filteredOn(l -> l.contains("/WriteGetObjectResponse")).hasSize(8)
                .filteredOn(l -> !(l.contains("status=200") && l.contains("end=complete"))).singleElement()
                .satisfies(l -> assertThat(l).containsAnyOf("status=500", "end=aborted", "end=error"));
    }

    /** GETs {@code path} on a raw socket with a small receive buffer, reading about 5 KB every 100 ms. */
    private SlowRead slowRead(String path, CountDownLatch reading) {
        long t0 = System.nanoTime();
        long bytes = 0;
        String status = "";
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.setSoTimeout(30_000);
            s.connect(new InetSocketAddress("127.0.0.1", ap.port()), 5_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + ap.port() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[5 * 1024];
            while (System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos()) {
                int n = in.read(buf);
                if (n < 0) {
                    return new SlowRead(status, bytes, System.nanoTime() - t0, "eof");
                }
                if (status.isEmpty()) {
                    String head = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                    status = head.substring(0, Math.max(0, head.indexOf("\r\n")));
                    reading.countDown();
                }
                bytes += n;
                Thread.sleep(100);
            }
            return new SlowRead(status, bytes, System.nanoTime() - t0, "still open after 60 s");
        } catch (java.net.SocketException e) {
            return new SlowRead(status, bytes, System.nanoTime() - t0, "reset");
        } catch (IOException e) {
            return new SlowRead(status, bytes, System.nanoTime() - t0, "failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SlowRead(status, bytes, System.nanoTime() - t0, "interrupted");
        }
    }
}
