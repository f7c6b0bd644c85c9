package io.transflux.operators.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;

/** Output does not depend on chunking: any split points, inside tokens and multi-byte characters. */
class ChunkSplitPropertiesTest {

    private static final List<String> PIECES = List.of("jane.doe@example.com", "415-555-0134", "+44 20 7946 0958",
            "4111 1111 1111 1111", "123-45-6789", "10.47.150.57", "2001:db8::be39", "00:1a:2b:3c:4d:5e",
            "DE89 3704 0044 0532 0130 00", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "https://u:p@h.example.com:8443/x", "password=hunter2", "Zoë Ñúñez", "電話 ", "😀", " ", ", ", "\n",
            "{\"e\":\"", "\"}", "ORD-12345678", "1700000000.028", "@", "::", "\u00e9@", "\\\"", "12", "a");

    @Provide
    Arbitrary<byte[]> documents() {
        Arbitrary<byte[]> piece = Arbitraries.of(PIECES).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> junk = Arbitraries.bytes().array(byte[].class).ofMaxSize(4); // invalid UTF-8 too
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, piece), net.jqwik.api.Tuple.of(1, junk))
                .list().ofMinSize(10).ofMaxSize(250).map(ChunkSplitPropertiesTest::concat);
    }

    @Provide
    Arbitrary<int[]> cutFractions() {
        return Arbitraries.integers().between(0, 1000).array(int[].class).ofMaxSize(12);
    }

    @Property(tries = 300)
    void textOutputIsIndependentOfChunking(@ForAll("documents") byte[] doc, @ForAll("cutFractions") int[] cuts,
            @ForAll("modes") RedactionSpec spec) {
        byte[] whole = Scan.redact(spec, false, doc, new int[0], 65536);
        byte[] split = Scan.redact(spec, false, doc, cuts(doc, cuts), 512);
        assertThat(split).isEqualTo(whole);
    }

    @Property(tries = 200)
    void jsonOutputIsIndependentOfChunking(@ForAll("documents") byte[] doc, @ForAll("cutFractions") int[] cuts) {
        RedactionSpec spec = RedactionSpec.builder().onMalformedJson(RedactionSpec.OnMalformedJson.TEXT)
                .jsonFields("e").build();
        byte[] json = concat(List.of("{\"e\":\"x@y.com\",\"m\":\"".getBytes(StandardCharsets.UTF_8),
                new String(doc, StandardCharsets.UTF_8).replace("\"", "'").replace("\\", "/")
                        .getBytes(StandardCharsets.UTF_8), "\"}\n".getBytes(StandardCharsets.UTF_8)));
        byte[] whole = Scan.redact(spec, true, json, new int[0], 65536);
        byte[] split = Scan.redact(spec, true, json, cuts(json, cuts), 512);
        assertThat(split).isEqualTo(whole);
    }

    @Property(tries = 200)
    void bytesOutsideMatchesPassThroughUnchangedInMaskMode(@ForAll("documents") byte[] doc,
            @ForAll("cutFractions") int[] cuts) {
        byte[] out = Scan.redact(RedactionSpec.defaults(), false, doc, cuts(doc, cuts), 512);
        assertThat(out).hasSameSizeAs(doc);
        for (int i = 0; i < doc.length; i++) {
            if (out[i] != doc[i]) {
                assertThat(out[i]).isEqualTo((byte) '*');
            }
        }
    }

    @Provide
    Arbitrary<RedactionSpec> modes() {
        Arbitrary<RedactionMode> mode = Arbitraries.of(RedactionMode.class);
        Arbitrary<Integer> mask = Arbitraries.of((int) '*', (int) '#', 0x2588);
        return Combinators.combine(mode, mask).as((m, c) -> RedactionSpec.builder().mode(m).maskCharacter(c)
                .hmacKey("0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII)).allow("10.47.150.57").build());
    }

    private static int[] cuts(byte[] doc, int[] fractions) {
        int[] c = new int[fractions.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = (int) ((long) doc.length * fractions[i] / 1000);
        }
        Arrays.sort(c);
        return c;
    }

    static byte[] concat(List<byte[]> parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
