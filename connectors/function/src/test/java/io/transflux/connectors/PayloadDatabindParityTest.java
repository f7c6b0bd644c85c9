package io.transflux.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.checksum.ChecksumAlgorithm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ObjectLambdaFunction#withPayload} reads payloads with Jackson's streaming parser; it configures exactly
 * what the databind reader it replaced did (kept here as the oracle), or fails with the same error, under each
 * {@link PayloadPolicy}.
 */
class PayloadDatabindParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SourceOpener NEVER = (url, headers) -> {
        throw new AssertionError("no source is opened");
    };

    static List<String> payloads() {
        return List.of("{}", "{\"pipeline\":\"redact/pii\"}", "{\"pipeline\":\"\"}", "{\"pipeline\":5}", "{\"pipeline\":null}",
                "{\"partSize\":5242880}", "{\"partSize\":5.7}", "{\"partSize\":1e30}", "{\"partSize\":9.3e18}",
                "{\"partSize\":9.2e18}", "{\"partSize\":0}", "{\"partSize\":-3}", "{\"partSize\":0.5}",
                "{\"partSize\":99999999999999999999}", "{\"partSize\":\"5\"}", "{\"partSize\":true}",
                "{\"maxSpoolBytes\":1024,\"headLengthCap\":2048,\"maxOutputBytes\":4096}",
                "{\"checksumAlgorithm\":\"crc32\",\"checksumDelivery\":\"trailer\"}", "{\"checksumDelivery\":\"nope\"}",
                "{\"unknown\":[1,{\"a\":null}],\"partSize\":7}", "{\"partSize\":7,\"partSize\":9}", "{\"partSize\":7} trailing",
                "[1]", "\"s\"", "null", "7", "{", "{\"a\":}", "{'a':1}", "{\"" + "k".repeat(40) + "\":1}");
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void streamingReaderConfiguresWhatTheDatabindReaderDid(String payload) {
        for (PayloadPolicy policy : PayloadPolicy.values()) {
            ObjectLambdaFunction fn = ObjectLambdaFunction.builder().sourceOpener(NEVER).payloadPolicy(policy).build();
            assertThat(outcome(() -> fn.withPayload(payload))).as(policy + " " + payload)
                    .isEqualTo(outcome(() -> databind(fn, payload)));
        }
    }

    private interface Configure {
        ObjectLambdaFunction run();
    }

    private static String outcome(Configure c) {
        try {
            ObjectLambdaFunction f = c.run();
            return f + " spool=" + f.maxSpoolBytes + " headCap=" + f.headLengthCap + " maxOut=" + f.limits.maxOutputBytes();
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    /** What withPayload did before the streaming reader. */
    private static ObjectLambdaFunction databind(ObjectLambdaFunction fn, String payload) {
        if (payload == null || payload.isBlank() || fn.payloadPolicy == PayloadPolicy.IGNORE) {
            return fn;
        }
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (Exception e) {
            throw invalid();
        }
        if (root == null || !root.isObject()) {
            throw invalid();
        }
        if (fn.payloadPolicy == PayloadPolicy.REJECT && root.size() > 0) {
            String key = root.fieldNames().next();
            throw new ConnectorException(500, "InvalidConfiguration", "Payload key '"
                    + (key.length() > 32 ? key.substring(0, 32) : key) + "' refused: payload policy REJECT, expected no keys.");
        }
        ObjectLambdaFunction.Builder b = fn.toBuilder();
        JsonNode p = root.get("pipeline");
        if (p != null) {
            b.pipeline(Pipeline.parse(text(p)));
        }
        JsonNode alg = root.get("checksumAlgorithm");
        if (alg != null) {
            b.checksumAlgorithm(ChecksumAlgorithm.fromId(text(alg)));
        }
        JsonNode del = root.get("checksumDelivery");
        if (del != null) {
            b.checksumDelivery(ChecksumDelivery.fromId(text(del)));
        }
        JsonNode ps = root.get("partSize");
        if (ps != null) {
            b.partSize(number(ps));
        }
        JsonNode sp = root.get("maxSpoolBytes");
        if (sp != null) {
            b.maxSpoolBytes(number(sp));
        }
        JsonNode hc = root.get("headLengthCap");
        if (hc != null) {
            b.headLengthCap(number(hc));
        }
        JsonNode mo = root.get("maxOutputBytes");
        if (mo != null) {
            b.limits(fn.limits.toBuilder().maxOutputBytes(number(mo)).build());
        }
        return b.build();
    }

    private static String text(JsonNode n) {
        if (!n.isTextual()) {
            throw invalid();
        }
        return n.asText();
    }

    private static long number(JsonNode n) {
        if (!n.canConvertToLong() || n.asLong() <= 0) {
            throw invalid();
        }
        return n.asLong();
    }

    private static ConnectorException invalid() {
        return new ConnectorException(500, "InvalidConfiguration", "The access point configuration payload is invalid.");
    }
}
