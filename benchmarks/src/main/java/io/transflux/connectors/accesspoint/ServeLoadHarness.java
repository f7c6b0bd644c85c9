package io.transflux.connectors.accesspoint;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Issue #13's figures: {@code serve} in a child JVM ({@code -Xmx256m} by default) with a {@code decompress/auto}
 * access point, loaded by rounds of 200 concurrent GETs (the JDK's HTTP client, one connection each) of a 64 KiB
 * text object stored gzipped ({@code --pipeline none} serves it stored plain: the baseline without a transform).
 * Reports throughput (GETs/s and MiB/s of output), p50/p99/max latency per GET over all measured rounds, errors,
 * and serve's peak resident set ({@code VmHWM} from {@code /proc/<pid>/status}). Warm-up rounds run first and are not measured. Not JMH: the measured unit is a whole
 * round of concurrent requests against another process, so a single-shot harness fits.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.transflux.connectors.accesspoint.ServeLoadHarness \
 *     --concurrency 200 --rounds 10 --warmup 3 --xmx 256m --object-kib 64 [--pipeline none]
 * </pre>
 */
public final class ServeLoadHarness {

    private ServeLoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(Path.of(args[1]), args[2]);
            return;
        }
        int concurrency = 200;
        int rounds = 10;
        int warmup = 3;
        String xmx = "256m";
        int objectKib = 64;
        String pipeline = "decompress/auto";
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--xmx" -> xmx = args[i + 1];
                case "--object-kib" -> objectKib = Integer.parseInt(args[i + 1]);
                case "--pipeline" -> pipeline = args[i + 1].equals("none") ? "" : args[i + 1];
                default -> throw new IllegalArgumentException("option: actual " + args[i]
                        + ", expected --concurrency, --rounds, --warmup, --xmx, --object-kib or --pipeline");
            }
        }
        run(concurrency, rounds, warmup, xmx, objectKib, pipeline);
    }

    /** serve itself: prints {@code PORT <n>} and serves until stdin closes. */
    private static void child(Path root, String pipeline) throws Exception {
        try (LocalAccessPoint ap = LocalAccessPoint.builder().root(root).host("127.0.0.1").port(0)
                .defaultAccessPoint(AccessPointSpec.builder().pipeline(pipeline).build())
                .accessLog(line -> { }).start()) {
            System.out.println("PORT " + ap.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the parent closes the pipe
            }
        }
    }

    private static void run(int concurrency, int rounds, int warmup, String xmx, int objectKib, String pipeline)
            throws Exception {
        Path root = Files.createTempDirectory("serve-load-");
        Files.createDirectories(root.resolve("data"));
        StringBuilder text = new StringBuilder();
        Random r = new Random(13);
        while (text.length() < objectKib * 1024) {
            text.append("line ").append(r.nextInt(1_000_000)).append(" of the #13 load harness\n");
        }
        byte[] plain = text.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(plain);
        }
        boolean inflate = pipeline.startsWith("decompress");
        Files.write(root.resolve("data/object.txt.gz"), inflate ? gz.toByteArray() : plain);

        // serve logs one line per GET: keep them out of the figures
        Path serveLog = Files.createTempFile("serve-load-", ".log");
        System.out.println("serve's log: " + serveLog);
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                ServeLoadHarness.class.getName(), "child", root.toString(), pipeline)
                .redirectError(serveLog.toFile()).start();
        AtomicLong hwm = new AtomicLong();
        Thread poller = new Thread(() -> {
            while (serve.isAlive()) {
                hwm.accumulateAndGet(vmHwmKb(serve.pid()), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "vmhwm-poller");
        try {
            String line = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (line == null || !line.startsWith("PORT ")) {
                throw new IllegalStateException("serve child did not start: " + line);
            }
            poller.setDaemon(true);
            poller.start();
            int port = Integer.parseInt(line.substring(5).trim());
            URI uri;
            try (S3Presigner presigner = S3Presigner.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
                    .region(Region.US_EAST_1)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            LocalAccessPoint.DEFAULT_ACCESS_KEY_ID, LocalAccessPoint.DEFAULT_SECRET_ACCESS_KEY)))
                    .build()) {
                uri = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofHours(1))
                        .getObjectRequest(g -> g.bucket("data").key("object.txt.gz"))).url().toURI();
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < warmup; i++) {
                round(http, uri, concurrency, plain);
            }
            List<Long> latencies = new ArrayList<>();
            long errors = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                Round rd = round(http, uri, concurrency, plain);
                latencies.addAll(rd.latenciesNanos);
                errors += rd.errors;
            }
            long wall = System.nanoTime() - t0;
            hwm.accumulateAndGet(vmHwmKb(serve.pid()), Math::max);
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            double seconds = wall / 1e9;
            long gets = (long) rounds * concurrency;
            System.out.println(String.format(Locale.ROOT,
                    "serve load: pipeline=%s concurrency=%d rounds=%d (+%d warm-up) object=%d KiB (stored %d B) xmx=%s%n"
                            + "  GETs=%d errors=%d wall=%.1f s throughput=%.0f GETs/s %.1f MiB/s%n"
                            + "  latency p50=%.0f ms p99=%.0f ms max=%.0f ms%n"
                            + "  serve peak RSS (VmHWM)=%d MiB",
                    pipeline.isEmpty() ? "none" : pipeline, concurrency, rounds, warmup, objectKib, inflate ? gz.size() : plain.length, xmx, gets, errors,
                    seconds, gets / seconds,
                    gets * (double) plain.length / (1 << 20) / seconds, pct(sorted, 0.50) / 1e6, pct(sorted, 0.99) / 1e6,
                    sorted[sorted.length - 1] / 1e6, hwm.get() / 1024));
        } finally {
            serve.getOutputStream().close();
            if (!serve.waitFor(20, TimeUnit.SECONDS)) {
                serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            poller.interrupt();
        }
    }

    record Round(List<Long> latenciesNanos, long errors) {
    }

    private static Round round(HttpClient http, URI uri, int concurrency, byte[] expected) throws Exception {
        List<CompletableFuture<Long>> all = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            long start = System.nanoTime();
            all.add(http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).build(),
                            HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(res -> res.statusCode() == 200 && Arrays.equals(res.body(), expected)
                            ? System.nanoTime() - start : -1L)
                    .exceptionally(e -> -1L));
        }
        List<Long> ok = new ArrayList<>();
        long errors = 0;
        for (CompletableFuture<Long> f : all) {
            long v = f.get(150, TimeUnit.SECONDS);
            if (v < 0) {
                errors++;
            } else {
                ok.add(v);
            }
        }
        return new Round(ok, errors);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static long vmHwmKb(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended between two polls
        }
        return 0;
    }
}
