package io.transflux.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.zip.CRC32C;

import io.transflux.connectors.ObjectResponse;
import io.transflux.connectors.RawHttpCapture;
import io.transflux.pipeline.DecompressionException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The S3 WGOR client as raw bytes on the socket (docs/dependencies.md §5.1 and §5.7): a body failing part-way
 * closes the connection without the terminating chunk; a checksum trailer goes out after {@code 0\r\n} with
 * one terminator.
 */
class S3WgorWireTest {

    static S3WgorClient client(String endpoint) {
        return S3WgorClient.create("eu-west-1", AwsCredentials.of("AKID", "secret", "session")).endpointOverride(endpoint);
    }

    @Test
    void bodyFailingPartWayClosesTheConnectionWithoutTheTerminatingChunk() throws Exception {
        try (RawHttpCapture raw = new RawHttpCapture()) {
            Flux<ByteBuffer> body = Flux.range(0, 10).map(i -> ByteBuffer.wrap(new byte[1000]))
                    .concatWith(Flux.error(new DecompressionException("late failure")));

            Throwable failure = client(raw.base()).writer("route", "token")
                    .write(ObjectResponse.builder(200).body(body).build())
                    .materialize().block(Duration.ofSeconds(10)).getThrowable();

            RawHttpCapture.Wire w = raw.await();
            assertThat(failure).isInstanceOf(DecompressionException.class);
            assertThat(w.headers()).containsEntry("transfer-encoding", "chunked").doesNotContainKey("content-length");
            assertThat(w.terminated()).isFalse();
            assertThat(w.bodyBytes()).isLessThanOrEqualTo(10_000);
        }
    }

    @Test
    void checksumTrailerFollowsTheLastChunkOnTheWire() throws Exception {
        try (RawHttpCapture raw = new RawHttpCapture()) {
            byte[] data = "123456789".getBytes();
            CRC32C crc = new CRC32C();
            crc.update(data);
            String value = Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());

            client(raw.base()).writer("route", "token")
                    .write(ObjectResponse.builder(200).body(Flux.just(ByteBuffer.wrap(data)))
                            .checksumTrailer("x-amz-fwd-header-x-amz-checksum-crc32c", Mono.just(value)).build())
                    .block(Duration.ofSeconds(10));

            RawHttpCapture.Wire w = raw.await();
            assertThat(value).isEqualTo("4waSgw==");
            assertThat(w.terminated()).isTrue();
            assertThat(w.bodyBytes()).isEqualTo(9);
            assertThat(w.headers()).containsEntry("trailer", "x-amz-fwd-header-x-amz-checksum-crc32c");
            assertThat(w.tail()).isEqualTo("0\r\nx-amz-fwd-header-x-amz-checksum-crc32c: 4waSgw==\r\n\r\n");
            assertThat(w.trailers()).isEqualTo(Map.of("x-amz-fwd-header-x-amz-checksum-crc32c", "4waSgw=="));
        }
    }
}
