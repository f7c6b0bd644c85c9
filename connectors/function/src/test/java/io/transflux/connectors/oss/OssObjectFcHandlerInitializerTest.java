package io.transflux.connectors.oss;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.transflux.connectors.HttpSourceOpener;
import io.transflux.connectors.LocalSource;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.WgorEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Function Compute life cycle: the instance runs the initializer once, offline, then handles events. A real
 * store and a real WGOR endpoint (checking signatures with the OSS SDK's signer) run on 127.0.0.1.
 */
class OssObjectFcHandlerInitializerTest {

    static final String BODY = "{\"user\":\"jane\",\"email\":\"jane.doe@example.com\",\"n\":1}\n";

    LocalSource source;
    WgorEndpoint wgor;

    @BeforeEach
    void start() {
        source = new LocalSource();
        wgor = new WgorEndpoint().verifier(OssObjectFcTest::sdkVerifies);
        source.put("/o", BODY.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
    }

    @AfterEach
    void stop() {
        source.close();
        wgor.close();
    }

    @Test
    void initializerPrimesOfflineThenTheFirstEventIsAnswered() throws Exception {
        OssObjectFcHandler handler = new OssObjectFcHandler(Map.of(
                "ALIBABA_CLOUD_ACCESS_KEY_ID", OssObjectFcTest.CREDS.accessKeyId(),
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET", OssObjectFcTest.CREDS.accessKeySecret(),
                "ALIBABA_CLOUD_SECURITY_TOKEN", OssObjectFcTest.CREDS.securityToken(),
                OssWgorClient.ENDPOINT_ENV, wgor.base(),
                HttpSourceOpener.ALLOW_ENV, "127.0.0.1",
                ObjectLambdaFunction.PIPELINE_ENV, "redact/pii"));

        handler.initialize(null);

        assertThat(source.acceptedConnections()).as("the initializer does not reach the store").isZero();
        assertThat(wgor.acceptedConnections()).as("nor the WGOR endpoint").isZero();

        String event = "{\"getObjectContext\":{\"inputOssUrl\":\"" + source.presigned("/o", "host")
                + "\",\"outputRoute\":\"" + OssObjectFcTest.ROUTE + "\",\"outputToken\":\"" + OssObjectFcTest.TOKEN
                + "\"}}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"statusCode\":200}");
        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.signatureValid()).isTrue();
        assertThat(c.header("x-oss-fwd-status")).isEqualTo("200");
        String written = new String(c.body(), StandardCharsets.UTF_8);
        assertThat(written).contains("\"user\":\"jane\"").doesNotContain("jane.doe@example.com");
    }
}
