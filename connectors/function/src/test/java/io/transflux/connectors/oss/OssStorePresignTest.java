package io.transflux.connectors.oss;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.comm.SignVersion;
import org.junit.jupiter.api.Test;

/** {@link OssStore#presign}'s V1 query signature equals aliyun-sdk-oss's {@code generatePresignedUrl} (V1). */
class OssStorePresignTest {

    static Map<String, String> query(String url) {
        Map<String, String> q = new TreeMap<>();
        String raw = url.substring(url.indexOf('?') + 1);
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    void assertSameAsSdk(OssCredentials c) {
        Instant now = Instant.parse("2026-12-03T06:30:37Z");
        Duration expiry = Duration.ofMinutes(15);
        String endpoint = "https://oss-cn-hangzhou.aliyuncs.com";
        String ours = OssStore.create(endpoint, "cn-hangzhou", c).signer(OssSigner.V1)
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .presign("GET", "logs", "raw/a b+ü.gz", new TreeMap<>(), expiry);
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setSignatureVersion(SignVersion.V1);
        OSS sdk = c.securityToken() == null
                ? new OSSClientBuilder().build(endpoint, c.accessKeyId(), c.accessKeySecret(), conf)
                : new OSSClientBuilder().build(endpoint, c.accessKeyId(), c.accessKeySecret(), c.securityToken(), conf);
        try {
            URL theirs = sdk.generatePresignedUrl("logs", "raw/a b+ü.gz", Date.from(now.plus(expiry)));
            assertThat(query(ours)).isEqualTo(query(theirs.toString()));
            assertThat(ours.substring(0, ours.indexOf('?'))).isEqualTo(theirs.toString()
                    .substring(0, theirs.toString().indexOf('?')));
        } finally {
            sdk.shutdown();
        }
    }

    @Test
    void v1PresignedQueryEqualsTheSdks() {
        assertSameAsSdk(new OssCredentials("LTAI5tPresignTest", "presign-secret", null));
    }

    @Test
    void v1PresignedQueryEqualsTheSdksWithAnStsToken() {
        assertSameAsSdk(new OssCredentials("STS.NTest", "sts-secret", "CAIS+token/with=chars"));
    }
}
