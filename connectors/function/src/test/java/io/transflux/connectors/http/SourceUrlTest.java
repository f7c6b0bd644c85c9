package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceUrlTest {

    private static final HttpSourceSpec SPEC = HttpSourceSpec.builder().build();

    @Test
    void readsSignedHeadersDecodedSplitAndLowerCased() {
        assertThat(SourceUrl.signedHeaders("X-Amz-SignedHeaders=host%3BX-Amz-Checksum-Mode%3Bx-amz-request-payer&a=b"))
                .containsExactly("host", "x-amz-checksum-mode", "x-amz-request-payer");
        assertThat(SourceUrl.signedHeaders("x-amz-signedheaders=host;range")).containsExactly("host", "range");
        assertThat(SourceUrl.signedHeaders("a=b")).isEmpty();
        assertThat(SourceUrl.signedHeaders(null)).isEmpty();
        assertThat(SourceUrl.signedHeaders("X-Amz-SignedHeaders=%ZZ")).isEmpty();
    }

    @Test
    void keepsTheRawStringAndRedactsForDisplay() {
        String raw = "https://b.s3.us-east-1.amazonaws.com/a%2Bb%20c?X-Amz-Signature=s1g&x=a+b";
        SourceUrl url = SourceUrl.parse(raw, SPEC);

        assertThat(url.raw()).isSameAs(raw);
        assertThat(url.host()).isEqualTo("b.s3.us-east-1.amazonaws.com");
        assertThat(url.redacted()).isEqualTo("https://b.s3.us-east-1.amazonaws.com/a%2Bb%20c?X-Amz-Signature=***&x=***");
        assertThat(url).hasToString(url.redacted());
    }

    @Test
    void scrubsTheUrlAndItsQueryValuesFromFreeText() {
        SourceUrl url = SourceUrl.parse("https://h.example/o?X-Amz-Security-Token=tok%2Bmore&X-Amz-Signature=abcdef&n=1", SPEC);

        assertThat(url.scrub("GET https://h.example/o?X-Amz-Security-Token=tok%2Bmore&X-Amz-Signature=abcdef&n=1 failed"))
                .isEqualTo("GET " + url.redacted() + " failed");
        assertThat(url.scrub("token tok+more, raw tok%2Bmore, sig abcdef, n=1"))
                .isEqualTo("token ***, raw ***, sig ***, n=1");
    }
}
