package io.transflux.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code transflux serve} in a child JVM (its own heap cap), on a free port; the banner gives the endpoint. */
final class ServeProcess implements AutoCloseable {

    private static final Pattern URL = Pattern.compile("transflux serve: (http://127\\.0\\.0\\.1:\\d+)");
    final Process process;
    final String endpoint;
    final Path stderr;
    /** The banner: stdout lines up to and including the one naming the endpoint, then the rest as they come. */
    final List<String> banner = new java.util.concurrent.CopyOnWriteArrayList<>();

    ServeProcess(String heap, Path stderr, String... args) throws IOException {
        this(heap, stderr, java.util.Map.of(), args);
    }

    /** With {@code env} changes: a null value removes the variable. */
    ServeProcess(String heap, Path stderr, java.util.Map<String, String> env, String... args) throws IOException {
        this.stderr = stderr;
        List<String> cmd = new ArrayList<>(List.of(args).contains("--port")
                ? ChildJvm.command(List.of("-Xmx" + heap), "serve")
                : ChildJvm.command(List.of("-Xmx" + heap), "serve", "--port", "0"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        process = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String found = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line;
        while (found == null && System.nanoTime() < deadline && (line = out.readLine()) != null) {
            banner.add(line);
            Matcher m = URL.matcher(line);
            if (m.find()) {
                found = m.group(1);
            }
        }
        if (found == null) {
            process.destroyForcibly();
            throw new IOException("serve did not start; stderr: " + java.nio.file.Files.readString(stderr));
        }
        endpoint = found;
        Thread drain = new Thread(() -> {
            try {
                String l;
                while ((l = out.readLine()) != null) {
                    banner.add(l);
                }
            } catch (IOException e) {
                // process ended
            }
        }, "serve-stdout");
        drain.setDaemon(true);
        drain.start();
    }

    /** Whether {@code command} runs (e.g. {@code aws --version}). */
    static boolean available(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
