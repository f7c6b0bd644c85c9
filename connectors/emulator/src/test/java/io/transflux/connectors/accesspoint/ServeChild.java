package io.transflux.connectors.accesspoint;

import java.nio.file.Path;

/**
 * {@code serve} in a child JVM for the load tests: {@code ServeChild <root> <pipeline>} starts a
 * {@link LocalAccessPoint} on 127.0.0.1 (any port) whose default access point runs {@code pipeline}, prints
 * {@code PORT <n>} on stdout and serves until its stdin closes (the parent ends it by closing the pipe or killing it).
 */
final class ServeChild {

    private ServeChild() {
    }

    public static void main(String[] args) throws Exception {
        try (LocalAccessPoint ap = LocalAccessPoint.builder().root(Path.of(args[0])).host("127.0.0.1").port(0)
                .defaultAccessPoint(AccessPointSpec.builder().pipeline(args[1]).build())
                .accessLog(line -> { }).start()) {
            System.out.println("PORT " + ap.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close the pipe
            }
        }
    }
}
