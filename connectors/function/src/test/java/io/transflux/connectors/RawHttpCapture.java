package io.transflux.connectors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A wire-level HTTP/1.1 endpoint on 127.0.0.1 that accepts one request and parses it byte by byte from the
 * socket: request head, chunked body with its terminating zero-length chunk and trailer fields, or a
 * Content-Length body. It tells whether the body ended properly or the connection closed first; nothing
 * in between (no HTTP library) could hide either.
 */
public final class RawHttpCapture implements AutoCloseable {

    /** What arrived on the socket. Header and trailer names are lower-case. */
    public record Wire(String requestLine, Map<String, String> headers, long bodyBytes, boolean terminated,
            Map<String, String> trailers, String tail) {
    }

    private final ServerSocket server;
    private final CompletableFuture<Wire> result = new CompletableFuture<>();

    public RawHttpCapture() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "raw-http-capture");
        t.setDaemon(true);
        t.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public Wire await() throws Exception {
        return result.get(15, TimeUnit.SECONDS);
    }

    private void serve() {
        try (Socket s = server.accept()) {
            s.setSoTimeout(15_000);
            InputStream in = s.getInputStream();
            String requestLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
                int c = l.indexOf(':');
                headers.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
            }
            long body = 0;
            boolean terminated = false;
            Map<String, String> trailers = new LinkedHashMap<>();
            StringBuilder tail = new StringBuilder();
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                while (true) {
                    String size = line(in);
                    if (size == null) {
                        break;
                    }
                    long n = Long.parseLong(size.split(";")[0].trim(), 16);
                    if (n == 0) {
                        tail.append("0\r\n");
                        String l;
                        while ((l = line(in)) != null && !l.isEmpty()) {
                            tail.append(l).append("\r\n");
                            int c = l.indexOf(':');
                            trailers.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
                        }
                        terminated = l != null;
                        tail.append("\r\n");
                        break;
                    }
                    long read = skip(in, n);
                    body += read;
                    if (read < n || line(in) == null) {
                        break;
                    }
                }
            } else {
                long n = Long.parseLong(headers.getOrDefault("content-length", "0"));
                byte[] buf = in.readNBytes((int) Math.min(n, Integer.MAX_VALUE));
                body = buf.length;
                terminated = body == n;
            }
            if (terminated) {
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            result.complete(new Wire(requestLine, headers, body, terminated, trailers, tail.toString()));
        } catch (Exception e) {
            result.completeExceptionally(e);
        }
    }

    private static long skip(InputStream in, long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    /** A CRLF-terminated line, or null at end of stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (prev == '\r' && c == '\n') {
                byte[] a = b.toByteArray();
                return new String(a, 0, a.length - 1, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            prev = c;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
