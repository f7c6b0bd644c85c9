package io.transflux.connectors;

import java.io.File;
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
import java.util.Optional;
import java.util.stream.Stream;

import io.transflux.connectors.accesspoint.AccessPointSpec;
import io.transflux.connectors.accesspoint.FunctionRuntimeSpec;
import io.transflux.connectors.accesspoint.LocalAccessPoint;

/**
 * Cold start as Lambda container images run Java: N fresh function JVMs, one after the other, each started through
 * the Runtime Interface Client against a loopback Runtime API, source and WGOR endpoint in this process (serve's RIC
 * mode), each serving one 100 KB {@code redact/pii} GetObject. Reports, per run, the time from process start to the end
 * of the WGOR (the caller has the last byte), the function process's CPU time, and (with {@code --classes}) the classes
 * it loaded. Not JMH: every sample is a new JVM. Usage (docs/benchmarks.md):
 *
 * <pre>java -cp benchmarks.jar io.transflux.connectors.ColdStartHarness --function-classpath CP [--runs N]
 *     [--java PATH] [--classes] [--] [JVM options for the function]</pre>
 */
public final class ColdStartHarness {

    private ColdStartHarness() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 7;
        String cp = null;
        Path java = null;
        boolean classes = false;
        List<String> jvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--function-classpath" -> cp = args[++i];
                case "--java" -> java = Path.of(args[++i]);
                case "--classes" -> classes = true;
                case "--" -> {
                    jvm.addAll(Arrays.asList(args).subList(i + 1, args.length));
                    i = args.length;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (cp == null) {
            throw new IllegalArgumentException("--function-classpath: required");
        }
        Path root = Files.createTempDirectory("transflux-coldstart-");
        Files.createDirectories(root.resolve("logs"));
        Files.write(root.resolve("logs/app.log"), object());
        List<Path> classpath = Stream.of(cp.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long[] wall = new long[runs];
        long[] cpu = new long[runs];
        long[] loaded = new long[runs];
        for (int r = 0; r < runs; r++) {
            List<String> opts = new ArrayList<>(jvm);
            Path classLog = root.resolve("classes-" + r + ".log");
            if (classes) {
                opts.add("-Xlog:class+load=info:file=" + classLog);
            }
            FunctionRuntimeSpec spec = FunctionRuntimeSpec.builder().classpath(classpath).javaCommand(java).jvmOptions(opts)
                    .build();
            long t0 = System.nanoTime();
            try (LocalAccessPoint ap = LocalAccessPoint.builder().root(root).port(0).accessLog(l -> { })
                    .defaultAccessPoint(AccessPointSpec.builder().name("pii-olap").pipeline("redact/pii").build())
                    .functionRuntime(spec).start()) {
                HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create(ap.endpoint() + "/logs/app.log"))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
                wall[r] = System.nanoTime() - t0;
                if (res.statusCode() != 200 || res.body().length != 100 * 1024
                        || new String(res.body(), StandardCharsets.UTF_8).contains("@example.com")) {
                    throw new IllegalStateException("run " + r + ": status " + res.statusCode() + ", " + res.body().length
                            + " bytes, not the redacted object");
                }
                cpu[r] = functionCpuNanos();
            }
            if (classes) {
                try (Stream<String> lines = Files.lines(classLog)) {
                    loaded[r] = lines.filter(l -> l.contains("source:")).count();
                }
            }
            System.out.printf("run %d: %d ms to end of WGOR, function CPU %d ms%s%n", r, wall[r] / 1_000_000,
                    cpu[r] / 1_000_000, classes ? ", " + loaded[r] + " classes" : "");
        }
        System.out.printf("median of %d: %d ms wall, %d ms function CPU%s  (java %s, options %s)%n", runs,
                median(wall) / 1_000_000, median(cpu) / 1_000_000, classes ? ", " + median(loaded) + " classes" : "",
                java == null ? System.getProperty("java.version") : java, jvm);
    }

    /** 100 KiB of log lines, each with an e-mail address for redact/pii to mask. */
    private static byte[] object() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 100 * 1024; i++) {
            sb.append("2026-12-03T10:00:00Z user").append(i).append("@example.com logged in from 10.0.0.").append(i % 250)
                    .append('\n');
        }
        return sb.substring(0, 100 * 1024).getBytes(StandardCharsets.UTF_8);
    }

    /** CPU time so far of the function JVM (this process's child running the RIC). */
    private static long functionCpuNanos() {
        return ProcessHandle.current().children()
                // The only child this harness starts is the function's java launcher.
                .filter(p -> p.info().command().orElse("").endsWith("/java"))
                .map(p -> p.info().totalCpuDuration())
                .flatMap(Optional::stream)
                .mapToLong(Duration::toNanos)
                .findFirst().orElse(-1);
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
