package io.transflux.connectors.s3;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.transflux.connectors.ConnectorException;
import io.transflux.pipeline.checksum.ChecksumAlgorithm;
import io.transflux.pipeline.checksum.ChecksumTap;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.http.auth.aws.internal.signer.CredentialScope;
import software.amazon.awssdk.http.auth.aws.internal.signer.RollingSigner;

/**
 * What a verified SigV4 header signature committed the body to ({@code x-amz-content-sha256}), and the check
 * that holds the body to it as it streams: a SHA-256 (a mismatch at the end is 400
 * {@code XAmzContentSHA256Mismatch}), {@code UNSIGNED-PAYLOAD}, or one of the {@code aws-chunked} forms, which are
 * decoded with each chunk signature (403 {@code SignatureDoesNotMatch}), the trailer signature and a trailing
 * {@code x-amz-checksum-*} (400 {@code BadDigest}) checked. Chunk and trailer signatures are computed by the AWS
 * SDK's {@link RollingSigner} from the seed signature and signing key of the header check. Nothing is buffered
 * beyond one chunk-header line. Single use: {@link #verify} once per request.
 */
public final class SignedPayload {

    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    public static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    /** Every {@code x-amz-content-sha256} form accepted besides a hex SHA-256. */
    public static final Set<String> FORMS = Set.of(UNSIGNED_PAYLOAD, STREAMING_SIGNED, STREAMING_SIGNED_TRAILER,
            STREAMING_UNSIGNED_TRAILER);
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final String contentSha256;
    private final @Nullable String trailer;
    private final byte[] signingKey;
    private final String seedSignature;
    private final CredentialScope scope;
    private volatile Map<String, String> trailers = Map.of();

    SignedPayload(String contentSha256, @Nullable String trailer, byte[] signingKey, String seedSignature,
            CredentialScope scope) {
        this.contentSha256 = contentSha256;
        this.trailer = trailer;
        this.signingKey = signingKey.clone();
        this.seedSignature = seedSignature;
        this.scope = scope;
    }

    /** Whether {@code value} is a form of {@code x-amz-content-sha256} this class checks. */
    static boolean accepted(String value) {
        return FORMS.contains(value) || value.matches("[0-9a-f]{64}");
    }

    /** The {@code x-amz-content-sha256} value the signature covers. */
    public String contentSha256() {
        return contentSha256;
    }

    /** Whether the body is {@code aws-chunked} and {@link #verify} decodes it. */
    public boolean awsChunked() {
        return contentSha256.startsWith("STREAMING-");
    }

    /** The trailers of an {@code aws-chunked} body (lower-case names), once {@link #verify}'s output completed. */
    public Map<String, String> trailers() {
        return trailers;
    }

    /**
     * The body as the signature describes it: decoded when {@code aws-chunked}; failing with a
     * {@link ConnectorException} (status and S3 error code) at the first byte that breaks the signed commitment.
     * Output buffers are new heap buffers the subscriber owns; input buffers are only read.
     */
    public Flux<ByteBuffer> verify(Flux<ByteBuffer> body) {
        if (contentSha256.equals(UNSIGNED_PAYLOAD)) {
            return body;
        }
        return Flux.defer(() -> holdLast(checked(body)));
    }

    /**
     * Passes each buffer on when the next one arrives, and the last only once the body has been verified to the
     * end, so a receiver never sees a body that looks complete when the check failed.
     */
    private static Flux<ByteBuffer> holdLast(Flux<ByteBuffer> in) {
        java.util.concurrent.atomic.AtomicReference<@Nullable ByteBuffer> held = new java.util.concurrent.atomic.AtomicReference<>();
        return in.<ByteBuffer>handle((b, sink) -> {
            ByteBuffer previous = held.getAndSet(b);
            if (previous != null) {
                sink.next(previous);
            }
        }).concatWith(Mono.fromSupplier(() -> held.getAndSet(null)));
    }

    private Flux<ByteBuffer> checked(Flux<ByteBuffer> body) {
        if (!awsChunked()) {
            MessageDigest md = sha256();
            return body.doOnNext(b -> md.update(b.duplicate())).concatWith(Mono.defer(() -> {
                String actual = HexFormat.of().formatHex(md.digest());
                return actual.equals(contentSha256) ? Mono.empty() : Mono.error(new ConnectorException(400,
                        "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was "
                        + "computed."));
            }));
        }
        boolean signed = !contentSha256.equals(STREAMING_UNSIGNED_TRAILER);
        boolean withTrailer = contentSha256.endsWith("-TRAILER");
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(signed ? signatures() : null, withTrailer,
                contentSha256.equals(STREAMING_SIGNED_TRAILER));
        Flux<ByteBuffer> decoded = body.map(decoder::decode).filter(ByteBuffer::hasRemaining)
                .concatWith(Mono.fromRunnable(() -> {
                    decoder.finish();
                    trailers = decoder.trailers();
                }));
        String name = trailer == null ? null : trailer.trim().toLowerCase(Locale.ROOT);
        if (!withTrailer || name == null || !name.startsWith("x-amz-checksum-")) {
            return decoded;
        }
        ChecksumAlgorithm alg;
        try {
            alg = ChecksumAlgorithm.fromId(name.substring("x-amz-checksum-".length()));
        } catch (RuntimeException e) {
            return Flux.error(new ConnectorException(400, "InvalidRequest", "x-amz-trailer: actual '" + name
                    + "', expected x-amz-checksum-{crc32,crc32c,crc64nvme,sha1,sha256}."));
        }
        ChecksumTap tap = ChecksumTap.of(alg);
        return tap.apply(decoded).concatWith(Mono.defer(() -> tap.results().flatMap(m -> {
            String claimed = trailers.get(name);
            if (claimed == null || !m.get(alg).base64().equals(claimed)) {
                return Mono.error(new ConnectorException(400, "BadDigest", "The " + alg.id().toUpperCase(Locale.ROOT)
                        + " you specified in the " + name + " trailer did not match the calculated checksum."));
            }
            return Mono.<ByteBuffer>empty();
        })));
    }

    private AwsChunkedDecoder.Signatures signatures() {
        RollingSigner signer = new RollingSigner(signingKey, seedSignature);
        String head = scope.getDatetime() + "\n" + scope.scope() + "\n";
        return new AwsChunkedDecoder.Signatures() {
            @Override
            public boolean chunk(String dataSha256Hex, String claimed) {
                String expected = signer.sign(previous -> "AWS4-HMAC-SHA256-PAYLOAD\n" + head + previous + "\n"
                        + EMPTY_SHA256 + "\n" + dataSha256Hex);
                return same(expected, claimed);
            }

            @Override
            public boolean trailer(String canonicalTrailers, String claimed) {
                String hash = HexFormat.of().formatHex(sha256().digest(canonicalTrailers.getBytes(StandardCharsets.UTF_8)));
                String expected = signer.sign(previous -> "AWS4-HMAC-SHA256-TRAILER\n" + head + previous + "\n" + hash);
                return same(expected, claimed);
            }
        };
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java SE platform", e);
        }
    }
}
