package io.transflux.connectors.accesspoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import io.netty.buffer.Unpooled;
import io.transflux.connectors.ConnectorException;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.sink.FileObjectSink;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code PUT /{bucket}/{key}}: S3 PutObject on an S3-flavour access point (SigV4, the body checked against the
 * signed payload, {@code Content-MD5}, {@code x-amz-meta-*}; ETag the content's MD5), OSS PutObject on an OSS-flavour
 * one ({@code x-oss-meta-*}, ETag in upper-case hex). For OSS, it checks the upload-callback
 * parameters first ({@link UploadCallback}), streams the body to a temporary file beside the target (bounded:
 * the disk's pace drives the socket's), renames it into place, then, when a callback was asked for, posts it
 * through the {@link CallbackSender}. The callback server's answer goes back to the uploader with status 200;
 * a failed or late callback gives 203 {@code CallbackFailed} and the object stays stored.
 */
final class UploadFront {

    private final LocalAccessPoint ap;
    private final CallbackSender sender;

    UploadFront(LocalAccessPoint ap, CallbackSender sender) {
        this.ap = ap;
        this.sender = sender;
    }

    Mono<Void> put(HttpServerRequest req, HttpServerResponse res, Request r, AccessLog log, CallerFront.Target t) {
        Flavor flavor = t.spec().flavor();
        for (String q : r.query().keySet()) {
            boolean allowed = flavor == Flavor.OSS ? q.equals("callback") || q.equals("callback-var")
                    : q.toLowerCase(Locale.ROOT).startsWith("x-amz-"); // presigned PUT
            if (!allowed) {
                throw new PlatformError(501, "NotImplemented", "PutObject is implemented without sub-resources "
                        + "(ACL, tagging, append are not).");
            }
        }
        if (r.header("x-oss-copy-source") != null || r.header("x-amz-copy-source") != null) {
            throw new PlatformError(501, "NotImplemented", "CopyObject is not implemented.");
        }
        UploadCallback cb = flavor == Flavor.OSS ? UploadCallback.of(r, Map.of()) : null;
        Map<String, String> meta = ContentDigest.userMetadata(r, flavor);
        String type = contentType(r, flavor);
        Path file = newFile(() -> ap.store.newObject(t.bucket(), t.key()));
        ContentDigest md5 = new ContentDigest();
        return FileObjectSink.of(file).write(ObjectStream.of(md5.watch(body(req, t, log), r.header("content-md5")),
                        ObjectMetadata.empty()))
                .onErrorMap(e -> !(e instanceof PlatformError),
                        e -> new PlatformError(500, "InternalError", "The object could not be stored."))
                .then(Mono.fromRunnable(() -> record(t, ContentDigest.etag(md5.digest(), flavor), type, meta))
                        .subscribeOn(Schedulers.boundedElastic()))
                .then(Mono.defer(() -> stored(res, r, log, t, cb, type, null)));
    }

    /** The Content-Type a write records: the request's; else S3's default, or none on OSS (guessed from the key). */
    static @Nullable String contentType(Request r, Flavor flavor) {
        String type = r.header("content-type");
        return type != null ? type : flavor == Flavor.S3 ? "binary/octet-stream" : null;
    }

    /** Records a stored object's ETag, type and metadata; 500 {@code InternalError} when that fails. */
    void record(CallerFront.Target t, String etag, @Nullable String type, Map<String, String> meta) {
        try {
            ap.store.record(t.bucket(), t.key(), etag, type, meta);
        } catch (PlatformError e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PlatformError(500, "InternalError", "The object's metadata could not be stored.");
        }
    }

    /**
     * A write's body: for a SigV4-signed S3 write, checked against the signature's payload commitment (and decoded
     * when {@code aws-chunked}); a mismatch fails the body before its end, as {@link PlatformError}.
     */
    static Flux<ByteBuffer> body(HttpServerRequest req, CallerFront.Target t, AccessLog log) {
        Flux<ByteBuffer> body = body(req).content().doOnNext(b -> log.bytesIn += b.remaining());
        if (t.payload() == null) {
            return body;
        }
        return t.payload().verify(body).onErrorMap(ConnectorException.class,
                e -> new PlatformError(e.status(), e.errorCode(), e.getMessage()));
    }

    /** A request body as heap copies of its chunks (Netty releases its buffers after each signal). */
    static ObjectStream body(HttpServerRequest req) {
        return ObjectStream.of(req.receive().map(b -> {
            ByteBuffer copy = ByteBuffer.allocate(b.readableBytes());
            b.readBytes(copy);
            return copy.flip();
        }), ObjectMetadata.empty());
    }

    /** Where to write; I/O failures are 500 {@code InternalError}. */
    static Path newFile(java.util.concurrent.Callable<Path> where) {
        try {
            return where.call();
        } catch (PlatformError e) {
            throw e;
        } catch (Exception e) {
            throw new PlatformError(500, "InternalError", "The object could not be created.");
        }
    }

    /**
     * Answers a completed store of {@code t}: with {@code xml} (or an empty body) and the ETag, or, when
     * {@code cb} is given, with the callback server's answer (203 {@code CallbackFailed} when it fails).
     */
    Mono<Void> stored(HttpServerResponse res, Request r, AccessLog log, CallerFront.Target t, @Nullable UploadCallback cb,
            @Nullable String type, java.util.function.@Nullable Function<FileStore.Entry, String> xml) {
        return Mono.fromCallable(() -> ap.store.object(t.bucket(), t.key())).subscribeOn(Schedulers.boundedElastic())
                .flatMap(entry -> {
                    res.header("ETag", entry.etag()).header(t.spec().flavor() == Flavor.S3 ? "x-amz-request-id"
                            : "x-oss-request-id", ap.newRequestId());
                    if (cb == null) {
                        log.status = 200;
                        byte[] b = xml == null ? new byte[0]
                                : xml.apply(entry).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        if (xml != null) {
                            res.header("Content-Type", "application/xml");
                        }
                        return res.status(200).header("Content-Length", Integer.toString(b.length))
                                .send(Mono.just(Unpooled.wrappedBuffer(b))).then();
                    }
                    return Mono.fromCallable(() -> variables(t, entry, type))
                            .subscribeOn(Schedulers.boundedElastic())
                            .flatMap(vars -> sender.send(cb, cb.body(vars), ap.endpoint()))
                            .flatMap(a -> {
                                log.status = 200;
                                log.bytesOut = a.body().length;
                                return res.status(200).header("Content-Type", a.contentType())
                                        .header("Content-Length", Integer.toString(a.body().length))
                                        .send(Mono.just(Unpooled.wrappedBuffer(a.body()))).then();
                            })
                            .onErrorResume(e -> !(e instanceof PlatformError), e -> callbackFailed(res, r, log));
                });
    }

    /** 203 with the OSS error document: the object is stored, the callback was not answered with 200. */
    private Mono<Void> callbackFailed(HttpServerResponse res, Request r, AccessLog log) {
        PlatformError e = new PlatformError(203, "CallbackFailed",
                "Response body is not valid json format or the callback server did not answer 200 in time.");
        return ap.error(res, r, log, e);
    }

    /** The system variables of §5.3 for a stored object. */
    private static Map<String, String> variables(CallerFront.Target t, FileStore.Entry e, @Nullable String type) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("bucket", t.bucket());
        v.put("object", t.key());
        v.put("etag", e.etag().replace("\"", ""));
        v.put("size", Long.toString(e.size()));
        v.put("mimeType", type != null ? type : FileStore.contentType(t.key()));
        v.put("imageInfo.height", "");
        v.put("imageInfo.width", "");
        v.put("imageInfo.format", "");
        try (ImageInputStream in = ImageIO.createImageInputStream(e.file().toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers != null && readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    v.put("imageInfo.height", Integer.toString(reader.getHeight(0)));
                    v.put("imageInfo.width", Integer.toString(reader.getWidth(0)));
                    v.put("imageInfo.format", reader.getFormatName().toLowerCase(Locale.ROOT));
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException x) {
            // not an image (or a broken one): imageInfo.* stay empty, as on OSS
        }
        return v;
    }
}
