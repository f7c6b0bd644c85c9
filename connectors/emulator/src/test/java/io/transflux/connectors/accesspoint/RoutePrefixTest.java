package io.transflux.connectors.accesspoint;

import static org.assertj.core.api.Assertions.assertThat;
import static io.transflux.testing.ExternalTools.requireThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route prefix with no client setting: on 127.0.0.1 the route is {@code 127}, so boto3 with its default
 * configuration and the endpoint {@code http://0.0.1:PORT} sends the WGOR to {@code 127.0.0.1}.
 */
class RoutePrefixTest {

    @TempDir
    Path root;

    private static final String SCRIPT = String.join("\n",
            "import json, sys, boto3, urllib.request",
            "event = json.load(sys.stdin)",
            "ctx = event['getObjectContext']",
            "body = urllib.request.urlopen(ctx['inputS3Url']).read().decode('utf-8').upper()",
            "s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1',",
            "                  aws_access_key_id='transflux', aws_secret_access_key='transflux-local-secret')",
            "s3.write_get_object_response(Body=body, RequestRoute=ctx['outputRoute'], RequestToken=ctx['outputToken'])");

    @Test
    void boto3WithDefaultSettingsReachesServeWhenTheRouteIsPrefixedOntoEndpoint0001() throws Exception {
        requireThat(available(), "boto3 not installed: apt-get install python3-boto3");
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/k.txt"), "route prefix\n".repeat(100));
        int[] port = new int[1];
        try (FunctionServer fn = new FunctionServer(event -> {
                Process p = new ProcessBuilder("python3", "-c", SCRIPT, "http://0.0.1:" + port[0])
                        .redirectErrorStream(true).start();
                p.getOutputStream().write(FunctionServer.JSON.writeValueAsBytes(event));
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("boto3 function failed: " + out);
                }
            });
             LocalAccessPoint ap = LocalAccessPoint.builder().root(root).port(0).functionUrl(fn.url()).start()) {
            port[0] = ap.port();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ap.endpoint()
                    + "/b/k.txt")).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(fn.failures).isEmpty();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("route prefix\n".repeat(100).toUpperCase(Locale.ROOT));
        }
    }

    private static boolean available() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import boto3").start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
