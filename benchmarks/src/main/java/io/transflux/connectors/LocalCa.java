package io.transflux.connectors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away certificate authority made at run time with the JDK's {@code keytool} (no other tool needed): an RSA
 * 2048 CA, a server certificate it signs for {@code IP:127.0.0.1} and {@code DNS:localhost}, the server's PKCS12 key
 * store (alias {@code server}, full chain) and a PKCS12 trust store holding only the CA. A client trusts it through
 * the JDK's documented properties, {@link #trustOptions()}; nothing turns verification off.
 */
public record LocalCa(Path serverKeyStore, Path trustStore, String password) {

    /** Makes the CA and the server's certificate in {@code dir}. */
    public static LocalCa create(Path dir) throws IOException, InterruptedException {
        String pw = "changeit";
        Path ca = dir.resolve("ca.p12");
        Path caPem = dir.resolve("ca.pem");
        Path server = dir.resolve("server.p12");
        Path csr = dir.resolve("server.csr");
        Path serverPem = dir.resolve("server.pem");
        Path trust = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=transflux-bench-ca",
                "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign", "-validity", "2", "-keystore", ca.toString(),
                "-storetype", "PKCS12", "-storepass", pw);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", pw, "-file", caPem.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-validity", "2", "-keystore", server.toString(), "-storetype", "PKCS12", "-storepass", pw);
        keytool("-certreq", "-alias", "server", "-keystore", server.toString(), "-storepass", pw, "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", pw, "-infile", csr.toString(),
                "-outfile", serverPem.toString(), "-validity", "2", "-ext", "san=ip:127.0.0.1,dns:localhost",
                "-ext", "eku=serverAuth", "-ext", "ku:c=digitalSignature,keyEncipherment");
        // The CA first, so that keytool accepts the signed reply and stores the whole chain under "server".
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", server.toString(),
                "-storepass", pw);
        keytool("-importcert", "-alias", "server", "-file", serverPem.toString(), "-keystore", server.toString(),
                "-storepass", pw);
        keytool("-importcert", "-noprompt", "-alias", "transflux-bench-ca", "-file", caPem.toString(), "-keystore",
                trust.toString(), "-storetype", "PKCS12", "-storepass", pw);
        return new LocalCa(server, trust, pw);
    }

    /** The JDK system properties (JSSE reference guide) that make a JVM trust this CA, and only it. */
    public List<String> trustOptions() {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-Djavax.net.ssl.trustStorePassword=" + password);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + out.strip());
        }
    }
}
