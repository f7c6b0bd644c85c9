package io.transflux.connectors.oss;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.common.auth.DefaultCredentials;
import com.aliyun.oss.common.comm.RequestMessage;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.internal.signer.OSSSignerBase;
import com.aliyun.oss.internal.signer.OSSSignerParams;
import io.transflux.connectors.InvocationOutcome;
import io.transflux.connectors.LocalSource;
import io.transflux.connectors.ObjectLambdaFunction;
import io.transflux.connectors.PayloadPolicy;
import io.transflux.connectors.TestHttpSource;
import io.transflux.connectors.TestStages;
import io.transflux.connectors.WgorEndpoint;
import io.transflux.connectors.http.HttpDate;
import io.transflux.pipeline.Pipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OSS Object FC function end to end against a local WGOR endpoint that recomputes each request's V1 or V4
 * signature with aliyun-sdk-oss's signer (the SDK re-signs the received headers; its date header is pinned by
 * signing with the received date's tick offset) and compares Authorization.
 */
class OssObjectFcTest {

    static final OssCredentials CREDS = new OssCredentials("LTAI5tCANARY", "CANARYsecret", "CANARYsts");
    static final String ROUTE = "fc-ap-01-opap.oss-cn-qingdao-internal.oss-object-process.aliyuncs.com";
    static final String TOKEN = "OSSV1#CANARYtoken";

    LocalSource source;
    WgorEndpoint wgor;

    @BeforeEach
    void start() {
        source = new LocalSource();
        wgor = new WgorEndpoint().verifier(OssObjectFcTest::sdkVerifies);
    }

    @AfterEach
    void stop() {
        source.close();
        wgor.close();
    }

    /** Re-signs the received request with the SDK at the request's own time and compares Authorization. */
    static boolean sdkVerifies(WgorEndpoint.Request r) {
        try {
            String auth = r.headers().get("authorization");
            boolean v4 = auth.startsWith("OSS4-HMAC-SHA256");
            RequestMessage m = new RequestMessage(null, null);
            m.setMethod(HttpMethod.POST);
            m.setEndpoint(URI.create("https://" + ROUTE));
            m.setResourcePath("/");
            Map<String, String> h = new LinkedHashMap<>();
            r.headers().forEach((k, v) -> {
                if (k.startsWith("x-oss-") || k.equals("content-type") || k.equals("content-md5")) {
                    h.put(k, v);
                }
            });
            h.remove("x-oss-date");
            h.remove("x-oss-content-sha256");
            h.remove("x-oss-security-token");
            m.setHeaders(h);
            Map<String, String> params = new LinkedHashMap<>();
            params.put(OssSigner.SUBRESOURCE, null);
            m.setParameters(params);
            long when = v4 ? java.time.LocalDateTime.parse(r.headers().get("x-oss-date"),
                    java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                    .toInstant(java.time.ZoneOffset.UTC).toEpochMilli()
                    : java.util.Objects.requireNonNull(HttpDate.parse(r.headers().get("date"))).toEpochMilli();
            OSSSignerParams p = new OSSSignerParams("/", new DefaultCredentials(CREDS.accessKeyId(),
                    CREDS.accessKeySecret(), r.headers().get("x-oss-security-token")));
            p.setProduct("oss");
            p.setRegion("cn-qingdao");
            p.setTickOffset(when - System.currentTimeMillis());
            OSSSignerBase.createRequestSigner(v4 ? SignVersion.V4 : SignVersion.V1, p).sign(m);
            return auth.equals(m.getHeaders().get("Authorization"));
        } catch (Exception e) {
            return false;
        }
    }

    OssObjectFc fc(Pipeline p, OssSigner signer) {
        return fc(p, signer, Clock.systemUTC());
    }

    OssObjectFc fc(Pipeline p, OssSigner signer, Clock clock) {
        ObjectLambdaFunction fn = ObjectLambdaFunction.builder().payloadPolicy(PayloadPolicy.APPLY).pipeline(p).sourceOpener(new TestHttpSource()).build();
        return OssObjectFc.create(fn, OssWgorClient.create(CREDS).endpointOverride(wgor.base()).signer(signer).clock(clock));
    }

    String event(String url, String route, String extra) {
        return "{\"getObjectContext\":{\"inputOssUrl\":\"" + url + "\",\"outputRoute\":\"" + route
                + "\",\"outputToken\":\"" + TOKEN + "\"}" + extra + ",\"newField\":true}";
    }

    InvocationOutcome run(OssObjectFc fc, String event) {
        InvocationOutcome o = fc.handle(event.getBytes(StandardCharsets.UTF_8)).block(Duration.ofSeconds(30));
        assertThat(o).isNotNull();
        assertThat(o.toString()).doesNotContain("CANARY");
        return o;
    }

    static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.transflux.connectors.http.CalendarDays#oneAndTwoDigitDays")
    void getObjectIsAnsweredWithAV4SignedWgorTheSdkAccepts(String label, Clock clock, String imfFixdate) throws Exception {
        byte[] body = data(100_000);
        source.put("/o", body, Map.of("Content-Type", "image/png"));

        InvocationOutcome o = run(fc(Pipeline.empty(), OssSigner.V4, clock), event(source.presigned("/o", "host"), ROUTE, ""));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.signatureValid()).isTrue();
        assertThat(c.uri()).isEqualTo("/?x-oss-write-get-object-response");
        assertThat(c.header("x-oss-request-route")).isEqualTo(ROUTE);
        assertThat(c.header("x-oss-request-token")).isEqualTo(TOKEN);
        assertThat(c.header("x-oss-fwd-status")).isEqualTo("200");
        assertThat(c.header("x-oss-fwd-header-content-type")).isEqualTo("image/png");
        assertThat(c.header("x-oss-security-token")).isEqualTo("CANARYsts");
        assertThat(c.header("content-length")).isEqualTo("100000");
        assertThat(c.body()).isEqualTo(body);
        assertThat(o.delivery()).isEqualTo(InvocationOutcome.Delivery.SENT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.transflux.connectors.http.CalendarDays#oneAndTwoDigitDays")
    void v1SignedWgorIsAcceptedByTheSdkAndUnknownLengthIsSpooledForContentLength(String label, Clock clock,
            String imfFixdate) throws Exception {
        byte[] body = data(70_000);
        source.putChunked("/o", body, Map.of());

        run(fc(TestStages.unknownLength(), OssSigner.V1, clock), event(source.presigned("/o", "host"), ROUTE, ""));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("date")).isEqualTo(imfFixdate);
        assertThat(c.signatureValid()).isTrue();
        assertThat(c.header("authorization")).startsWith("OSS LTAI5tCANARY:");
        assertThat(c.header("content-length")).isEqualTo("70000");
        assertThat(c.header("transfer-encoding")).isNull();
        assertThat(c.body()).isEqualTo(body);
    }

    @Test
    void sourceNotFoundBecomes404WithAnXmlErrorBody() throws Exception {
        source.putError("/none", 404, "NoSuchKey");

        run(fc(Pipeline.empty(), OssSigner.V4), event(source.presigned("/none", "host"), ROUTE, ""));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.signatureValid()).isTrue();
        assertThat(c.header("x-oss-fwd-status")).isEqualTo("404");
        assertThat(new String(c.body(), StandardCharsets.UTF_8)).contains("<Code>NoSuchKey</Code>");
    }

    @Test
    void callerRangeInUserRequestHeadersIsHonoured() throws Exception {
        source.put("/o", data(100), Map.of());

        run(fc(Pipeline.empty(), OssSigner.V4), event(source.presigned("/o", "host"), ROUTE,
                ",\"userRequest\":{\"headers\":{\"Range\":\"bytes=-10\"}}"));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.header("x-oss-fwd-status")).isEqualTo("206");
        assertThat(c.header("x-oss-fwd-header-content-range")).isEqualTo("bytes 90-99/100");
        assertThat(c.bodyBytes()).isEqualTo(10);
    }

    @Test
    void malformedEventWithRouteAndTokenIsAnsweredWith400() throws Exception {
        run(fc(Pipeline.empty(), OssSigner.V4), event("ftp://x", ROUTE, ""));

        WgorEndpoint.Capture c = wgor.take();
        assertThat(c.signatureValid()).isTrue();
        assertThat(c.header("x-oss-fwd-status")).isEqualTo("400");
        assertThat(new String(c.body(), StandardCharsets.UTF_8)).contains("<Code>InvalidRequest</Code>");
    }

    @Test
    void foreignRouteIsRefusedWithoutSendingASignedRequest() throws Exception {
        OssWgorClient production = OssWgorClient.create(CREDS);

        assertThat(production.permitsRoute(ROUTE)).isTrue();
        assertThat(production.permitsRoute("evil.example.com")).isFalse();
        assertThat(production.permitsRoute("x-opap.oss-cn-qingdao.oss-object-process.aliyuncs.com.evil.com")).isFalse();
        assertThat(production.regionFor(ROUTE)).isEqualTo("cn-qingdao");
        ObjectLambdaFunction fn = ObjectLambdaFunction.builder().payloadPolicy(PayloadPolicy.APPLY).sourceOpener(new TestHttpSource()).build();
        InvocationOutcome o = run(OssObjectFc.create(fn, production), event(source.presigned("/o", "host"), "evil.example.com", ""));

        assertThat(o.delivery()).isEqualTo(InvocationOutcome.Delivery.NONE);
        assertThat(source.requests).isEmpty();
    }
}
