package io.transflux.connectors.accesspoint;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * Builds invocation events shaped as the platforms document them (docs/protocols.md §1.2–§1.4 for S3, §3.1 for OSS).
 * The account id is the documented placeholder {@value #ACCOUNT}.
 */
final class Events {

    static final String ACCOUNT = "000000000000";
    static final String PROTOCOL_VERSION = "1.00";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Events() {
    }

    /** What every event carries about the caller and the access point. */
    record Caller(String requestId, String url, Map<String, String> headers, @Nullable String accessKeyId,
            AccessPointSpec accessPoint, String region) {
    }

    /**
     * An S3 event with {@code contextKey} ({@code getObjectContext}, {@code headObjectContext},
     * {@code listObjectsContext}, {@code listObjectsV2Context}); route and token only for GetObject.
     */
    static byte[] s3(String contextKey, String inputUrl, @Nullable String route, @Nullable String token, Caller c) {
        ObjectNode e = JSON.createObjectNode();
        e.put("xAmzRequestId", c.requestId());
        ObjectNode ctx = e.putObject(contextKey);
        ctx.put("inputS3Url", inputUrl);
        if (route != null && token != null) {
            ctx.put("outputRoute", route);
            ctx.put("outputToken", token);
        }
        ObjectNode conf = e.putObject("configuration");
        conf.put("accessPointArn", "arn:aws:s3-object-lambda:" + c.region() + ":" + ACCOUNT + ":accesspoint/"
                + c.accessPoint().name());
        conf.put("supportingAccessPointArn", "arn:aws:s3:" + c.region() + ":" + ACCOUNT + ":accesspoint/"
                + c.accessPoint().name().replace("-olap", "") + "-ap");
        conf.put("payload", payload(c.accessPoint()));
        user(e, c);
        ObjectNode id = e.putObject("userIdentity");
        if (c.accessKeyId() == null) {
            id.put("type", "AWSAccount");
            id.put("principalId", "ANONYMOUS_PRINCIPAL");
            id.put("accountId", "ANONYMOUS_PRINCIPAL");
        } else {
            id.put("type", "IAMUser");
            id.put("principalId", c.accessKeyId());
            id.put("arn", "arn:aws:iam::" + ACCOUNT + ":user/local");
            id.put("accountId", ACCOUNT);
            id.put("accessKeyId", c.accessKeyId());
        }
        e.put("protocolVersion", PROTOCOL_VERSION);
        return bytes(e);
    }

    /** An OSS Object FC GetObject event. */
    static byte[] oss(String inputUrl, String route, String token, Caller c) {
        ObjectNode e = JSON.createObjectNode();
        e.put("requestId", c.requestId());
        ObjectNode ctx = e.putObject("getObjectContext");
        ctx.put("inputOssUrl", inputUrl);
        ctx.put("outputRoute", route);
        ctx.put("outputToken", token);
        e.putObject("configuration").put("payload", payload(c.accessPoint()));
        user(e, c);
        e.put("protocolVersion", PROTOCOL_VERSION);
        return bytes(e);
    }

    /** The access point's function configuration: {@code {"pipeline": ..., "checksumDelivery": ...}}. */
    static String payload(AccessPointSpec ap) {
        ObjectNode p = JSON.createObjectNode();
        p.put("pipeline", ap.pipeline());
        p.put("checksumDelivery", ap.checksumDelivery().id());
        return p.toString();
    }

    private static void user(ObjectNode e, Caller c) {
        ObjectNode u = e.putObject("userRequest");
        u.put("url", c.url());
        ObjectNode h = u.putObject("headers");
        c.headers().forEach(h::put);
    }

    private static byte[] bytes(ObjectNode e) {
        try {
            return JSON.writeValueAsBytes(e);
        } catch (JsonProcessingException x) {
            throw new IllegalStateException("an ObjectNode of strings always serialises", x);
        }
    }
}
