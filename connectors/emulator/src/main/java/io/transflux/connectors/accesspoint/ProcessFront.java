package io.transflux.connectors.accesspoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import io.transflux.connectors.ConnectorException;
import io.transflux.connectors.ErrorMapping;
import io.transflux.connectors.ErrorReply;
import io.transflux.connectors.process.ProcessAndSave;
import io.transflux.connectors.process.ProcessRequest;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.StageRegistry;
import io.transflux.pipeline.sink.FileObjectSink;
import io.transflux.pipeline.source.FileObjectSource;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * OSS server-side processing in the OSS flavour (docs/protocols.md §6): {@code GET ...?x-oss-process=<process>}
 * appends the request's pipeline to the access point's own stages, which always run first, and goes through
 * the function like any GetObject; {@code POST ...?x-oss-process} with the form body
 * {@code x-oss-process=<process>|sys/saveas,o_...,b_...} runs the same stages here, without the function, and
 * writes the result atomically through {@link FileObjectSink} (temporary name, renamed on success). The target
 * bucket must exist (404 {@code NoSuchBucket}) and be one the source's access point covers (403
 * {@code AccessDenied}).
 */
final class ProcessFront {

    /** The query parameter and form field. */
    static final String PARAM = "x-oss-process";
    /** Cap on the POST form body: a process string plus its URL encoding. */
    static final int MAX_FORM_BYTES = 3 * ProcessRequest.MAX_LENGTH;

    private final LocalAccessPoint ap;
    private final Limits limits;

    ProcessFront(LocalAccessPoint ap, Limits limits) {
        this.ap = ap;
        this.limits = limits;
    }

    /**
     * The access point {@code spec} extended by a GET's process string: its stages, then the request's. A
     * {@code sys/saveas} or a bad spec is 400 {@code InvalidArgument}.
     */
    static AccessPointSpec onRead(AccessPointSpec spec, String process) {
        ProcessRequest pr = parse(process);
        if (pr.saveAs().isPresent()) {
            throw new PlatformError(400, "InvalidArgument",
                    "x-oss-process: sys/saveas is allowed only in POST ?x-oss-process (process and save)");
        }
        String extra = pr.pipelineSpec();
        if (extra.isBlank()) {
            return spec;
        }
        return spec.withPipeline(spec.pipeline().isBlank() ? extra : spec.pipeline() + "|" + extra);
    }

    /** {@code POST /{bucket}/{key}?x-oss-process}: processes the stored object and saves the result. */
    Mono<Void> save(HttpServerRequest req, HttpServerResponse res, AccessLog log, AccessPointSpec spec, String bucket,
            String key) {
        return req.receive().asByteArray()
                .reduce(new ByteArrayOutputStream(), (acc, b) -> {
                    if (acc.size() + b.length > MAX_FORM_BYTES) {
                        throw new PlatformError(400, "InvalidArgument", "x-oss-process: form body over "
                                + MAX_FORM_BYTES + " bytes");
                    }
                    acc.writeBytes(b);
                    return acc;
                })
                .map(acc -> formField(acc.toString(StandardCharsets.UTF_8)))
                .switchIfEmpty(Mono.error(() -> missingForm()))
                .flatMap(process -> run(spec, bucket, key, process))
                .flatMap(json -> {
                    byte[] b = json.getBytes(StandardCharsets.UTF_8);
                    log.status = 200;
                    log.bytesOut = b.length;
                    log.firstByte();
                    return res.status(200).header("Content-Type", "application/json")
                            .header("Content-Length", Integer.toString(b.length))
                            .header("x-oss-request-id", ap.newRequestId())
                            .send(Mono.just(Unpooled.wrappedBuffer(b))).then();
                });
    }

    private Mono<String> run(AccessPointSpec spec, String bucket, String key, String process) {
        return Mono.defer(() -> {
            ProcessRequest pr = parse(process);
            FileStore.Entry e;
            try {
                e = ap.store.object(bucket, key);
            } catch (IOException x) {
                throw new PlatformError(500, "InternalError", "The object could not be read.");
            }
            if (e == null) {
                throw new PlatformError(404, "NoSuchKey", "The specified key does not exist.");
            }
            ProcessAndSave job = ProcessAndSave.create((b, k) -> {
                        try {
                            return FileObjectSink.of(ap.store.newObject(b, k));
                        } catch (IOException x) {
                            throw new UncheckedIOException(x);
                        }
                    })
                    .configuredStages(Pipeline.parse(spec.pipeline()))
                    .allowedBuckets(b -> spec.bucket() == null || spec.bucket().equals(b))
                    .limits(limits);
            return job.run(FileObjectSource.of(e.file()), bucket, pr).map(r -> r.toJson());
        }).onErrorMap(t -> !(t instanceof PlatformError), ProcessFront::toPlatformError);
    }

    /** The {@code x-oss-process} field of a form body; {@code +} stays literal (Base64 may carry it). */
    static String formField(String body) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && Request.decode(pair.substring(0, eq)).equals(PARAM)) {
                return Request.decode(pair.substring(eq + 1).trim());
            }
        }
        throw missingForm();
    }

    private static PlatformError missingForm() {
        return new PlatformError(400, "InvalidArgument",
                "x-oss-process: expected the form body x-oss-process=<process>|sys/saveas,o_<object>[,b_<bucket>]");
    }

    private static ProcessRequest parse(String process) {
        try {
            ProcessRequest pr = ProcessRequest.parse(process);
            pr.pipeline(StageRegistry.defaultRegistry());
            return pr;
        } catch (ConnectorException e) {
            throw toPlatformError(e);
        }
    }

    /** A typed failure as the OSS error the caller gets; connector messages name the field, never a secret. */
    static PlatformError toPlatformError(Throwable t) {
        if (t instanceof ConnectorException ce) {
            return new PlatformError(ce.status(), ce.errorCode(), ce.getMessage());
        }
        if (t instanceof UncheckedIOException) {
            return new PlatformError(500, "InternalError", "The target object could not be created.");
        }
        ErrorReply r = ErrorMapping.map(t);
        return new PlatformError(r.status(), r.code() == null ? "InternalError" : r.code(),
                r.message() == null ? "The processing failed." : r.message());
    }
}
