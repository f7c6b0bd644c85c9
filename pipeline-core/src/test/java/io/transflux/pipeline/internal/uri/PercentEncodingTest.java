package io.transflux.pipeline.internal.uri;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import org.junit.jupiter.api.Test;

class PercentEncodingTest {

    @Test
    void unreservedCharactersStayAndEverythingElseIsUpperCaseHexOfUtf8() {
        assertThat(PercentEncoding.encode("AZaz09-._~")).isEqualTo("AZaz09-._~");
        assertThat(PercentEncoding.encode("a b+c*d/e%f")).isEqualTo("a%20b%2Bc%2Ad%2Fe%25f");
        assertThat(PercentEncoding.encode("é€😀")).isEqualTo("%C3%A9%E2%82%AC%F0%9F%98%80");
        assertThat(PercentEncoding.encode("=&?#")).isEqualTo("%3D%26%3F%23");
    }

    @Test
    void pathEncodingKeepsSlashesOnly() {
        assertThat(PercentEncoding.encodePath("dir/sub dir/k~1*.txt")).isEqualTo("dir/sub%20dir/k~1%2A.txt");
        assertThat(PercentEncoding.encode("dir/k", true)).isEqualTo("dir/k");
        assertThat(PercentEncoding.encode("dir/k", false)).isEqualTo("dir%2Fk");
    }

    @Property
    void decodingGivesBackTheTextAndOnlyUnreservedAsciiAndPercentTriplesRemain(
            @ForAll @CharRange(from = 0x20, to = 0x7e) @CharRange(from = 0xa0, to = 0xd7ff)
            @Chars({'/', ' ', '+'}) String s) {
        String e = PercentEncoding.encode(s);
        assertThat(e).matches("([A-Za-z0-9._~-]|%[0-9A-F]{2})*");
        assertThat(URLDecoder.decode(e, StandardCharsets.UTF_8)).isEqualTo(s);
    }
}
