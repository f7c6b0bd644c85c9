package io.transflux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.transflux.connectors.ConnectorException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * {@link SignedPayload} on bodies the SDK's signer produced, cut into pieces of every size from one byte up, so
 * chunk headers, CRLFs and trailers straddle buffer boundaries: the decoded bytes are the original, and one
 * flipped bit fails at the right check.
 */
class SignedPayloadTest {

    private static final byte[] DATA = "0123456789abcdef".repeat(20_000).getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({"sha256,1", "sha256,7", "chunked,1", "chunked,13", "chunked,65536", "signed-trailer,1",
            "signed-trailer,4099", "unsigned-trailer,1", "unsigned-trailer,8192"})
    void decodesTheSignedBodyWhateverTheBufferBoundaries(String form, int piece) {
        Signed s = sign(form);
        SigV4Check.Verdict v = SigV4Check.verifyHeader("POST", "/WriteGetObjectResponse", s.headers,
                id -> AwsCredentials.of(id, "secret", null), Clock.systemUTC());
        assertThat(v.status()).isEqualTo(SigV4Check.Status.VALID);
        byte[] out = collect(v.payload().verify(pieces(s.body, piece)));
        assertThat(out).isEqualTo(DATA);
        if (form.endsWith("trailer")) {
            assertThat(v.payload().trailers()).containsKey("x-amz-checksum-crc32");
        }
    }

    @ParameterizedTest
    @CsvSource({"sha256,XAmzContentSHA256Mismatch", "chunked,SignatureDoesNotMatch",
            "signed-trailer,SignatureDoesNotMatch", "unsigned-trailer,BadDigest"})
    void oneFlippedDataBitFailsWithTheFormsErrorCode(String form, String code) {
        Signed s = sign(form);
        byte[] body = s.body.clone();
        int i = new String(body, StandardCharsets.ISO_8859_1).lastIndexOf("abcdef");
        body[i] ^= 1;
        SigV4Check.Verdict v = SigV4Check.verifyHeader("POST", "/WriteGetObjectResponse", s.headers,
                id -> AwsCredentials.of(id, "secret", null), Clock.systemUTC());
        assertThatThrownBy(() -> collect(v.payload().verify(pieces(body, 1000))))
                .isInstanceOf(ConnectorException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).errorCode()).isEqualTo(code));
    }

    @ParameterizedTest
    @CsvSource({"chunked", "unsigned-trailer"})
    void aBodyCutShortIsIncomplete(String form) {
        Signed s = sign(form);
        byte[] body = java.util.Arrays.copyOf(s.body, s.body.length - 3);
        SigV4Check.Verdict v = SigV4Check.verifyHeader("POST", "/WriteGetObjectResponse", s.headers,
                id -> AwsCredentials.of(id, "secret", null), Clock.systemUTC());
        assertThatThrownBy(() -> collect(v.payload().verify(pieces(body, 512))))
                .isInstanceOf(ConnectorException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).errorCode()).isEqualTo("IncompleteBody"));
    }

    record Signed(Map<String, String> headers, byte[] body) {
    }

    private static Signed sign(String form) {
        boolean chunked = !form.equals("sha256");
        boolean signed = !form.equals("unsigned-trailer");
        SdkHttpRequest req = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("https://127.0.0.1:9000/WriteGetObjectResponse"))
                .putHeader("Content-Length", Integer.toString(DATA.length)).build();
        SignedRequest r = AwsV4HttpSigner.create().sign(b -> {
            b.identity(AwsCredentialsIdentity.create("AKID", "secret")).request(req)
                    .payload(ContentStreamProvider.fromByteArray(DATA))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3-object-lambda")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, signed)
                    .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, chunked);
            if (form.endsWith("trailer")) {
                b.putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32);
            }
        });
        Map<String, String> headers = new LinkedHashMap<>();
        r.request().headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        headers.put("host", "127.0.0.1:9000");
        try (InputStream in = r.payload().orElseThrow().newStream()) {
            return new Signed(headers, in.readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Flux<ByteBuffer> pieces(byte[] body, int size) {
        List<ByteBuffer> out = new ArrayList<>();
        for (int i = 0; i < body.length; i += size) {
            out.add(ByteBuffer.wrap(body, i, Math.min(size, body.length - i)).slice());
        }
        return Flux.fromIterable(out);
    }

    private static byte[] collect(Flux<ByteBuffer> f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.doOnNext(b -> {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            out.writeBytes(a);
        }).blockLast();
        return out.toByteArray();
    }
}
