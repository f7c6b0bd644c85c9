package io.transflux.connectors.accesspoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.transflux.connectors.oss.OssCredentials;
import io.transflux.connectors.oss.OssSigner;
import io.transflux.connectors.s3.AwsCredentials;
import io.transflux.connectors.s3.SigV4Check;
import io.transflux.connectors.s3.SignedPayload;
import io.transflux.pipeline.internal.uri.PercentEncoding;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The caller's side: authenticates a GET/HEAD/LIST, checks the access point's features, builds the event,
 * invokes the function, and answers from its WGOR (GetObject) or its JSON reply (HeadObject, ListObjects).
 */
final class CallerFront {

    /** Presigned input URLs stay valid this long (enough for a resumed fetch inside the function budget). */
    static final Duration PRESIGN_EXPIRY = Duration.ofMinutes(15);
    private static final Set<String> NOT_FORWARDED = Set.of("authorization");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The query parameters the OSS SDKs sign as sub-resources (those this access point can receive). */
    private static final Set<String> OSS_SUBRESOURCES = Set.of("acl", "uploads", "uploadId", "partNumber", "append",
            "position", "tagging", "objectMeta", "security-token", "x-oss-process", "callback", "callback-var",
            "versionId", "x-oss-traffic-limit", "symlink", "restore");

    /**
     * On 127.0.0.1 the S3 route is {@value #LOOPBACK_ROUTE}: an SDK that prefixes it onto the WGOR endpoint host
     * {@code 0.0.1} (endpoint {@code http://0.0.1:PORT}) reaches {@code 127.0.0.1} with no client setting.
     */
    static final String LOOPBACK_ROUTE = "127";
    private static final String LOOPBACK = "http://127.0.0.1:";
    private final LocalAccessPoint ap;

    CallerFront(LocalAccessPoint ap) {
        this.ap = ap;
    }

    Mono<Void> serve(HttpServerRequest req, HttpServerResponse res, Request r, AccessLog log) {
        String p = r.path();
        if (p.equals("/")) {
            return Mono.fromCallable(() -> authenticateS3(r)).then(Mono.fromCallable(ap.store::listBuckets)
                    .subscribeOn(Schedulers.boundedElastic())).flatMap(xml -> xml(res, log, xml));
        }
        String rest = p.substring(1);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        AccessPointSpec spec = ap.accessPointFor(bucket, key);
        log.pipeline = spec.pipeline();
        String keyId = spec.flavor() == Flavor.S3 ? authenticateS3(r) : authenticateOss(r, bucket, key);
        if (ap.store.bucketDir(bucket) == null) {
            throw new PlatformError(404, "NoSuchBucket", "The specified bucket does not exist.");
        }
        boolean head = r.method().equals("HEAD");
        String process = spec.flavor() == Flavor.OSS && !head && !key.isEmpty() ? r.query().get(ProcessFront.PARAM) : null;
        Action action = key.isEmpty() ? ("2".equals(r.query().get("list-type")) ? Action.LIST_OBJECTS_V2 : Action.LIST_OBJECTS)
                : head ? Action.HEAD_OBJECT : Action.GET_OBJECT;
        if (process == null && !ap.actionsFor(spec).contains(action)) {
            // As on AWS (and OSS, which transforms GetObject only): not the function's action, so the
            // supporting access point answers, untransformed.
            log.pipeline = "";
            return ap.objects().answer(res, r, log, bucket, key, spec.flavor());
        }
        if (!key.isEmpty()) {
            checkFeatures(spec, r, head);
        }
        String requestId = ap.newRequestId();
        Events.Caller c = new Events.Caller(requestId, ap.endpoint() + p + userQuery(r), forwardedHeaders(r), keyId, spec,
                ap.region);
        if (spec.flavor() == Flavor.OSS) {
            if (process != null) {
                spec = ProcessFront.onRead(spec, process);
                log.pipeline = spec.pipeline();
                c = new Events.Caller(c.requestId(), c.url(), c.headers(), c.accessKeyId(), spec, c.region());
            }
            return getObject(res, r, log, spec, c, bucket, key);
        }
        if (key.isEmpty()) {
            return list(res, log, c, bucket, r, action == Action.LIST_OBJECTS_V2);
        }
        return head ? headObject(res, log, c, bucket, key) : getObject(res, r, log, spec, c, bucket, key);
    }

    /**
     * An authenticated write to an object; {@code payload} is the SigV4 commitment an S3 write's body must be
     * checked against (null for OSS and for anonymous writes).
     */
    record Target(String bucket, String key, AccessPointSpec spec, @Nullable SignedPayload payload) {
    }

    /** Authenticates a POST/PUT to {@code /bucket/key}; only OSS-flavour access points take them (else 405). */
    Target ossTarget(Request r) {
        Target t = writeTarget(r);
        if (t.spec().flavor() != Flavor.OSS) {
            throw new PlatformError(405, "MethodNotAllowed", "Only OSS-flavour access points accept this request.");
        }
        return t;
    }

    /**
     * Authenticates a write (PutObject, multipart) to {@code /bucket/key}: OSS signature V1 on OSS-flavour access
     * points, SigV4 (header or presigned query) on S3-flavour ones. 405 without a key, 404 for a missing bucket.
     */
    Target writeTarget(Request r) {
        String rest = r.path().substring(1);
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new PlatformError(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        }
        String bucket = rest.substring(0, slash);
        String key = rest.substring(slash + 1);
        AccessPointSpec spec = ap.accessPointFor(bucket, key);
        SignedPayload payload = null;
        if (spec.flavor() == Flavor.OSS) {
            authenticateOss(r, bucket, key);
        } else {
            payload = verifyS3(r).payload();
        }
        if (ap.store.bucketDir(bucket) == null) {
            throw new PlatformError(404, "NoSuchBucket", "The specified bucket does not exist.");
        }
        return new Target(bucket, key, spec, payload);
    }

    private Mono<Void> getObject(HttpServerResponse res, Request r, AccessLog log, AccessPointSpec spec, Events.Caller c,
            String bucket, String key) {
        Map<String, String> signed = new LinkedHashMap<>();
        String mode = r.header("x-amz-checksum-mode");
        if (mode != null) {
            signed.put("x-amz-checksum-mode", mode);
        }
        String input = presign(bucket, key, Map.of(), signed);
        Invocations.Pending pending = ap.invocations.open(spec.flavor() == Flavor.OSS
                ? ap.endpoint().substring("http://".length()) : ap.endpoint().startsWith(LOOPBACK) ? LOOPBACK_ROUTE : null);
        byte[] event = spec.flavor() == Flavor.S3
                ? Events.s3("getObjectContext", input, pending.route, pending.token, c)
                : Events.oss(input, pending.route, pending.token, c);
        ap.invoker.invoke(spec.flavor(), event).subscribe(
                reply -> pending.functionEnded(null),
                e -> pending.functionEnded(e instanceof PlatformError pe ? pe : null),
                () -> pending.functionEnded(null));
        boolean checksumMode = mode != null && mode.equalsIgnoreCase("ENABLED");
        long deadline = System.nanoTime() + ap.functionTimeout.toNanos();
        return pending.arrival()
                .timeout(ap.functionTimeout, Mono.error(PlatformError.timeout()))
                .flatMap(a -> Relay.toCaller(ap, res, r, log, spec.flavor(), a, checksumMode, deadline))
                .doFinally(s -> pending.close());
    }

    private Mono<Void> headObject(HttpServerResponse res, AccessLog log, Events.Caller c, String bucket, String key) {
        String input = presign(bucket, key, Map.of(), Map.of());
        byte[] event = Events.s3("headObjectContext", input, null, null, c);
        return reply(event).flatMap(json -> {
            int status = json.path("statusCode").asInt(500);
            log.status = status;
            res.status(status).header("x-amz-request-id", c.requestId());
            if (json.has("errorCode")) {
                res.header("x-amz-error-code", json.get("errorCode").asText());
            }
            json.path("headers").fields().forEachRemaining(e -> res.header(e.getKey(), e.getValue().asText()));
            if (!json.path("headers").has("Content-Length")) {
                res.header("Content-Length", "0");
            }
            return res.send().then();
        });
    }

    private Mono<Void> list(HttpServerResponse res, AccessLog log, Events.Caller c, String bucket, Request r, boolean v2) {
        Map<String, String> q = new LinkedHashMap<>(r.query());
        String input = presign(bucket, "", q, Map.of());
        byte[] event = Events.s3(v2 ? "listObjectsV2Context" : "listObjectsContext", input, null, null, c);
        return reply(event).flatMap(json -> {
            int status = json.path("statusCode").asInt(500);
            if (status != 200 || !json.has("listResultXml")) {
                return Mono.error(new PlatformError(status == 200 ? 500 : status,
                        json.path("errorCode").asText(status == 200 ? "LambdaInvalidResponse" : "InternalError"),
                        json.path("errorMessage").asText("The Lambda function returned no listing.")));
            }
            return xml(res, log, json.get("listResultXml").asText());
        });
    }

    private Mono<JsonNode> reply(byte[] event) {
        return ap.invoker.invoke(Flavor.S3, event)
                .timeout(ap.functionTimeout, Mono.error(PlatformError.timeout()))
                .map(b -> {
                    try {
                        JsonNode n = JSON.readTree(b);
                        if (n == null || !n.isObject() || !n.path("statusCode").canConvertToInt()) {
                            throw new PlatformError(400, "LambdaInvalidResponse", "The Lambda function's reply is malformed.");
                        }
                        return n;
                    } catch (java.io.IOException e) {
                        throw new PlatformError(400, "LambdaInvalidResponse", "The Lambda function's reply is not JSON.");
                    }
                });
    }

    private static Mono<Void> xml(HttpServerResponse res, AccessLog log, String xml) {
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        log.status = 200;
        log.bytesOut = b.length;
        log.firstByte();
        return res.status(200).header("Content-Type", "application/xml").header("Content-Length", Integer.toString(b.length))
                .send(Mono.just(Unpooled.wrappedBuffer(b))).then();
    }

    private void checkFeatures(AccessPointSpec spec, Request r, boolean head) {
        boolean range = r.range() != null;
        boolean part = r.partNumber() != null;
        Feature needRange = head ? Feature.HEAD_OBJECT_RANGE : Feature.GET_OBJECT_RANGE;
        Feature needPart = head ? Feature.HEAD_OBJECT_PART_NUMBER : Feature.GET_OBJECT_PART_NUMBER;
        if ((range && !spec.allows(needRange)) || (part && !spec.allows(needPart))) {
            throw new PlatformError(501, "NotImplemented", "A header you provided implies functionality that is not "
                    + "implemented: the access point does not allow " + (range && !spec.allows(needRange) ? needRange.id()
                    : needPart.id()) + ".");
        }
    }

    /**
     * The presigned URL of the internal object endpoint, signed with the per-process key pair only this server holds;
     * {@code query} and {@code signed} headers are signed.
     */
    private String presign(String bucket, String key, Map<String, String> query, Map<String, String> signed) {
        StringBuilder url = new StringBuilder(ap.endpoint()).append(LocalAccessPoint.INTERNAL_PREFIX).append(bucket);
        if (!key.isEmpty()) {
            url.append('/');
            String[] segs = key.split("/", -1);
            for (int i = 0; i < segs.length; i++) {
                url.append(i == 0 ? "" : "/").append(encode(segs[i]));
            }
        }
        String sep = "?";
        for (Map.Entry<String, String> e : query.entrySet()) {
            url.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = "&";
        }
        return SigV4Check.presign("GET", url.toString(), signed, ap.internalCredentials, ap.region, "s3", PRESIGN_EXPIRY,
                ap.clock);
    }

    private static String encode(String s) {
        return PercentEncoding.encode(s);
    }

    /** The caller's headers as the event carries them: original case, without authorization. */
    private static Map<String, String> forwardedHeaders(Request r) {
        Map<String, String> out = new LinkedHashMap<>();
        r.originalHeaders().forEach((k, v) -> {
            if (!NOT_FORWARDED.contains(k.toLowerCase(Locale.ROOT))) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The decoded query without authorization parameters, as {@code userRequest.url} shows it. */
    private static String userQuery(Request r) {
        StringBuilder sb = new StringBuilder();
        r.query().forEach((k, v) -> {
            String lk = k.toLowerCase(Locale.ROOT);
            if (!lk.startsWith("x-amz-") && !lk.equals("signature") && !lk.equals("ossaccesskeyid")
                    && !lk.equals("security-token")) {
                sb.append(sb.length() == 0 ? '?' : '&').append(k).append(v.isEmpty() ? "" : "=" + v);
            }
        });
        return sb.toString();
    }

    private @Nullable AwsCredentials awsSecret(String keyId) {
        return ap.awsCredentials(keyId);
    }

    /** The signing key id, null for an allowed anonymous request; otherwise 403. */
    private @Nullable String authenticateS3(Request r) {
        return verifyS3(r).accessKeyId();
    }

    /** The valid verdict (or ABSENT for an allowed anonymous request); otherwise 403 or 400. */
    private SigV4Check.Verdict verifyS3(Request r) {
        SigV4Check.Verdict v = SigV4Check.verifyHeader(r.method(), r.rawUri(), r.headers(), this::awsSecret, ap.clock);
        if (v.status() == SigV4Check.Status.ABSENT && r.query().containsKey("X-Amz-Signature")) {
            v = SigV4Check.verifyQuery(r.method(), r.rawUri(), r.headers(), this::awsSecret, ap.clock);
        }
        return switch (v.status()) {
            case VALID -> v;
            case ABSENT -> {
                if (!ap.allowAnonymous) {
                    throw new PlatformError(403, "AccessDenied", "Anonymous access is not allowed on this access point.");
                }
                yield v;
            }
            case UNKNOWN_KEY -> throw new PlatformError(403, "InvalidAccessKeyId",
                    "The AWS Access Key Id you provided does not exist in our records.");
            case EXPIRED -> throw new PlatformError(403, "RequestTimeTooSkewed",
                    "The difference between the request time and the current time is too large.");
            case MALFORMED -> throw new PlatformError(400, "AuthorizationHeaderMalformed",
                    "The authorization header is malformed.");
            case UNSUPPORTED_PAYLOAD -> throw unsupportedPayload();
            case MISMATCH -> throw new PlatformError(403, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided. "
                            + "Check your key and signing method.");
        };
    }

    static PlatformError unsupportedPayload() {
        return new PlatformError(400, "InvalidArgument", "x-amz-content-sha256: expected a hex SHA-256 or one of "
                + new java.util.TreeSet<>(io.transflux.connectors.s3.SignedPayload.FORMS) + ".");
    }

    /**
     * The OSS V1 canonicalized resource: {@code /bucket/key} and the signed sub-resources the request carries,
     * sorted, with decoded values ({@code ?x-oss-process=image/resize,w_50}).
     */
    static String ossResource(String bucket, String key, Request r) {
        java.util.TreeMap<String, String> sub = new java.util.TreeMap<>();
        r.query().forEach((k, v) -> {
            if (OSS_SUBRESOURCES.contains(k) || k.startsWith("response-")) {
                sub.put(k, v);
            }
        });
        StringBuilder sb = new StringBuilder("/").append(bucket).append('/').append(key);
        char sep = '?';
        for (Map.Entry<String, String> e : sub.entrySet()) {
            sb.append(sep).append(e.getKey()).append(e.getValue().isEmpty() ? "" : "=" + e.getValue());
            sep = '&';
        }
        return sb.toString();
    }

    @Nullable String authenticateOss(Request r, String bucket, String key) {
        String auth = r.header("authorization");
        if (auth == null) {
            if (!ap.allowAnonymous) {
                throw new PlatformError(403, "AccessDenied", "Anonymous access is not allowed on this access point.");
            }
            return null;
        }
        if (auth.startsWith("OSS4-HMAC-SHA256")) {
            throw new PlatformError(400, "InvalidArgument", "Signature version 4 (OSS4-HMAC-SHA256) is not verified on "
                    + "requests to this local access point; accepted: signature version 1 (Authorization: OSS "
                    + "<AccessKeyId>:<Signature>, the aliyun-sdk-oss default, SignVersion.V1). WriteGetObjectResponse "
                    + "accepts V1 and V4.");
        }
        String resource = ossResource(bucket, key, r);
        String[] keyId = new String[1];
        if (!OssSigner.verifies(r.method(), resource, r.headers(), id -> {
            keyId[0] = id;
            return ap.ossCredentials(id);
        })) {
            throw new PlatformError(403, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided.");
        }
        return keyId[0];
    }
}
