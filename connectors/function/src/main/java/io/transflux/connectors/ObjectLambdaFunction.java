package io.transflux.connectors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.transflux.pipeline.Limits;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.PipelineException;
import io.transflux.pipeline.SourceException;
import io.transflux.pipeline.checksum.ChecksumAlgorithm;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The platform-neutral object-transformation function. One instance serves many invocations; it is
 * immutable, and {@link #withPayload(String)} derives the per-access-point variant, as far as the
 * {@link Builder#payloadPolicy PayloadPolicy} allows (by default, a payload that sets anything is refused).
 *
 * <p>A GetObject invocation: open the source (without the caller's Range), apply the {@link Pipeline},
 * apply Range or partNumber to the transformed bytes, stream the result to the platform's
 * {@link ResponseWriter}, and report an {@link InvocationOutcome}. Every cheap check happens before the
 * first byte, and the status is only chosen once 8 MiB of transformed output exist (or the output ended),
 * so a pipeline that fails within them, a limit included, still gets a clean error status; a failure after
 * that aborts the WGOR request.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>Setting</th><th>Default</th><th>Payload key</th></tr>
 *   <tr><td>{@link Builder#pipeline}</td><td>{@code TRANSFLUX_PIPELINE}, else the empty pipeline</td><td>{@code pipeline}</td></tr>
 *   <tr><td>{@link Builder#limits}</td><td>{@link Limits#defaults()}</td><td>{@code maxOutputBytes}</td></tr>
 *   <tr><td>{@link Builder#partSize}</td><td>{@value #DEFAULT_PART_SIZE} (8 MiB)</td><td>{@code partSize}</td></tr>
 *   <tr><td>{@link Builder#maxSpoolBytes}</td><td>{@value #DEFAULT_MAX_SPOOL_BYTES} (512 MiB, Lambda's default /tmp)</td><td>{@code maxSpoolBytes}</td></tr>
 *   <tr><td>{@link Builder#headLengthCap}</td><td>{@value #DEFAULT_HEAD_LENGTH_CAP} (64 MiB)</td><td>{@code headLengthCap}</td></tr>
 *   <tr><td>{@link Builder#maxListBytes}</td><td>{@value #DEFAULT_MAX_LIST_BYTES} (16 MiB)</td><td>-</td></tr>
 *   <tr><td>{@link Builder#checksumAlgorithm}</td><td>{@link ChecksumAlgorithm#CRC32C}</td><td>{@code checksumAlgorithm}</td></tr>
 *   <tr><td>{@link Builder#checksumDelivery}</td><td>{@link ChecksumDelivery#AUTO}</td><td>{@code checksumDelivery}</td></tr>
 *   <tr><td>{@link Builder#spoolDirectory}</td><td>{@code java.io.tmpdir}</td><td>-</td></tr>
 *   <tr><td>{@link Builder#payloadPolicy}</td><td>{@link PayloadPolicy#REJECT}</td><td>-</td></tr>
 * </table>
 */
public final class ObjectLambdaFunction {

    public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;
    public static final long DEFAULT_MAX_SPOOL_BYTES = 512L * 1024 * 1024;
    public static final long DEFAULT_HEAD_LENGTH_CAP = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_LIST_BYTES = 16 * 1024 * 1024;
    public static final ChecksumAlgorithm DEFAULT_CHECKSUM_ALGORITHM = ChecksumAlgorithm.CRC32C;
    public static final PayloadPolicy DEFAULT_PAYLOAD_POLICY = PayloadPolicy.REJECT;
    /** The environment variable holding the pipeline spec when the payload names none. */
    public static final String PIPELINE_ENV = "TRANSFLUX_PIPELINE";

    /** Streaming only: payloads are read in the first invocation, and databind would add to every cold start. */
    private static final JsonFactory JSON = new JsonFactory();

    final Pipeline pipeline;
    final Limits limits;
    final SourceOpener sourceOpener;
    final long partSize;
    final long maxSpoolBytes;
    final long headLengthCap;
    final int maxListBytes;
    final String checksumAlgorithm;
    final ChecksumDelivery checksumDelivery;
    final Path spoolDirectory;
    final PayloadPolicy payloadPolicy;

    private ObjectLambdaFunction(Builder b) {
        this.pipeline = b.pipeline;
        this.limits = b.limits;
        this.sourceOpener = Objects.requireNonNull(b.sourceOpener, "sourceOpener");
        this.partSize = b.partSize;
        this.maxSpoolBytes = b.maxSpoolBytes;
        this.headLengthCap = b.headLengthCap;
        this.maxListBytes = b.maxListBytes;
        this.checksumAlgorithm = b.checksumAlgorithm;
        this.checksumDelivery = b.checksumDelivery;
        this.spoolDirectory = b.spoolDirectory;
        this.payloadPolicy = b.payloadPolicy;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.pipeline = pipeline;
        b.limits = limits;
        b.sourceOpener = sourceOpener;
        b.partSize = partSize;
        b.maxSpoolBytes = maxSpoolBytes;
        b.headLengthCap = headLengthCap;
        b.maxListBytes = maxListBytes;
        b.checksumAlgorithm = checksumAlgorithm;
        b.checksumDelivery = checksumDelivery;
        b.spoolDirectory = spoolDirectory;
        b.payloadPolicy = payloadPolicy;
        return b;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /**
     * This function configured by an access point's payload, a JSON object such as
     * {@code {"pipeline": "decompress/auto", "checksumDelivery": "trailer"}}. Keys not listed in the class
     * Javadoc are ignored; a blank payload or {@code {}} changes nothing. What else happens is the
     * {@link PayloadPolicy}'s choice: applied, ignored, or refused.
     *
     * @throws ConnectorException 500 {@code InvalidConfiguration} for a payload that is not a JSON object or
     *                            has ill-typed values, or that sets a key under {@link PayloadPolicy#REJECT};
     *                            a bad pipeline spec fails with its own exception
     */
    public ObjectLambdaFunction withPayload(@Nullable String payload) {
        if (payload == null || payload.isBlank() || payloadPolicy == PayloadPolicy.IGNORE) {
            return this;
        }
        Map<String, @Nullable Object> root;
        try (JsonParser parser = JSON.createParser(payload)) {
            if (!(EventJson.readTree(parser) instanceof Map<?, ?> m)) {
                throw invalidConfiguration();
            }
            @SuppressWarnings("unchecked")
            Map<String, @Nullable Object> object = (Map<String, @Nullable Object>) m;
            root = object;
        } catch (java.io.IOException e) {
            throw invalidConfiguration();
        }
        if (payloadPolicy == PayloadPolicy.REJECT && !root.isEmpty()) {
            // Short enough to reach the caller (ErrorMapping passes messages up to 120 characters).
            String key = root.keySet().iterator().next();
            throw new ConnectorException(500, "InvalidConfiguration", "Payload key '"
                    + (key.length() > 32 ? key.substring(0, 32) : key) + "' refused: payload policy REJECT, expected no keys.");
        }
        Builder b = toBuilder();
        if (root.containsKey("pipeline")) {
            b.pipeline(Pipeline.parse(text(root.get("pipeline"))));
        }
        if (root.containsKey("checksumAlgorithm")) {
            b.checksumAlgorithm(ChecksumAlgorithm.fromId(text(root.get("checksumAlgorithm"))));
        }
        if (root.containsKey("checksumDelivery")) {
            b.checksumDelivery(ChecksumDelivery.fromId(text(root.get("checksumDelivery"))));
        }
        if (root.containsKey("partSize")) {
            b.partSize(number(root.get("partSize")));
        }
        if (root.containsKey("maxSpoolBytes")) {
            b.maxSpoolBytes(number(root.get("maxSpoolBytes")));
        }
        if (root.containsKey("headLengthCap")) {
            b.headLengthCap(number(root.get("headLengthCap")));
        }
        if (root.containsKey("maxOutputBytes")) {
            b.limits(limits.toBuilder().maxOutputBytes(number(root.get("maxOutputBytes"))).build());
        }
        return b.build();
    }

    private static String text(@Nullable Object n) {
        if (!(n instanceof String s)) {
            throw invalidConfiguration();
        }
        return s;
    }

    /** A positive whole number; a fraction is truncated, as databind's {@code JsonNode.asLong} did. */
    private static long number(@Nullable Object n) {
        long v;
        if (n instanceof Long l) {
            v = l;
        } else if (n instanceof Double d && d >= -0x1p63 && d <= 0x1p63) {
            v = d.longValue();
        } else {
            throw invalidConfiguration();
        }
        if (v <= 0) {
            throw invalidConfiguration();
        }
        return v;
    }

    private static ConnectorException invalidConfiguration() {
        return new ConnectorException(500, "InvalidConfiguration",
                "The access point configuration payload is invalid.");
    }

    /**
     * Answers one GetObject through {@code writer}: exactly one WGOR request is made, carrying either the
     * transformed bytes or the mapped error.
     *
     * <p><b>Backpressure:</b> the WGOR request pulls; the source is read only as fast as the platform
     * accepts bytes. <b>Cancellation:</b> cancelling the returned {@code Mono} cancels the source and aborts
     * the WGOR request. <b>Errors:</b> the returned {@code Mono} does not fail for invocation failures; they
     * are in the outcome. <b>Limits:</b> the pipeline's {@link Limits}; spooling is capped by
     * {@link Builder#maxSpoolBytes}.
     */
    public Mono<InvocationOutcome> getObject(GetObjectRequest request, ResponseWriter writer) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(writer, "writer");
        return Mono.defer(() -> new GetObjectInvocation(this, request, writer).run());
    }

    /**
     * Answers a HeadObject: the transformed object's headers. When the pipeline cannot tell the transformed
     * length from the metadata, the object is fetched and transformed to count it, up to
     * {@link Builder#headLengthCap}. Where the store refuses that GET (S3 signs the HEAD method into the URL),
     * the reply has no Content-Length, unless a range needs the total, which then fails as the source did.
     *
     * @param url        the presigned HEAD URL
     * @param headers    headers to send on the source request
     * @param range      the caller's Range, or null
     * @param partNumber the caller's partNumber, or null
     */
    public Mono<HeadReply> headObject(String url, Map<String, String> headers, @Nullable String range,
            @Nullable String partNumber) {
        return Mono.defer(() -> {
            RangeRequest rr = RangeRequest.parse(range, partNumber, partSize);
            return sourceOpener.head(url, headers).open()
                    .flatMap(src -> {
                        ObjectStream out = pipeline.apply(src.withContent(reactor.core.publisher.Flux.empty()), limits);
                        ObjectMetadata meta = out.metadata();
                        OptionalLong len = meta.contentLength();
                        Mono<Long> total = len.isPresent() ? Mono.just(len.getAsLong())
                                : countTransformed(url, headers)
                                        // S3 binds the method into the presigned URL: a GET on the HEAD URL is
                                        // refused. Without a range to resolve, answer without a length.
                                        .onErrorResume(e -> rr == null && e instanceof SourceException se
                                                && se.status() == 403, e -> Mono.just(UNKNOWN_LENGTH));
                        return total.map(t -> headReply(meta, t, rr));
                    });
        }).onErrorResume(e -> Mono.just(HeadReply.error(ErrorMapping.map(e))));
    }

    private Mono<Long> countTransformed(String url, Map<String, String> headers) {
        Limits capped = limits.toBuilder().maxOutputBytes(Math.min(limits.maxOutputBytes(), headLengthCap)).build();
        return sourceOpener.get(url, headers).open()
                .flatMap(src -> pipeline.apply(src, capped).content().reduce(0L, (n, b) -> n + b.remaining()));
    }

    private static final long UNKNOWN_LENGTH = -1;

    private HeadReply headReply(ObjectMetadata meta, long total, @Nullable RangeRequest rr) {
        Map<String, String> h = new LinkedHashMap<>();
        int status = 200;
        long length = total;
        if (rr != null) {
            RangeRequest.Slice s = rr.resolve(total);
            status = 206;
            length = s.length();
            h.put("Content-Range", RangeRequest.contentRange(s.start(), s.length(), OptionalLong.of(total)));
            if (rr.kind == RangeRequest.Kind.PART) {
                h.put("x-amz-mp-parts-count", Long.toString(rr.partsCount(total)));
            }
        }
        if (length != UNKNOWN_LENGTH) {
            h.put("Content-Length", Long.toString(length));
        }
        h.put("Accept-Ranges", "bytes");
        EntityHeaders.describe(meta, !pipeline.isEmpty()).forEach(h::put);
        return new HeadReply(status, null, null, h);
    }

    /**
     * Answers ListObjects / ListObjectsV2: the listing XML as the source returned it, at most
     * {@link Builder#maxListBytes} bytes.
     */
    public Mono<ListReply> listObjects(String url, Map<String, String> headers) {
        return Mono.defer(() -> sourceOpener.get(url, headers).open()
                        .flatMap(src -> src.content()
                                .reduce(new java.io.ByteArrayOutputStream(), (out, b) -> {
                                    if (out.size() + (long) b.remaining() > maxListBytes) {
                                        throw new io.transflux.pipeline.LimitExceededException("maxListBytes",
                                                maxListBytes, out.size() + (long) b.remaining(), "bytes",
                                                "raise it with ObjectLambdaFunction.builder().maxListBytes(..)");
                                    }
                                    ByteBuffer d = b.duplicate();
                                    byte[] tmp = new byte[d.remaining()];
                                    d.get(tmp);
                                    out.write(tmp, 0, tmp.length);
                                    return out;
                                }))
                        .map(out -> new ListReply(200, null, null, out.toString(StandardCharsets.UTF_8))))
                .onErrorResume(e -> Mono.just(ListReply.error(ErrorMapping.map(e))));
    }

    @Override
    public String toString() {
        return "ObjectLambdaFunction{pipeline=" + pipeline + ", checksum=" + checksumAlgorithm + "/"
                + checksumDelivery.id() + ", partSize=" + partSize + '}';
    }

    /** Copy-on-write configuration; {@link #build()} validates. */
    public static final class Builder {
        private Pipeline pipeline = Pipeline.empty();
        private Limits limits = Limits.defaults();
        private @Nullable SourceOpener sourceOpener;
        private long partSize = DEFAULT_PART_SIZE;
        private long maxSpoolBytes = DEFAULT_MAX_SPOOL_BYTES;
        private long headLengthCap = DEFAULT_HEAD_LENGTH_CAP;
        private int maxListBytes = DEFAULT_MAX_LIST_BYTES;
        private String checksumAlgorithm = DEFAULT_CHECKSUM_ALGORITHM.id();
        private ChecksumDelivery checksumDelivery = ChecksumDelivery.AUTO;
        private Path spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"));
        private PayloadPolicy payloadPolicy = DEFAULT_PAYLOAD_POLICY;

        private Builder() {
        }

        public Builder pipeline(Pipeline pipeline) {
            this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
            return this;
        }

        /** The pipeline from {@value #PIPELINE_ENV} in {@code env}, if set. */
        public Builder pipelineFromEnvironment(Map<String, String> env) {
            String spec = env.get(PIPELINE_ENV);
            if (spec != null) {
                pipeline(Pipeline.parse(spec));
            }
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder sourceOpener(SourceOpener sourceOpener) {
            this.sourceOpener = Objects.requireNonNull(sourceOpener, "sourceOpener");
            return this;
        }

        /** The synthetic part size for partNumber requests, over the transformed bytes. */
        public Builder partSize(long partSize) {
            if (partSize < 1) {
                throw new IllegalArgumentException("partSize: actual " + partSize + ", expected >= 1");
            }
            this.partSize = partSize;
            return this;
        }

        public Builder maxSpoolBytes(long maxSpoolBytes) {
            if (maxSpoolBytes < 0) {
                throw new IllegalArgumentException("maxSpoolBytes: actual " + maxSpoolBytes + ", expected >= 0");
            }
            this.maxSpoolBytes = maxSpoolBytes;
            return this;
        }

        public Builder headLengthCap(long headLengthCap) {
            if (headLengthCap < 0) {
                throw new IllegalArgumentException("headLengthCap: actual " + headLengthCap + ", expected >= 0");
            }
            this.headLengthCap = headLengthCap;
            return this;
        }

        public Builder maxListBytes(int maxListBytes) {
            if (maxListBytes < 1) {
                throw new IllegalArgumentException("maxListBytes: actual " + maxListBytes + ", expected >= 1");
            }
            this.maxListBytes = maxListBytes;
            return this;
        }

        /** The checksum computed over the transformed bytes and sent with them. */
        public Builder checksumAlgorithm(ChecksumAlgorithm algorithm) {
            this.checksumAlgorithm = Objects.requireNonNull(algorithm, "algorithm").id();
            return this;
        }

        /** What an access point's configuration payload may change; see {@link PayloadPolicy}. */
        public Builder payloadPolicy(PayloadPolicy payloadPolicy) {
            this.payloadPolicy = Objects.requireNonNull(payloadPolicy, "payloadPolicy");
            return this;
        }

        public Builder checksumDelivery(ChecksumDelivery checksumDelivery) {
            this.checksumDelivery = Objects.requireNonNull(checksumDelivery, "checksumDelivery");
            return this;
        }

        public Builder spoolDirectory(Path spoolDirectory) {
            this.spoolDirectory = Objects.requireNonNull(spoolDirectory, "spoolDirectory");
            return this;
        }

        public ObjectLambdaFunction build() {
            if (sourceOpener == null) {
                throw new IllegalStateException("sourceOpener: actual none, expected a SourceOpener");
            }
            return new ObjectLambdaFunction(this);
        }
    }

    static PipelineException unwrap(Throwable t) {
        return PipelineException.wrap(reactor.core.Exceptions.unwrap(t));
    }
}
