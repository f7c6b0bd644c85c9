package io.transflux.operators.redact;

import java.nio.ByteBuffer;
import java.util.Locale;

import io.transflux.pipeline.ActionSpec;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.StageSpec;
import io.transflux.pipeline.internal.spool.Spool;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The front door: operators for {@code redact/pii} and {@code redact/detect} from a {@link RedactionSpec}.
 */
public final class Redaction {

    private Redaction() {
    }

    /**
     * A {@code redact/pii} operator: streams the object with every selected entity replaced.
     *
     * <p><b>Backpressure:</b> one input buffer is requested at a time; each yields the chunks it releases.
     * <b>Cancellation:</b> nothing is held but heap buffers. <b>Errors:</b> a detector that throws fails the
     * stream with {@code InternalError}; malformed JSON in JSON mode fails with {@code UnsupportedObjectFormat}
     * unless {@code on-malformed_text}. <b>Limits:</b> chunks are at most {@link Limits#maxChunkBytes()};
     * memory is one 64 KiB slice plus the detectors' window. Content-Length is kept only when
     * {@link RedactionSpec#preservesByteLength()}.
     */
    public static Operator pii(RedactionSpec spec) {
        DetectorSet set = new DetectorSet(spec.detectors());
        StageSpec stage = StageSpec.of(RedactStageProvider.CATEGORY, "pii",
                spec.toParams(false).toArray(new ActionSpec.Param[0]));
        if (spec.mode() == RedactionMode.HASH) {
            spec.hmacKeyBytes(); // fail now, not at the first match
        }
        return Operator.of(stage, (input, limits) -> {
            boolean json = jsonMode(spec, input.metadata());
            Flux<ByteBuffer> content = Flux.defer(() -> {
                RedactionScanner s = new RedactionScanner(set, new Replacer(spec), limits.maxChunkBytes(), false,
                        json ? new JsonTokenizer(spec) : JsonFilter.TEXT);
                return input.content().concatMapIterable(s::feed, 1)
                        .concatWith(Flux.defer(() -> Flux.fromIterable(s.finish())));
            });
            ObjectStream out = input.withContent(content);
            return spec.preservesByteLength() ? out : out.mapMetadata(ObjectMetadata.Builder::unknownContentLength);
        });
    }

    private static final String DETECT_SPOOL_HINT = "redact/detect scans the whole object before releasing a byte; "
            + "raise it with redact/detect,max-spool-bytes_<n> or RedactionSpec.builder().maxSpoolBytes(..)";

    /**
     * A {@code redact/detect} operator: refuses objects holding any selected entity with a
     * {@link PiiDetectedException} (403 {@code AccessDenied}, "Document contains PII"), and passes the others
     * unchanged. The decision precedes the first byte: the object is scanned while it is spooled to a
     * temporary file, and only then replayed from it.
     *
     * <p><b>Backpressure:</b> while scanning, input is requested two buffers at a time and written to the
     * spool; the replay reads one chunk per request. <b>Cancellation:</b> the spool file is closed and deleted
     * on completion, error and cancel. <b>Errors:</b> {@link PiiDetectedException}; more than
     * {@link RedactionSpec#maxSpoolBytes()} fails with {@code LimitExceededException} and no byte released.
     * <b>Limits:</b> replayed chunks are at most {@link Limits#maxChunkBytes()}.
     */
    public static Operator detect(RedactionSpec spec) {
        DetectorSet set = new DetectorSet(spec.detectors());
        RedactionSpec scanSpec = spec.toBuilder().mode(RedactionMode.MASK).build();
        StageSpec stage = StageSpec.of(RedactStageProvider.CATEGORY, "detect",
                spec.toParams(true).toArray(new ActionSpec.Param[0]));
        return Operator.of(stage, (input, limits) -> {
            boolean json = jsonMode(spec, input.metadata());
            Flux<ByteBuffer> content = Flux.defer(() -> {
                RedactionScanner s = new RedactionScanner(set, new Replacer(scanSpec), limits.maxChunkBytes(), true,
                        json ? new JsonTokenizer(spec) : JsonFilter.TEXT);
                // Scan on the caller's thread; the spool writes on boundedElastic (feed reads a duplicate).
                return Flux.usingWhen(Spool.write(input.content().limitRate(2).doOnNext(s::feed), null,
                                "transflux-detect-", spec.maxSpoolBytes(), DETECT_SPOOL_HINT),
                        spool -> Mono.fromRunnable(s::finish).thenMany(spool.content(limits.maxChunkBytes())),
                        Spool::closeAsync, (spool, e) -> spool.closeAsync(), Spool::closeAsync);
            });
            return input.withContent(content);
        });
    }

    static boolean jsonMode(RedactionSpec spec, ObjectMetadata m) {
        switch (spec.format()) {
            case JSON:
                return true;
            case TEXT:
                return false;
            default:
                return isJson(m.contentType());
        }
    }

    private static boolean isJson(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi);
        }
        t = t.trim();
        return t.equals("application/json") || t.endsWith("+json") || t.equals("application/x-ndjson")
                || t.equals("application/jsonl") || t.equals("application/x-jsonlines") || t.equals("application/jsonlines")
                || t.equals("application/json-seq");
    }
}
