package io.transflux.connectors.accesspoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.Unpooled;
import io.transflux.connectors.http.HttpDate;
import io.transflux.connectors.s3.SigV4Check;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The internal object endpoint the presigned input URLs point at: {@code GET/HEAD
 * {@value LocalAccessPoint#INTERNAL_PREFIX}{bucket}/{key}} serves the stored file (one {@code bytes} range,
 * {@code If-Match}, {@code If-None-Match}, {@code If-Modified-Since}, {@code If-Unmodified-Since}; a 304 carries
 * ETag and Last-Modified) and {@code GET {@value LocalAccessPoint#INTERNAL_PREFIX}{bucket}}
 * lists. Every request must carry a valid, unexpired SigV4 query signature made by this server with its
 * per-process key pair ({@link LocalAccessPoint#internalCredentials}), including the headers it signed; otherwise
 * 403 {@code AccessDenied}. A request signed with the credentials callers use is refused like any other: it would
 * read the object past the access point's pipeline.
 */
final class ObjectEndpoint {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private final LocalAccessPoint ap;

    ObjectEndpoint(LocalAccessPoint ap) {
        this.ap = ap;
    }

    Mono<Void> serve(HttpServerResponse res, Request r, AccessLog log) {
        SigV4Check.Verdict v = SigV4Check.verifyQuery(r.method(), r.rawUri(), r.headers(), this::secret, ap.clock);
        if (!v.valid() && r.method().equals("HEAD")) {
            v = SigV4Check.verifyQuery("GET", r.rawUri(), r.headers(), this::secret, ap.clock);
        }
        if (v.status() == SigV4Check.Status.MISMATCH && r.header("x-amz-checksum-mode") == null
                && r.rawUri().contains("x-amz-checksum-mode")) {
            // A handler in the AWS documentation's pattern fetches the URL without forwarding the caller's
            // checksum mode: serve the object then, only without checksum headers.
            Map<String, String> h = new java.util.HashMap<>(r.headers());
            h.put("x-amz-checksum-mode", "ENABLED");
            v = SigV4Check.verifyQuery("GET", r.rawUri(), h, this::secret, ap.clock);
        }
        if (!v.valid()) {
            // Signed with serve's own (caller) credentials, unsigned, tampered or expired: the same refusal, which
            // tells a caller nothing about the internal key.
            throw new PlatformError(403, "AccessDenied", v.status() == SigV4Check.Status.EXPIRED ? "Request has expired."
                    : "Only the URLs this server presigns for its function may read the internal object endpoint.");
        }
        String rest = r.path().substring(LocalAccessPoint.INTERNAL_PREFIX.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        return answer(res, r, log, bucket, key, Flavor.S3);
    }

    /**
     * The untransformed answer from the store to an authenticated request: a listing for an empty key, else the
     * object (HEAD, one range, If-Match, If-None-Match) with the ETag, Content-Type and user metadata a write
     * recorded; also what callers get for actions the function does not
     * handle.
     */
    Mono<Void> answer(HttpServerResponse res, Request r, AccessLog log, String bucket, String key, Flavor flavor) {
        String id = ap.newRequestId();
        res.header(flavor == Flavor.S3 ? "x-amz-request-id" : "x-oss-request-id", id);
        Path dir = ap.store.bucketDir(bucket);
        if (dir == null) {
            throw new PlatformError(404, "NoSuchBucket", "The specified bucket does not exist.");
        }
        if (key.isEmpty()) {
            // OSS lists the same elements without S3's XML namespace, and each object with its Type and Owner
            // (the OSS SDK reads them un-namespaced and requires Owner).
            return Mono.fromCallable(() -> ap.store.list(bucket, dir, r.query(), "2".equals(r.query().get("list-type"))))
                    .map(xml -> flavor == Flavor.S3 ? xml : xml.replace(" xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"", "")
                            .replace("</StorageClass></Contents>", "</StorageClass><Type>Normal</Type><Owner><ID>local</ID>"
                                    + "<DisplayName>local</DisplayName></Owner></Contents>"))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(xml -> {
                        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
                        log.status = 200;
                        log.bytesOut = b.length;
                        log.firstByte();
                        return res.status(200).header("Content-Type", "application/xml")
                                .header("Content-Length", Integer.toString(b.length))
                                .send(Mono.just(Unpooled.wrappedBuffer(b))).then();
                    });
        }
        FileStore.Entry e;
        try {
            e = ap.store.object(bucket, key);
        } catch (IOException x) {
            throw new PlatformError(500, "InternalError", "The object could not be read.");
        }
        if (e == null) {
            throw new PlatformError(404, "NoSuchKey", "The specified key does not exist.");
        }
        res.header("ETag", e.etag()).header("Last-Modified", FileStore.lastModified(e.lastModified()))
                .header("Content-Type", e.contentType()).header("Accept-Ranges", "bytes");
        String metaPrefix = flavor == Flavor.S3 ? "x-amz-meta-" : "x-oss-meta-";
        e.userMetadata().forEach((name, value) -> res.header(metaPrefix + name, value));
        int precondition = precondition(r, e);
        if (precondition == 412) {
            throw new PlatformError(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
        }
        if (precondition == 304) {
            log.status = 304;
            return res.status(304).send().then();
        }
        long start = 0;
        long length = e.size();
        int status = 200;
        String range = r.header("range");
        if (range != null) {
            Matcher m = RANGE.matcher(range.trim());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                long size = e.size();
                if (m.group(1).isEmpty()) {
                    long n = Long.parseLong(m.group(2));
                    start = Math.max(0, size - n);
                    length = size - start;
                } else {
                    start = Long.parseLong(m.group(1));
                    long end = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                    length = end - start + 1;
                }
                if (start >= size || length <= 0) {
                    res.header("Content-Range", "bytes */" + size);
                    throw new PlatformError(416, "InvalidRange", "The requested range is not satisfiable");
                }
                status = 206;
                res.header("Content-Range", "bytes " + start + "-" + (start + length - 1) + "/" + size);
            }
        }
        log.status = status;
        res.status(status).header("Content-Length", Long.toString(length));
        if (r.method().equals("HEAD") || length == 0) {
            return res.send().then();
        }
        log.bytesOut = length;
        log.firstByte();
        return res.sendFile(e.file(), start, length).then();
    }

    /**
     * The preconditions in RFC 9110 §13.2.2's order: If-Match, else If-Unmodified-Since (412 when false); then
     * If-None-Match, else If-Modified-Since (304 when false); 0 when the request goes on. Dates compare at the
     * one-second precision of Last-Modified; an unparsable date is ignored.
     */
    static int precondition(Request r, FileStore.Entry e) {
        long modified = e.lastModified().getEpochSecond();
        String ifMatch = r.header("if-match");
        if (ifMatch != null) {
            if (!matches(ifMatch, e.etag(), false)) {
                return 412;
            }
        } else {
            java.time.Instant since = HttpDate.parse(r.header("if-unmodified-since"));
            if (since != null && modified > since.getEpochSecond()) {
                return 412;
            }
        }
        String ifNone = r.header("if-none-match");
        if (ifNone != null) {
            if (matches(ifNone, e.etag(), true)) {
                return 304;
            }
        } else {
            java.time.Instant since = HttpDate.parse(r.header("if-modified-since"));
            if (since != null && modified <= since.getEpochSecond()) {
                return 304;
            }
        }
        return 0;
    }

    /** Whether an entity-tag list names {@code etag} (or is {@code *}); If-None-Match compares weakly. */
    private static boolean matches(String list, String etag, boolean weak) {
        for (String t : list.split(",")) {
            String tag = t.trim();
            if (tag.equals("*") || tag.equals(etag) || (weak && tag.startsWith("W/") && tag.substring(2).equals(etag))) {
                return true;
            }
        }
        return false;
    }

    /** Only the per-process internal key pair signs here, never a key a caller holds. */
    private io.transflux.connectors.s3.@org.jspecify.annotations.Nullable AwsCredentials secret(String keyId) {
        return keyId.equals(ap.internalCredentials.accessKeyId()) ? ap.internalCredentials : null;
    }
}
