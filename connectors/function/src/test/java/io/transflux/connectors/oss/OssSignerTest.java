package io.transflux.connectors.oss;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import com.aliyun.oss.HttpMethod;
import com.aliyun.oss.common.auth.DefaultCredentials;
import com.aliyun.oss.common.comm.RequestMessage;
import com.aliyun.oss.common.comm.SignVersion;
import com.aliyun.oss.internal.signer.OSSSignerBase;
import com.aliyun.oss.internal.signer.OSSSignerParams;
import io.transflux.connectors.http.HttpDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our V1 and V4 signatures equal aliyun-sdk-oss 3.18.5's on identical WriteGetObjectResponse requests (the SDK
 * signs first with the current time; ours then signs the same headers at the time the SDK used).
 */
class OssSignerTest {

    static final OssCredentials STS = new OssCredentials("LTAI5tCANARY", "CANARYsecret", "CANARYstsToken");
    static final OssCredentials PLAIN = new OssCredentials("LTAI5tCANARY", "CANARYsecret", null);

    static Map<String, String> wgorHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/octet-stream");
        h.put("x-oss-request-route", "ap-1-opap.oss-cn-qingdao-internal.oss-object-process.aliyuncs.com");
        h.put("x-oss-request-token", "OSSV1#CANARYtoken+/=");
        h.put("x-oss-fwd-status", "200");
        h.put("x-oss-fwd-header-Content-Type", "image/png");
        h.put("x-oss-fwd-header-ETag", " \"abc\" ");
        return h;
    }

    /** Signs with the SDK, its clock moved to {@code at} (the SDK reads the system clock plus a tick offset). */
    static Map<String, String> sdkSign(SignVersion version, OssCredentials c, Instant at) throws Exception {
        RequestMessage m = new RequestMessage(null, null);
        m.setMethod(HttpMethod.POST);
        m.setEndpoint(URI.create("https://ap-1-opap.oss-cn-qingdao-internal.oss-object-process.aliyuncs.com"));
        m.setResourcePath("/");
        m.setHeaders(new LinkedHashMap<>(wgorHeaders()));
        Map<String, String> params = new LinkedHashMap<>();
        params.put(OssSigner.SUBRESOURCE, null);
        m.setParameters(params);
        OSSSignerParams p = new OSSSignerParams("/", c.securityToken() == null
                ? new DefaultCredentials(c.accessKeyId(), c.accessKeySecret())
                : new DefaultCredentials(c.accessKeyId(), c.accessKeySecret(), c.securityToken()));
        p.setProduct("oss");
        p.setRegion("cn-qingdao");
        p.setTickOffset(at.toEpochMilli() - System.currentTimeMillis());
        OSSSignerBase.createRequestSigner(version, p).sign(m);
        return m.getHeaders();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.transflux.connectors.http.CalendarDays#oneAndTwoDigitDays")
    void v1SignatureEqualsTheSdksWithAnStsToken(String label, Clock clock, String imfFixdate) throws Exception {
        for (OssCredentials c : new OssCredentials[] {STS, PLAIN}) {
            Map<String, String> sdk = sdkSign(SignVersion.V1, c, clock.instant());
            // The SDK's clock ran on for a moment after the pin: same day, perhaps a later second.
            assertThat(sdk.get("Date")).startsWith(imfFixdate.substring(0, 17));
            Instant at = HttpDate.parse(sdk.get("Date"));

            Map<String, String> ours = wgorHeaders();
            OssSigner.V1.sign(ours, c, "cn-qingdao", at);

            assertThat(ours.get("Date")).isEqualTo(sdk.get("Date"));
            assertThat(ours.get("Authorization")).startsWith("OSS LTAI5tCANARY:").isEqualTo(sdk.get("Authorization"));
            assertThat(ours.get("x-oss-security-token")).isEqualTo(c.securityToken());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.transflux.connectors.http.CalendarDays#oneAndTwoDigitDays")
    void v4SignatureEqualsTheSdksWithAnStsToken(String label, Clock clock, String imfFixdate) throws Exception {
        for (OssCredentials c : new OssCredentials[] {STS, PLAIN}) {
            Map<String, String> sdk = sdkSign(SignVersion.V4, c, clock.instant());
            Instant at = java.time.LocalDateTime.parse(sdk.get("x-oss-date"),
                    DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")).toInstant(ZoneOffset.UTC);

            Map<String, String> ours = wgorHeaders();
            OssSigner.V4.sign(ours, c, "cn-qingdao", at);

            assertThat(ours.get("Authorization")).startsWith("OSS4-HMAC-SHA256 Credential=LTAI5tCANARY/")
                    .isEqualTo(sdk.get("Authorization"));
            assertThat(ours.get("x-oss-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
        }
    }
}
