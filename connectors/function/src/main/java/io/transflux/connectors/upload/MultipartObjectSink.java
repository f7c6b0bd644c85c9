package io.transflux.connectors.upload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.SinkException;
import io.transflux.pipeline.sink.ObjectSink;
import io.transflux.pipeline.sink.SinkResult;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Stores a stream of unknown length as one object: a single {@code PutObject} when the content ends before
 * the first part fills, otherwise {@code InitiateMultipartUpload}, one {@code UploadPart} per part in order and
 * {@code CompleteMultipartUpload}. The object appears only when the last request succeeds.
 *
 * <p><b>Backpressure:</b> parts are uploaded one at a time; while one uploads, the next fills; the content
 * is not read further until the upload finishes, so at most two parts (about {@code 2 × partSize}) are held.
 * <b>Cancellation/Discard:</b> cancelling the returned {@code Mono} cancels the content and aborts the
 * multipart upload; held chunks are dropped (plain heap or direct buffers, nothing to release).
 * <b>Errors:</b> a content error, a refused request (status and store error code in a {@link SinkException})
 * or a transport failure aborts the upload and fails the {@code Mono} with the original error. Requests that
 * fail with 5xx or a broken connection are retried {@link MultipartSpec#retries()} times.
 * <b>Limits:</b> more than {@link MultipartSpec#maxParts()} parts fails with a {@link LimitExceededException}.
 */
public final class MultipartObjectSink implements ObjectSink {

    private final StoreEndpoint endpoint;
    private final String bucket;
    private final String key;
    private final MultipartSpec spec;

    private MultipartObjectSink(StoreEndpoint endpoint, String bucket, String key, MultipartSpec spec) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.key = Objects.requireNonNull(key, "key");
        this.spec = Objects.requireNonNull(spec, "spec");
        if (bucket.isEmpty() || key.isEmpty()) {
            throw new IllegalArgumentException("bucket and key: expected non-empty");
        }
    }

    public static MultipartObjectSink of(StoreEndpoint endpoint, String bucket, String key, MultipartSpec spec) {
        return new MultipartObjectSink(endpoint, bucket, key, spec);
    }

    @Override
    public Mono<SinkResult> write(ObjectStream stream) {
        return Mono.usingWhen(
                Mono.fromSupplier(() -> new Upload(stream.metadata())),
                up -> cut(stream.content(), spec.partSize())
                        .concatMap(up::accept, 1)
                        .then(Mono.defer(up::finish)),
                up -> Mono.empty(),
                (up, err) -> up.abort(),
                Upload::abort);
    }

    /** Groups chunks into parts of at least {@code partSize} bytes (the last may be smaller). */
    static Flux<List<ByteBuffer>> cut(Flux<ByteBuffer> content, int partSize) {
        return Flux.defer(() -> {
            long[] filled = {0};
            return content.filter(ByteBuffer::hasRemaining).bufferUntil(b -> {
                filled[0] += b.remaining();
                if (filled[0] >= partSize) {
                    filled[0] = 0;
                    return true;
                }
                return false;
            });
        });
    }

    /**
     * What the store answered when a write of this sink failed: the status and error code of the refused
     * request, and whether it was worth retrying later (5xx, 429, a broken connection or a timeout, after this
     * sink's own retries). Null when {@code failure} did not come from a store request (a content error, a limit).
     */
    public static @Nullable StoreFailure storeFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StoreHttp.Refusal r) {
                return r.failure;
            }
            if (t instanceof StoreHttp.Transient tr) {
                return tr.failure;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "MultipartObjectSink{" + endpoint.location(bucket, key) + ", " + spec + '}';
    }

    /** The state of one write: upload id, part ETags, bytes. Used from one thread at a time (concatMap). */
    private final class Upload {
        private final ObjectMetadata metadata;
        private @Nullable String uploadId;
        /** Cached: a cancelled write still learns the id of an upload it started, so that it can abort it. */
        private @Nullable Mono<String> initiation;
        private final List<String> etags = new ArrayList<>();
        private long bytes;
        private boolean put;
        private boolean completed;

        Upload(ObjectMetadata metadata) {
            this.metadata = metadata;
        }

        Mono<Void> accept(List<ByteBuffer> part) {
            long size = StoreHttp.length(part);
            if (initiation == null && etags.isEmpty() && size < spec.partSize()) {
                return putObject(part, size);
            }
            if (etags.size() >= spec.maxParts()) {
                return Mono.error(new LimitExceededException("parts", spec.maxParts(), etags.size() + 1L, "parts",
                        "raise the part size (now " + spec.partSize() + " bytes)"));
            }
            if (initiation == null) {
                initiation = initiate().cache();
            }
            return initiation.then(Mono.defer(() -> uploadPart(part, size)));
        }

        Mono<SinkResult> finish() {
            if (put) {
                return Mono.just(result());
            }
            if (initiation == null) {
                return putObject(List.of(), 0).thenReturn(result());
            }
            return complete().thenReturn(result());
        }

        private SinkResult result() {
            return new SinkResult(bytes, endpoint.location(bucket, key));
        }

        private Mono<Void> putObject(List<ByteBuffer> body, long size) {
            Map<String, String> h = objectHeaders();
            StoreHttp.withLength(h, size);
            return send("PutObject", "PUT", new TreeMap<>(), h, body).doOnNext(r -> {
                bytes += size;
                put = true;
            }).then();
        }

        private Mono<String> initiate() {
            SortedMap<String, @Nullable String> q = new TreeMap<>();
            q.put("uploads", null);
            Map<String, String> h = objectHeaders();
            StoreHttp.withLength(h, 0);
            return send("InitiateMultipartUpload", "POST", q, h, List.of()).flatMap(r -> {
                String id = StoreXml.first(r.body(), "InitiateMultipartUploadResult", "UploadId");
                if (id == null || id.isBlank()) {
                    return Mono.error(new SinkException("InitiateMultipartUpload: the answer has no UploadId", null));
                }
                uploadId = id;
                return Mono.just(id);
            });
        }

        private Mono<Void> uploadPart(List<ByteBuffer> part, long size) {
            int number = etags.size() + 1;
            SortedMap<String, @Nullable String> q = uploadQuery();
            q.put("partNumber", Integer.toString(number));
            Map<String, String> h = new LinkedHashMap<>();
            StoreHttp.withLength(h, size);
            return send("UploadPart " + number, "PUT", q, h, part).flatMap(r -> {
                if (r.etag() == null || r.etag().isEmpty()) {
                    return Mono.error(new SinkException("UploadPart " + number + ": the answer has no ETag", null));
                }
                etags.add(r.etag());
                bytes += size;
                return Mono.empty();
            });
        }

        private Mono<Void> complete() {
            byte[] xml = StoreXml.completeBody(etags).getBytes(StandardCharsets.UTF_8);
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "application/xml");
            StoreHttp.withLength(h, xml.length);
            return send("CompleteMultipartUpload", "POST", uploadQuery(), h, List.of(ByteBuffer.wrap(xml)))
                    .flatMap(r -> {
                        // S3 may answer 200 and put the failure in the body.
                        String code = StoreXml.errorCode(r.body());
                        if (code != null) {
                            return Mono.error(new SinkException("CompleteMultipartUpload refused: " + code, null));
                        }
                        completed = true;
                        return Mono.empty();
                    });
        }

        /** Aborts the upload if one was started, waiting for a still running initiation to learn its id. */
        Mono<Void> abort() {
            Mono<String> started = initiation;
            if (started == null || completed) {
                return Mono.empty();
            }
            return started.flatMap(id -> {
                        Map<String, String> h = new LinkedHashMap<>();
                        StoreHttp.withLength(h, 0);
                        return send("AbortMultipartUpload", "DELETE", uploadQuery(), h, List.of());
                    })
                    .then()
                    .onErrorResume(e -> Mono.empty()); // the original failure is what the caller must see
        }

        private SortedMap<String, @Nullable String> uploadQuery() {
            SortedMap<String, @Nullable String> q = new TreeMap<>();
            q.put("uploadId", Objects.requireNonNull(uploadId));
            return q;
        }

        private Map<String, String> objectHeaders() {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", metadata.contentType() != null ? metadata.contentType() : "application/octet-stream");
            if (metadata.contentEncoding() != null) {
                h.put("Content-Encoding", metadata.contentEncoding());
            }
            if (metadata.cacheControl() != null) {
                h.put("Cache-Control", metadata.cacheControl());
            }
            if (metadata.contentDisposition() != null) {
                h.put("Content-Disposition", metadata.contentDisposition());
            }
            metadata.userMetadata().forEach((k, v) -> h.put(endpoint.userMetadataPrefix() + k, v));
            return h;
        }

        private Mono<StoreHttp.Reply> send(String operation, String method, SortedMap<String, @Nullable String> query,
                Map<String, String> headers, List<ByteBuffer> body) {
            return Mono.defer(() -> StoreHttp.exchange(operation, method,
                            endpoint.prepare(method, bucket, key, query, headers), body, spec.requestTimeout()))
                    .flatMap(r -> {
                        if (r.ok()) {
                            return Mono.just(r);
                        }
                        String code = StoreXml.errorCode(r.body());
                        String message = operation + " refused: status " + r.status()
                                + (code == null ? "" : ", code " + code);
                        return Mono.error(r.status() >= 500 || r.status() == 429
                                ? new StoreHttp.Transient(message, r.status(), code)
                                : new SinkException(message, new StoreHttp.Refusal(message,
                                        new StoreFailure(r.status(), code, false))));
                    })
                    .retryWhen(Retry.backoff(spec.retries(), Duration.ofMillis(200))
                            .filter(e -> e instanceof StoreHttp.Transient)
                            .onRetryExhaustedThrow((s, sig) -> sig.failure()))
                    .onErrorMap(StoreHttp.Transient.class, e -> new SinkException(e.getMessage(),
                            new StoreHttp.Refusal(e.getMessage(), e.failure)));
        }
    }
}
