package io.transflux.connectors.url;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.ByteBuf;
import io.transflux.connectors.ConnectorException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class ChunkedRequestTest {

    private static String render(Flux<ByteBuf> frames) {
        StringBuilder sb = new StringBuilder();
        for (ByteBuf b : frames.toIterable()) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void aStreamingResponseIsTheHeadThePreludeChunkTheBodyChunksAndTheLastChunk() {
        HttpReply r = new HttpReply(206, Map.of("Content-Range", "bytes 0-4/10"),
                Flux.just(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), ByteBuffer.allocate(0)));
        String wire = render(ChunkedRequest.frames("127.0.0.1:9001", "req-1", r, e -> { }));
        String prelude = "{\"statusCode\":206,\"headers\":{\"Content-Range\":\"bytes 0-4/10\"},\"cookies\":[]}";
        assertThat(wire).startsWith("POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\n")
                .contains("\r\nLambda-Runtime-Function-Response-Mode: streaming\r\n")
                .contains("\r\nTransfer-Encoding: chunked\r\n")
                .contains("\r\nContent-Type: application/vnd.awslambda.http-integration-response\r\n")
                .contains("\r\nTrailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n")
                // the empty buffer is skipped: a zero-size chunk would end the body early
                .endsWith("\r\n\r\n" + Integer.toHexString(prelude.length() + 8) + "\r\n" + prelude + "\0".repeat(8)
                        + "\r\n5\r\nhello\r\n0\r\n\r\n");
    }

    @Test
    void aBodyFailureEndsWithTheErrorTrailersCarryingTheMappedCodeAndNoSecrets() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        HttpReply r = new HttpReply(200, Map.of(), Flux.concat(Flux.just(ByteBuffer.wrap(new byte[] {'a'})),
                Flux.error(new ConnectorException(400, "MalformedCompressedObject", "bad at https://x/?X-Amz-Signature=s"))));
        String wire = render(ChunkedRequest.frames("h:1", "r", r, seen::set));
        assertThat(seen.get()).isInstanceOf(ConnectorException.class);
        int last = wire.lastIndexOf("\r\n0\r\n");
        String trailers = wire.substring(last + 5);
        assertThat(trailers).startsWith("Lambda-Runtime-Function-Error-Type: MalformedCompressedObject\r\n")
                .endsWith("\r\n\r\n");
        String b64 = trailers.split("\r\n")[1].substring("Lambda-Runtime-Function-Error-Body: ".length());
        String json = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
        assertThat(json).contains("\"errorType\":\"MalformedCompressedObject\"").doesNotContain("Signature")
                .doesNotContain("https://");
        assertThat(wire).doesNotContain("\r\n0\r\n\r\n");
    }
}
