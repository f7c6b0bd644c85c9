package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UrlRedactorTest {

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
        assertThat(UrlRedactor.redact(url)).isEqualTo(expected);
    }

    @Test
    void neutralisesControlCharactersAndCapsTheLength() {
        assertThat(UrlRedactor.redact("http://h/p\r\nInjected: yes?a=b")).isEqualTo("http://h/p??Injected: yes?a=***");
        String longPath = "https://h/" + "p".repeat(2000) + "?token=secret";
        assertThat(UrlRedactor.redact(longPath)).hasSize(UrlRedactor.MAX_RENDERED_CHARS + 3).endsWith("...")
                .doesNotContain("secret");
        assertThat(UrlRedactor.redact(null)).isEqualTo("<no url>");
    }
}
