package io.transflux.connectors;

import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.PipelineException;
import io.transflux.pipeline.SourceException;
import reactor.core.Exceptions;

/**
 * The one mapping from a failure to the status, error code and static message a WriteGetObjectResponse
 * (or a HeadObject/List reply) reports. Statuses stay inside the set WGOR documents (200, 206, 304, 400,
 * 401, 403, 404, 405, 409, 411, 412, 416, 500, 503): 413, 415, 501 and 504 are folded into 400 and 503.
 *
 * <table>
 *   <caption>Mapping (docs/protocols.md §2.8, docs/reliability.md §8)</caption>
 *   <tr><th>Failure</th><th>Status</th><th>Code</th></tr>
 *   <tr><td>source 4xx with an S3/OSS error code</td><td>same</td><td>the source's code</td></tr>
 *   <tr><td>source 304</td><td>304</td><td>none</td></tr>
 *   <tr><td>source 412</td><td>412</td><td>{@code PreconditionFailed}</td></tr>
 *   <tr><td>source 5xx, timeout, unreachable, object changed mid-read</td><td>503</td>
 *       <td>{@code ServiceUnavailable} ({@code SlowDown} when the source throttled)</td></tr>
 *   <tr><td>source refused by the host guard</td><td>403</td><td>{@code SourceNotAllowed}</td></tr>
 *   <tr><td>presigned URL expired mid-read</td><td>403</td><td>{@code SourceUrlExpired}</td></tr>
 *   <tr><td>malformed compressed input</td><td>400</td><td>{@code MalformedCompressedObject}</td></tr>
 *   <tr><td>limit exceeded (bomb, pixels, size)</td><td>400</td><td>{@code TransformLimitExceeded}</td></tr>
 *   <tr><td>deadline reached</td><td>503</td><td>{@code ServiceUnavailable}</td></tr>
 *   <tr><td>the function's own spool or output failed (disk full)</td><td>503</td><td>{@code ServiceUnavailable}</td></tr>
 *   <tr><td>unsupported format</td><td>400</td><td>{@code UnsupportedObjectFormat}</td></tr>
 *   <tr><td>checksum mismatch of the source</td><td>400</td><td>{@code ChecksumMismatch}</td></tr>
 *   <tr><td>bad pipeline configuration</td><td>500</td><td>{@code InvalidPipelineSpec}</td></tr>
 *   <tr><td>{@code redact/detect} found PII</td><td>403</td><td>{@code AccessDenied}, "Document contains PII"</td></tr>
 *   <tr><td>{@link ConnectorException} (range, malformed event)</td><td>its status</td><td>its code</td></tr>
 *   <tr><td>anything else</td><td>500</td><td>{@code InternalError}</td></tr>
 * </table>
 */
public final class ErrorMapping {

    private ErrorMapping() {
    }

    /** What to report for a failure. Never throws. */
    public static ErrorReply map(Throwable failure) {
        Throwable t = Exceptions.unwrap(failure);
        if (t instanceof ConnectorException ce) {
            return new ErrorReply(ce.status(), ce.errorCode(), staticMessage(ce.errorCode(), ce.getMessage()));
        }
        if (t instanceof SourceException se) {
            return source(se);
        }
        if (t instanceof LimitExceededException le && "deadline".equals(le.limitName())) {
            return new ErrorReply(503, "ServiceUnavailable", "The transformation did not finish in time.");
        }
        if (!(t instanceof PipelineException pe)) {
            return internal();
        }
        switch (pe.code()) {
            case MALFORMED_COMPRESSED_OBJECT:
                return new ErrorReply(400, "MalformedCompressedObject", "The object is not valid compressed data.");
            case TRANSFORM_LIMIT_EXCEEDED:
                return new ErrorReply(400, "TransformLimitExceeded", "The transformation exceeded a configured limit.");
            case UNSUPPORTED_OBJECT_FORMAT:
                return new ErrorReply(400, "UnsupportedObjectFormat", "The object format is not supported.");
            case CHECKSUM_MISMATCH:
                return new ErrorReply(400, "ChecksumMismatch", "The object failed checksum validation.");
            case INVALID_PIPELINE_SPEC:
                return new ErrorReply(500, "InvalidPipelineSpec", "The function's pipeline is misconfigured.");
            case SOURCE_TIMEOUT:
            case SOURCE_UNAVAILABLE:
            case SOURCE_CHANGED:
            case SOURCE_ERROR:
                return unavailable("ServiceUnavailable");
            case SOURCE_NOT_ALLOWED:
                return new ErrorReply(403, "SourceNotAllowed", "The source URL is not allowed.");
            case SOURCE_URL_EXPIRED:
                return new ErrorReply(403, "SourceUrlExpired", "The source URL expired.");
            case SINK_ERROR:
                // The instance's own storage (spool, temporary file) failed, e.g. a full /tmp: another attempt,
                // on another instance, may succeed. The cause (paths) stays out of the reply.
                return new ErrorReply(503, "ServiceUnavailable", "The function could not buffer the object.");
            case BAD_REQUEST:
                // Built from numbers by the stage itself (no URL, token or object bytes): shown as is.
                return new ErrorReply(400, "BadRequest", pe.getMessage());
            case ACCESS_DENIED:
                // redact/detect: the Comprehend access-control function's answer.
                return new ErrorReply(403, "AccessDenied", "Document contains PII");
            default:
                return internal();
        }
    }

    private static ErrorReply source(SourceException se) {
        int s = se.status();
        String code = se.sourceErrorCode();
        switch (se.code()) {
            case SOURCE_TLS_FAILED: {
                // 403 like SourceNotAllowed: the function refuses to talk to that source; no client retries a 4xx.
                io.transflux.connectors.http.TlsFailure kind = tlsKind(code);
                return new ErrorReply(403, "Source" + kind.code(), "TLS with the source failed: " + kind.reason() + ".");
            }
            case SOURCE_NOT_ALLOWED:
                return new ErrorReply(403, "SourceNotAllowed", "The source URL is not allowed.");
            case SOURCE_URL_EXPIRED:
                return new ErrorReply(403, "SourceUrlExpired", "The source URL expired.");
            case SOURCE_CHANGED:
                // The function's own resume (If-Match) found another version: the caller set no precondition,
                // so its 412 or 404 is not the caller's answer. A new GetObject reads the new version.
                return unavailable("ServiceUnavailable");
            default:
                break;
        }
        if (s == 304) {
            return new ErrorReply(304, null, null);
        }
        if (s == 412) {
            return new ErrorReply(412, "PreconditionFailed", "At least one of the preconditions did not hold.");
        }
        if (s >= 400 && s < 500) {
            int status = FORWARDABLE_4XX.contains(s) ? s : 400;
            String c = code != null && ErrorReply.isValidCode(code) ? code : defaultCode(s);
            return new ErrorReply(status, c, staticMessage(c, "The source refused the request."));
        }
        return unavailable("SlowDown".equals(code) ? "SlowDown" : "ServiceUnavailable");
    }

    private static final java.util.Set<Integer> FORWARDABLE_4XX = java.util.Set.of(400, 401, 403, 404, 405, 409, 411,
            412, 416);

    private static io.transflux.connectors.http.TlsFailure tlsKind(@org.jspecify.annotations.Nullable String code) {
        for (io.transflux.connectors.http.TlsFailure f : io.transflux.connectors.http.TlsFailure.values()) {
            if (f.code().equals(code)) {
                return f;
            }
        }
        return io.transflux.connectors.http.TlsFailure.HANDSHAKE;
    }

    private static String defaultCode(int status) {
        switch (status) {
            case 403:
                return "AccessDenied";
            case 404:
                return "NoSuchKey";
            case 416:
                return "InvalidRange";
            default:
                return "InvalidRequest";
        }
    }

    /** Well-known codes get their S3 wording; anything else a generic line. Never user data. */
    private static String staticMessage(String code, String fallback) {
        switch (code) {
            case "NoSuchKey":
                return "The specified key does not exist.";
            case "AccessDenied":
                return "Access Denied";
            case "InvalidRange":
                return "The requested range is not satisfiable.";
            case "InvalidRequest":
                return "The request is invalid.";
            case "NoSuchBucket":
                return "The specified bucket does not exist.";
            default:
                return fallback.length() <= 120 && fallback.indexOf('?') < 0 && fallback.indexOf("://") < 0
                        ? fallback : "The request failed.";
        }
    }

    private static ErrorReply unavailable(String code) {
        return new ErrorReply(503, code, "The source is unavailable; retry the request.");
    }

    private static ErrorReply internal() {
        return new ErrorReply(500, "InternalError", "The function failed.");
    }
}
