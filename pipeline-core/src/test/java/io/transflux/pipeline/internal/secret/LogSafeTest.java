package io.transflux.pipeline.internal.secret;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LogSafeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com/k.txt?X-Amz-Signature=abc&x-id=GetObject"
            + "|https://ap-123456789012.s3-accesspoint.us-east-1.amazonaws.com/k.txt?X-Amz-Signature=***&x-id=***",
        "http://127.0.0.1:9000/b/a%2Bb?OSSAccessKeyId=LTAI&Expires=1&Signature=s%2Bg%3D"
            + "|http://127.0.0.1:9000/b/a%2Bb?OSSAccessKeyId=***&Expires=***&Signature=***",
        "https://user:pass@host.example/p?q=1#frag|https://***@host.example/p?q=***",
        "https://host.example/p|https://host.example/p",
        "https://host.example/p?|https://host.example/p?",
        "https://host.example/p?uploads&a=&&b=c|https://host.example/p?uploads=***&a=***&b=***",
        "not a url?token=abc|not a url?token=***",
        "user:pw@host/p?x=1|***@host/p?x=***",
    })
    void keepsSchemeHostPathAndNamesButMasksValues(String url, String expected) {
        assertThat(LogSafe.url(url)).isEqualTo(expected);
    }

    @Test
    void neutralisesControlCharactersAndCapsTheLength() {
        assertThat(LogSafe.url("http://h/p\r\nInjected: yes?a=b")).isEqualTo("http://h/p??Injected: yes?a=***");
        String longPath = "https://h/" + "p".repeat(2000) + "?token=secret";
        assertThat(LogSafe.url(longPath)).hasSize(LogSafe.MAX_RENDERED_CHARS + 3).endsWith("...")
                .doesNotContain("secret");
        assertThat(LogSafe.url(null)).isEqualTo("<no url>");
    }

    @Test
    void tokensBecomeAShortDigestThatCorrelatesWithoutRevealing() {
        assertThat(LogSafe.token("CANARYoutputToken")).startsWith("sha256:").hasSize("sha256:".length() + 8)
                .doesNotContain("CANARY").isEqualTo(LogSafe.token("CANARYoutputToken"))
                .isNotEqualTo(LogSafe.token("CANARYoutputToken2"));
        assertThat(LogSafe.token(null)).isEqualTo("<none>");
    }
}
