package io.transflux.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import io.transflux.pipeline.internal.secret.LogSafe;

/** Parsers and the redactor: total, and never revealing a query value, whatever the input. */
class HttpSourcePropertyTest {

    @Property(tries = 500)
    void redactionNeverRevealsAQueryValue(@ForAll("presignedUrls") String url) {
        String redacted = LogSafe.url(url);

        assertThat(redacted).doesNotContain("SECRET");
        assertThat(redacted).startsWith("https://");
    }

    @Property(tries = 1000)
    void redactionIsTotalAndPrintable(@ForAll String anything) {
        String redacted = LogSafe.url(anything);

        assertThat(redacted.length()).isLessThanOrEqualTo(LogSafe.MAX_RENDERED_CHARS + 3);
        assertThat(redacted.chars()).noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    @Property(tries = 500)
    void contentRangeRoundTrips(@ForAll @LongRange(max = 1L << 50) long first, @ForAll @LongRange(max = 1L << 40) long span,
            @ForAll @LongRange(max = 1L << 40) long slack) {
        ContentRange range = new ContentRange(first, first + span, first + span + 1 + slack);

        assertThat(ContentRange.parse(range.toString())).isEqualTo(range);
    }

    @Property(tries = 1000)
    void contentRangeParsingIsTotal(@ForAll String header) {
        ContentRange parsed = ContentRange.parse(header);

        if (parsed != null) {
            assertThat(parsed.first()).isBetween(0L, parsed.last());
        }
    }

    @Property(tries = 1000)
    void errorCodeScanIsTotal(@ForAll @Size(max = 200) byte[] prefix, @ForAll("codes") String code) {
        byte[] tail = ("<Error><Code>" + code + "</Code></Error>").getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = new byte[prefix.length + tail.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(tail, 0, body, prefix.length, tail.length);

        String found = SourceErrors.errorCode(body, body.length);

        if (found != null) {
            assertThat(found).matches("[A-Za-z0-9._-]{1,64}");
        }
    }

    @Provide
    Arbitrary<String> presignedUrls() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('-', '_', 'A', 'Z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> values = Arbitraries.strings().withCharRange('!', '~').ofMaxLength(40)
                .map(v -> "SECRET" + v.replace("&", "%26").replace("#", "%23"));
        Arbitrary<String> param = Combinators.combine(names, values).as((n, v) -> n + "=" + v);
        Arbitrary<List<String>> params = param.list().ofMinSize(1).ofMaxSize(6);
        Arbitrary<String> path = Arbitraries.strings().withCharRange('a', 'z').withChars('/', '%', '2', 'B', '+').ofMaxLength(30);
        return Combinators.combine(path, params)
                .as((p, ps) -> "https://ap-123456789012.s3-accesspoint.eu-west-1.amazonaws.com/" + p + "?" + String.join("&", ps));
    }

    @Provide
    Arbitrary<String> codes() {
        return Arbitraries.strings().ofMaxLength(80);
    }
}
