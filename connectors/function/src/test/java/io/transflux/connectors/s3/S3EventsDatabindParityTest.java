package io.transflux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.transflux.connectors.DatabindOracle;
import io.transflux.connectors.EventJson;
import io.transflux.connectors.MalformedEventException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming event reader ({@link S3Events#parse}) gives exactly what the databind reader it replaced gave
 * (kept here as the oracle, with the annotations still on {@link S3ObjectLambdaEvent}): the same event, header
 * order included, or the same failure with the same answerable route and token; and replies serialise as an
 * {@link ObjectMapper} wrote them.
 */
class S3EventsDatabindParityTest {

    private static final ObjectMapper MAPPER = DatabindOracle.eventMapper();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(S3Events.MAX_FIELD_CHARS).maxNestingDepth(32).build());
    }

    private static final String GET = "\"getObjectContext\":{\"inputS3Url\":\"https://b.s3.amazonaws.com/k?X-Amz-Signature=s\","
            + "\"outputRoute\":\"io-route\",\"outputToken\":\"tok\"}";

    static List<String> events() {
        List<String> e = new ArrayList<>(List.of(
                "{\"protocolVersion\":\"1.00\"," + GET + "}",
                "{\"xAmzRequestId\":\"r\",\"protocolVersion\":\"1.00\"," + GET + ",\"userRequest\":{\"url\":\"https://x/k\","
                        + "\"headers\":{\"B\":\"1\",\"A\":[\"x\",\"y\"],\"C\":null,\"B\":\"2\",\"D\":[]}},"
                        + "\"userIdentity\":{\"type\":\"IAMUser\",\"accountId\":\"1\",\"extra\":[1,{}]},"
                        + "\"configuration\":{\"payload\":\"{}\",\"accessPointArn\":\"arn\"},\"unknown\":{\"deep\":[true,null,1.5]}}",
                "{\"protocolVersion\":\"1.00\",\"headObjectContext\":{\"inputS3Url\":\"https://x/k\"}}",
                "{\"protocolVersion\":\"1.00\",\"listObjectsContext\":{\"inputS3Url\":\"http://x/k\"}}",
                "{\"protocolVersion\":\"1.00\",\"listObjectsV2Context\":{\"inputS3Url\":\"https://x/k\"}}",
                "{\"protocolVersion\":\"1.00\"," + GET + "} trailing garbage",
                "{\"protocolVersion\":\"1.00\"," + GET + ",\"protocolVersion\":\"2.0\"}",
                "{\"protocolVersion\":1," + GET + "}",
                "{\"protocolVersion\":1.0," + GET + "}",
                "{\"protocolVersion\":true," + GET + "}",
                "{\"protocolVersion\":[\"1.00\"]," + GET + "}",
                "{\"protocolVersion\":{}," + GET + "}",
                "{\"protocolVersion\":null," + GET + "}",
                "{\"protocolVersion\":\"1.00\",\"getObjectContext\":\"\"}",
                "{\"protocolVersion\":\"1.00\",\"getObjectContext\":[]}",
                "{\"protocolVersion\":\"1.00\",\"getObjectContext\":7}",
                "{\"protocolVersion\":\"1.00\",\"getObjectContext\":null}",
                "{\"protocolVersion\":\"1.00\"," + GET + ",\"headObjectContext\":{\"inputS3Url\":\"https://x\"}}",
                "{\"protocolVersion\":\"1.00\"," + GET + ",\"userRequest\":{\"headers\":{\"A\":1}}}",
                "{\"protocolVersion\":\"1.00\"," + GET + ",\"userRequest\":{\"headers\":{\"A\":[\"x\",null]}}}",
                "{\"protocolVersion\":\"1.00\"," + GET + ",\"userRequest\":{\"headers\":[\"A\"]}}",
                "{\"protocolVersion\":\"1.00\"," + GET + ",\"userRequest\":{\"headers\":\"A\"}}",
                "{\"protocolVersion\":\"1.00\"," + GET + ",\"userRequest\":{\"headers\":null}}",
                "{\"protocolVersion\":\"1.00\"," + GET + ",\"configuration\":{\"payload\":{\"pipeline\":\"x\"}}}",
                "{\"protocolVersion\":\"1.00\",\"getObjectContext\":{\"inputS3Url\":\"https://x\",\"outputRoute\":\"r\","
                        + "\"outputToken\":\"t\",\"xtra\":5},\"userIdentity\":3}",
                "{\"protocolVersion\":\"1.00\",\"getObjectContext\":{\"inputS3Url\":\"ftp://x\",\"outputRoute\":\"r\","
                        + "\"outputToken\":\"t\"}}",
                "{\"protocolVersion\":\"1.00\",\"getObjectContext\":{\"inputS3Url\":\"https://x\",\"outputRoute\":\"bad route\","
                        + "\"outputToken\":\"t\"}}",
                "{\"protocolVersion\":\"1.00\",\"getObjectContext\":{\"inputS3Url\":\"https://x\",\"outputRoute\":\"r\","
                        + "\"outputToken\":5}}",
                "{\"protocolVersion\":\"1.00\",\"getObjectContext\":{\"outputRoute\":\"r\",\"outputToken\":\"t\"}}",
                "{\"protocolVersion\":\"3.0\"," + GET + "}",
                "{\"protocolVersion\":\"1.00\"}",
                "{\"protocolVersion\":\"1.00\"," + GET,
                "{\"protocolVersion\":\"1.00\"," + GET + ",}",
                "{'protocolVersion':'1.00'}",
                "[1,2]", "\"x\"", "null", "", "   ", "7", "{}",
                "{\"protocolVersion\":\"1.00\"," + GET + ",\"userRequest\":{\"url\":\"" + "u".repeat(16 * 1024 + 1) + "\"}}",
                "{\"protocolVersion\":\"1.00\"," + GET + ",\"unknown\":" + "[".repeat(40) + "]".repeat(40) + "}",
                "{\"protocolVersion\":\"1.00\"," + GET + ",\"n\":" + "9".repeat(2000) + "}",
                "{\"protocolVersion\":\"1.00\"," + GET + ",\"userRequest\":{\"url\":\"\\u00e9\\n\\\"\"}}"));
        return e;
    }

    @ParameterizedTest
    @MethodSource("events")
    void streamingReaderAgreesWithTheDatabindReader(String event) {
        byte[] json = event.getBytes(StandardCharsets.UTF_8);
        Object expected = outcome(() -> databind(json));
        Object actual = outcome(() -> S3Events.parse(json));
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("replies")
    void repliesSerialiseAsDatabindWroteThem(Map<String, Object> reply) throws IOException {
        assertThat(S3Events.toJson(reply)).isEqualTo(MAPPER.writeValueAsString(reply));
    }

    static List<Map<String, Object>> replies() {
        Map<String, Object> withNull = new java.util.LinkedHashMap<>();
        withNull.put("statusCode", 404);
        withNull.put("errorCode", "NoSuchKey");
        withNull.put("errorMessage", null);
        withNull.put("headers", Map.of("Content-Length", "0"));
        return List.of(withNull, Map.of("statusCode", 200, "listResultXml", "<a b=\"c\">\u2028é\u0001</a>"));
    }

    private interface Parse {
        S3Events.Parsed run();
    }

    /** Either the event, kind and header order, or the failure's message, route and token. */
    private static Object outcome(Parse p) {
        try {
            S3Events.Parsed r = p.run();
            Map<String, String> h = r.event().userRequest() == null ? null : r.event().userRequest().headers();
            return List.of(r.kind(), r.event(), Objects.toString(h == null ? null : List.copyOf(h.entrySet())));
        } catch (MalformedEventException e) {
            return List.of("malformed", e.getMessage(), Objects.toString(e.outputRoute()), Objects.toString(e.outputToken()));
        }
    }

    /** The reader S3Events had before the streaming one. */
    private static S3Events.Parsed databind(byte[] json) {
        JsonNode tree = EventJson.readObject(MAPPER, json);
        String route = text(tree.path("getObjectContext").get("outputRoute"));
        String token = text(tree.path("getObjectContext").get("outputToken"));
        if (route != null && !S3WgorClient.isValidRoute(route)) {
            route = null;
        }
        S3ObjectLambdaEvent e;
        try {
            e = MAPPER.treeToValue(tree, S3ObjectLambdaEvent.class);
        } catch (IOException ex) {
            throw new MalformedEventException("event: a field has the wrong type", route, token);
        }
        try {
            return new S3Events.Parsed(e, S3Events.validate(e));
        } catch (MalformedEventException ex) {
            throw new MalformedEventException(ex.getMessage(), route, token);
        }
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
