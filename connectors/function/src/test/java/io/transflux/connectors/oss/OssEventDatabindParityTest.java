package io.transflux.connectors.oss;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.transflux.connectors.DatabindOracle;
import io.transflux.connectors.EventJson;
import io.transflux.connectors.MalformedEventException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link OssObjectFc#parse} reads the OSS Object FC event with Jackson's streaming parser; it gives exactly what the
 * databind reader it replaced gave (kept here as the oracle): the same event, header order included, or the same
 * failure with the same route and token.
 */
class OssEventDatabindParityTest {

    private static final ObjectMapper MAPPER = DatabindOracle.eventMapper();

    private static final String GET = "\"getObjectContext\":{\"inputOssUrl\":\"https://b.oss-cn-hangzhou.aliyuncs.com/k?Signature=s\","
            + "\"outputRoute\":\"fc-route\",\"outputToken\":\"tok\"}";

    static List<String> events() {
        return List.of(
                "{" + GET + "}",
                "{\"requestId\":\"r\"," + GET + ",\"userRequest\":{\"url\":\"https://x/k\",\"headers\":{\"B\":\"1\","
                        + "\"A\":[\"x\",\"y\"],\"C\":null,\"B\":\"2\"}},\"configuration\":{\"payload\":\"{}\"},\"x\":[1,{}]}",
                "{" + GET + "} trailing", "{" + GET + ",\"requestId\":5}", "{" + GET + ",\"requestId\":[\"r\"]}",
                "{\"getObjectContext\":\"\"}", "{\"getObjectContext\":[]}", "{\"getObjectContext\":null}", "{}",
                "{\"getObjectContext\":{\"inputOssUrl\":\"https://x\",\"outputRoute\":\"r\",\"outputToken\":1}}",
                "{\"getObjectContext\":{\"inputOssUrl\":\"ftp://x\",\"outputRoute\":\"r\",\"outputToken\":\"t\"}}",
                "{\"getObjectContext\":{\"outputRoute\":\"r\",\"outputToken\":\"t\"}}",
                "{\"getObjectContext\":{\"inputOssUrl\":\"https://x\",\"outputRoute\":\"\",\"outputToken\":\"t\"}}",
                "{" + GET + ",\"userRequest\":{\"headers\":{\"A\":1}}}", "{" + GET + ",\"userRequest\":{\"headers\":[]}}",
                "{" + GET + ",\"userRequest\":7}", "{" + GET + ",\"configuration\":{\"payload\":{}}}",
                "{" + GET + ",\"userRequest\":{\"url\":\"" + "u".repeat(30_000) + "\"}}",
                "{" + GET, "[]", "null", "", "\"s\"");
    }

    @ParameterizedTest
    @MethodSource("events")
    void streamingReaderAgreesWithTheDatabindReader(String event) {
        byte[] json = event.getBytes(StandardCharsets.UTF_8);
        assertThat(outcome(() -> OssObjectFc.parse(json))).isEqualTo(outcome(() -> databind(json)));
    }

    private interface Parse {
        OssObjectFcEvent run();
    }

    private static Object outcome(Parse p) {
        try {
            OssObjectFcEvent e = p.run();
            Map<String, String> h = e.userRequest() == null ? null : e.userRequest().headers();
            return List.of(e, Objects.toString(h == null ? null : List.copyOf(h.entrySet())));
        } catch (MalformedEventException e) {
            return List.of("malformed", e.getMessage(), Objects.toString(e.outputRoute()), Objects.toString(e.outputToken()));
        }
    }

    /** The reader OssObjectFc had before the streaming one. */
    private static OssObjectFcEvent databind(byte[] json) {
        JsonNode tree = EventJson.readObject(MAPPER, json);
        JsonNode ctx = tree.path("getObjectContext");
        String route = ctx.path("outputRoute").isTextual() ? ctx.path("outputRoute").asText() : null;
        String token = ctx.path("outputToken").isTextual() ? ctx.path("outputToken").asText() : null;
        OssObjectFcEvent e;
        try {
            e = MAPPER.treeToValue(tree, OssObjectFcEvent.class);
        } catch (IOException ex) {
            throw new MalformedEventException("event: a field has the wrong type", route, token);
        }
        OssObjectFcEvent.GetObjectContext g = e.getObjectContext();
        if (g == null) {
            throw new MalformedEventException("getObjectContext: required, missing", null, null);
        }
        for (String[] f : new String[][] {{"getObjectContext.outputRoute", g.outputRoute()},
                {"getObjectContext.outputToken", g.outputToken()}, {"getObjectContext.inputOssUrl", g.inputOssUrl()}}) {
            if (f[1] == null || f[1].isEmpty()) {
                throw new MalformedEventException(f[0] + ": required, missing", route, token);
            }
        }
        if (!(g.inputOssUrl().startsWith("https://") || g.inputOssUrl().startsWith("http://"))) {
            throw new MalformedEventException("getObjectContext.inputOssUrl: expected an absolute http(s) URL", route, token);
        }
        return e;
    }
}
