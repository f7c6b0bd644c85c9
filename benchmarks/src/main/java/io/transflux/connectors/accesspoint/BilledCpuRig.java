package io.transflux.connectors.accesspoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import io.transflux.connectors.LocalCa;
import io.transflux.connectors.RigServer;
import io.transflux.operators.compression.Bzip2CpuTime;
import io.transflux.operators.compression.DecompressionBenchmark;
import org.xerial.snappy.SnappyFramedOutputStream;

/**
 * What the platform bills (issue 15 §8): the function process's CPU time per GB of output, with the source and the WGOR
 * endpoint in another process ({@link RigServer}, started here) so that nothing else runs in the function's JVM. The
 * function is the deployable {@code transflux-function.jar} run as Lambda runs it: the Runtime Interface Client with
 * {@code S3ObjectLambdaHandler}, polling a loopback Runtime API ({@link RuntimePool}, serve's RIC mode), environment
 * as Lambda sets it, events as S3 Object Lambda sends them. Over HTTP and over HTTPS with a CA made at run time
 * ({@link LocalCa}), trusted by the function through {@code JAVA_TOOL_OPTIONS=-Djavax.net.ssl.trustStore=...}.
 * <ul>
 *   <li><b>cold</b>: a fresh JVM, one invocation on the object, minus a fresh JVM's one invocation on the first 100 KiB
 *       of the corpus in the same format (start-up subtracted);</li>
 *   <li><b>warm</b>: one JVM, {@code --warm} invocations in a row; the median CPU of invocations 2..n (the upper
 *       middle one for an even count).</li>
 * </ul>
 * CPU is user + system of the function process ({@code ProcessHandle.info().totalCpuDuration()}, /proc) read as soon
 * as its reply arrives. Codec anchors in the same run: {@code zstd -dc}, {@code gzip -dc}, {@code bzip2 -dc} on the
 * same files (getrusage of the child, {@link Bzip2CpuTime#tool}). Objects: zstd -3, gzip -6, bzip2 -9 by the CLI
 * tools; snappy in the framing format by snappy-java (no snappy CLI is packaged for Debian). Every delivery is checked
 * (byte count and CRC32C at the WGOR endpoint). Not JMH: every cold sample is a new JVM. Usage (docs/benchmarks.md):
 *
 * <pre>java -cp benchmarks.jar io.transflux.connectors.accesspoint.BilledCpuRig --function-jar transflux-function.jar
 *     [--size-mb 256 | --corpus FILE] [--warm 4] [--anchor-runs 3] [--transports http,https]
 *     [--formats none,zstd,gzip,snappy,bzip2] [--java PATH] [--] [JVM options for the function]</pre>
 */
public final class BilledCpuRig {

    private static final int SMALL = 100 * 1024;
    private static final Map<String, String> SUFFIX = Map.of("none", "", "zstd", ".zst", "gzip", ".gz", "snappy", ".sz",
            "bzip2", ".bz2");
    private static final Map<String, String> ANCHOR = Map.of("zstd", "zstd -dc", "gzip", "gzip -dc", "bzip2", "bzip2 -dc");

    private BilledCpuRig() {
    }

    public static void main(String[] args) throws Exception {
        int sizeMb = 256;
        int warm = 4;
        int anchorRuns = 3;
        Path corpusFile = null;
        Path functionJar = null;
        Path java = null;
        List<String> transports = List.of("http", "https");
        List<String> formats = List.of("none", "zstd", "gzip", "snappy", "bzip2");
        List<String> jvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size-mb" -> sizeMb = Integer.parseInt(args[++i]);
                case "--corpus" -> corpusFile = Path.of(args[++i]);
                case "--warm" -> warm = Integer.parseInt(args[++i]);
                case "--anchor-runs" -> anchorRuns = Integer.parseInt(args[++i]);
                case "--function-jar" -> functionJar = Path.of(args[++i]);
                case "--java" -> java = Path.of(args[++i]);
                case "--transports" -> transports = List.of(args[++i].split(","));
                case "--formats" -> formats = List.of(args[++i].split(","));
                case "--" -> {
                    jvm.addAll(Arrays.asList(args).subList(i + 1, args.length));
                    i = args.length;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (functionJar == null || !Files.isRegularFile(functionJar)) {
            throw new IllegalArgumentException("--function-jar: expected the deployable transflux-function.jar, got "
                    + functionJar);
        }
        if (warm < 2) {
            throw new IllegalArgumentException("--warm: expected at least 2 invocations (the first is not warm), got " + warm);
        }
        for (String f : formats) {
            if (!SUFFIX.containsKey(f)) {
                throw new IllegalArgumentException("--formats: expected none, zstd, gzip, snappy or bzip2, got " + f);
            }
        }
        Path dir = Files.createTempDirectory("transflux-billed-");
        byte[] corpus = corpusFile != null ? Files.readAllBytes(corpusFile) : DecompressionBenchmark.corpus(sizeMb << 20);
        Files.write(dir.resolve("big"), corpus);
        Files.write(dir.resolve("small"), Arrays.copyOf(corpus, SMALL));
        long bigCrc = crc32c(corpus, corpus.length);
        long smallCrc = crc32c(corpus, SMALL);
        long outBytes = corpus.length;
        corpus = null;
        System.gc();
        for (String f : formats) {
            for (String name : List.of("big", "small")) {
                compress(f, dir.resolve(name), dir.resolve(name + SUFFIX.get(f)));
            }
        }
        System.out.printf(Locale.ROOT, "objects: %,d bytes of output; %s%n", outBytes, sizes(dir, formats));

        Map<String, Double> anchors = new LinkedHashMap<>();
        for (String f : formats) {
            if (ANCHOR.containsKey(f)) {
                double[] cpu = new double[anchorRuns];
                for (int r = 0; r < anchorRuns; r++) {
                    cpu[r] = Bzip2CpuTime.tool(ANCHOR.get(f), dir.resolve("big" + SUFFIX.get(f)))[0];
                }
                Arrays.sort(cpu);
                anchors.put(f, cpu[anchorRuns / 2]);
                System.out.printf(Locale.ROOT, "anchor %-10s CPU %.3f s (runs %s) = %.2f s/GB%n", ANCHOR.get(f),
                        cpu[anchorRuns / 2], seconds(cpu), perGb(cpu[anchorRuns / 2], outBytes));
            }
        }

        LocalCa ca = transports.contains("https") ? LocalCa.create(dir) : null;
        Process server = startServer(dir, ca);
        List<String> rows = new ArrayList<>();
        try {
            String[] ports = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine().split(" ");
            Map<String, Integer> port = Map.of("http", Integer.parseInt(ports[2]), "https", Integer.parseInt(ports[4]));
            HttpClient control = HttpClient.newHttpClient();
            for (String t : transports) {
                for (String f : formats) {
                    Target target = new Target(t, port.get(t), port.get("http"), f, server.pid(), control, functionJar, java,
                            jvm, ca);
                    double big;
                    double small;
                    double[] w;
                    try {
                        big = target.cold("big" + SUFFIX.get(f), outBytes, bigCrc);
                        small = target.cold("small" + SUFFIX.get(f), SMALL, smallCrc);
                        w = target.warm("big" + SUFFIX.get(f), outBytes, bigCrc, warm);
                    } catch (IllegalStateException e) {
                        // E.g. S3 Object Lambda's 60 s deadline on a loaded machine: report it, measure the rest.
                        System.out.println(t + " " + f + ": FAILED " + e.getMessage());
                        rows.add("| " + t + " | " + f + " | failed: " + e.getMessage() + " |");
                        continue;
                    }
                    double coldGb = perGb(big - small, outBytes);
                    double warmGb = perGb(w[w.length / 2], outBytes);
                    Double a = anchors.get(f);
                    String ratio = a == null ? "—" : String.format(Locale.ROOT, "%.2f / %.2f", (big - small) / a,
                            w[w.length / 2] / a);
                    System.out.printf(Locale.ROOT, "%s %s: cold %.2f s − start-up %.2f s = %.2f s/GB; warm %s s = %.2f s/GB;"
                            + " ÷ codec anchor (cold / warm) %s; %s%n", t, f, big, small, coldGb, seconds(w), warmGb,
                            ratio, target.tls);
                    rows.add(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f | %s |", t, f, big, small,
                            coldGb, warmGb, ratio));
                }
            }
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroy();
            }
            // The objects are several hundred MB of /tmp.
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
        System.out.println();
        for (Map.Entry<String, Double> a : anchors.entrySet()) {
            System.out.printf(Locale.ROOT, "| `%s` | %.2f s/GB |%n", ANCHOR.get(a.getKey()), perGb(a.getValue(), outBytes));
        }
        System.out.println("| Transport | Pipeline | cold CPU (s) | 100 KiB cold CPU (s) | cold, start-up subtracted (s/GB)"
                + " | warm (s/GB) | ÷ codec anchor, cold / warm |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** One transport and format: starts function JVMs and invokes them. */
    private static final class Target {
        private final String transport;
        private final int port;
        private final int controlPort;
        private final String format;
        private final long serverPid;
        private final HttpClient control;
        private final FunctionRuntimeSpec spec;
        private final Map<String, String> platformEnv;
        String tls = "";

        Target(String transport, int port, int controlPort, String format, long serverPid, HttpClient control,
                Path functionJar, Path java, List<String> jvm, LocalCa ca) {
            this.transport = transport;
            this.port = port;
            this.controlPort = controlPort;
            this.format = format;
            this.serverPid = serverPid;
            this.control = control;
            Map<String, String> env = new LinkedHashMap<>();
            env.put("TRANSFLUX_ALLOW_SOURCE_HOSTS", "127.0.0.1");
            if (ca != null && transport.equals("https")) {
                // How a Lambda function is given JVM options: the JVM reads JAVA_TOOL_OPTIONS itself.
                env.put("JAVA_TOOL_OPTIONS", String.join(" ", ca.trustOptions()));
            }
            this.spec = FunctionRuntimeSpec.builder().functionJar(functionJar).javaCommand(java).jvmOptions(jvm)
                    .environment(env).build();
            this.platformEnv = Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "AKIDBENCHRIG",
                    "AWS_SECRET_ACCESS_KEY", "bench-secret", "AWS_SESSION_TOKEN", "bench-token",
                    "AWS_ENDPOINT_URL_S3", transport + "://127.0.0.1:" + port);
        }

        /** Function CPU seconds of a fresh JVM's first invocation on {@code object}. */
        double cold(String object, long outBytes, long crc) throws Exception {
            try (RuntimePool pool = pool()) {
                invoke(pool, object, outBytes, crc);
                return functionCpu();
            }
        }

        /** Function CPU seconds of each of invocations 2..n in one JVM, sorted. */
        double[] warm(String object, long outBytes, long crc, int n) throws Exception {
            double[] each = new double[Math.max(1, n - 1)];
            try (RuntimePool pool = pool()) {
                invoke(pool, object, outBytes, crc);
                double before = functionCpu();
                for (int i = 0; i < n - 1; i++) {
                    invoke(pool, object, outBytes, crc);
                    double now = functionCpu();
                    each[i] = now - before;
                    before = now;
                }
            }
            Arrays.sort(each);
            return each;
        }

        private RuntimePool pool() {
            return new RuntimePool(spec, platformEnv, Duration.ofMinutes(10), "us-east-1");
        }

        private void invoke(RuntimePool pool, String object, long outBytes, long crc) throws Exception {
            String token = "bench-" + UUID.randomUUID();
            String url = transport + "://127.0.0.1:" + port + "/o/" + object + "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                    + "&X-Amz-Credential=AKIDBENCHRIG%2F20261203%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261203T000000Z"
                    + "&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
            AccessPointSpec ap = AccessPointSpec.builder().name("bench-olap")
                    .pipeline(format.equals("none") ? "" : "decompress/" + format).build();
            Events.Caller caller = new Events.Caller(UUID.randomUUID().toString(),
                    "https://bench-olap-000000000000.s3-object-lambda.us-east-1.amazonaws.com/" + object, Map.of(),
                    "AKIDBENCHRIG", ap, "us-east-1");
            byte[] reply = pool.invoke(Flavor.S3, Events.s3("getObjectContext", url, "bench-route", token, caller))
                    .block(Duration.ofMinutes(10));
            HttpResponse<String> d = control.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + controlPort + "/_rig/delivery/" + token)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String expected = outBytes + " " + Long.toHexString(crc) + " 200";
            if (d.statusCode() != 200 || !d.body().startsWith(expected + " ")) {
                throw new IllegalStateException(transport + " " + format + " " + object + ": WGOR endpoint saw "
                        + (d.statusCode() == 200 ? d.body() : "no delivery") + ", expected " + expected + "; function replied "
                        + (reply == null ? "nothing" : new String(reply, StandardCharsets.UTF_8)));
            }
            tls = d.body().substring(expected.length() + 1);
        }

        /** CPU seconds so far of the function JVM: this process's child other than the server. */
        private double functionCpu() {
            return ProcessHandle.current().children()
                    .filter(p -> p.pid() != serverPid && p.info().command().orElse("").endsWith("/java"))
                    .map(p -> p.info().totalCpuDuration())
                    .flatMap(Optional::stream)
                    .mapToLong(Duration::toNanos)
                    .findFirst().orElseThrow(() -> new IllegalStateException("no function process")) / 1e9;
        }
    }

    /** Starts {@link RigServer} on {@code dir}; its first stdout line names the ports, closing its stdin stops it. */
    static Process startServer(Path dir, LocalCa ca) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), RigServer.class.getName(), "--root", dir.toString()));
        if (ca != null) {
            cmd.addAll(List.of("--keystore", ca.serverKeyStore().toString(), "--storepass", ca.password()));
        }
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void compress(String format, Path in, Path out) throws Exception {
        switch (format) {
            case "none" -> {
            }
            case "snappy" -> {
                try (OutputStream os = new SnappyFramedOutputStream(Files.newOutputStream(out))) {
                    Files.copy(in, os);
                }
            }
            default -> {
                String tool = switch (format) {
                    case "zstd" -> "zstd -3 -q -c";
                    case "gzip" -> "gzip -6 -c";
                    default -> "bzip2 -9 -c";
                };
                Process p = new ProcessBuilder("bash", "-c", tool + " < '" + in + "' > '" + out + "'")
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException(tool + " failed");
                }
            }
        }
    }

    private static String sizes(Path dir, List<String> formats) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String f : formats) {
            if (!f.equals("none")) {
                sb.append(String.format(Locale.ROOT, "%s %,d bytes; ", f, Files.size(dir.resolve("big" + SUFFIX.get(f)))));
            }
        }
        return sb.toString();
    }

    private static String seconds(double[] v) {
        return Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.2f", x)).toList().toString();
    }

    private static long crc32c(byte[] b, int n) {
        CRC32C c = new CRC32C();
        c.update(b, 0, n);
        return c.getValue();
    }

    private static double perGb(double seconds, long bytes) {
        return seconds / (bytes / 1e9);
    }
}
