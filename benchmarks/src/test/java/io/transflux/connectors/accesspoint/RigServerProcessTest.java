package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.transflux.connectors.LocalCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The billed-CPU rig's server process, started as the rig starts it (not a benchmark; nothing is timed): it serves a
 * range of an object and accepts a WGOR over plain HTTP and over HTTPS, where the client trusts only the CA the rig
 * made at run time.
 */
class RigServerProcessTest {

    @TempDir
    static Path dir;
    static byte[] object;
    static LocalCa ca;
    static Process server;
    static int httpPort;
    static int httpsPort;
    static HttpClient plain;
    static HttpClient tls;

    @BeforeAll
    static void start() throws Exception {
        object = new byte[1 << 20];
        new SplittableRandom(7).nextBytes(object);
        Files.write(dir.resolve("obj"), object);
        ca = LocalCa.create(dir);
        server = BilledCpuRig.startServer(dir, ca);
        String[] ports = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII))
                .readLine().split(" ");
        httpPort = Integer.parseInt(ports[2]);
        httpsPort = Integer.parseInt(ports[4]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ca.trustStore())) {
            trust.load(in, ca.password().toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        tls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.getOutputStream().close();
            assertThat(server.waitFor(20, TimeUnit.SECONDS)).as("server exits once its stdin closes").isTrue();
        }
    }

    @Test
    void servesOneRangeOfAnObjectOverHttpsTrustingOnlyTheRunTimeCa() throws Exception {
        HttpResponse<byte[]> r = tls.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort + "/o/obj?X-Amz-Signature=00"))
                .header("Range", "bytes=1000-70999").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 1000-70999/" + object.length);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(object, 1000, 71000));
    }

    @Test
    void servesTheWholeObjectOverHttp() throws Exception {
        HttpResponse<byte[]> r = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/o/obj")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(object);
    }

    @Test
    void acceptsAWgorOverHttpsAndReportsItsBytesChecksumAndCipher() throws Exception {
        byte[] body = Arrays.copyOf(object, 300_000);
        HttpResponse<String> w = tls.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort
                        + "/WriteGetObjectResponse")).header("x-amz-request-token", "t-https").header("x-amz-fwd-status", "200")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> d = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/_rig/delivery/t-https")).build(), HttpResponse.BodyHandlers.ofString());

        CRC32C crc = new CRC32C();
        crc.update(body);
        assertThat(w.statusCode()).isEqualTo(200);
        assertThat(d.statusCode()).isEqualTo(200);
        assertThat(d.body()).isEqualTo("300000 " + Long.toHexString(crc.getValue()) + " 200 TLSv1.3 TLS_AES_256_GCM_SHA384");
    }

    @Test
    void answers404ForADeliveryItNeverSaw() throws Exception {
        HttpResponse<String> d = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/_rig/delivery/unknown")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(d.statusCode()).isEqualTo(404);
    }
}
