package io.transflux.operators.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.PipelineSpecException;
import io.transflux.pipeline.StageRegistry;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/** The stages as operators: spec round trip, parameter errors, metadata, backpressure, cancel, errors. */
class DecompressionOperatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"decompress/gzip", "decompress/zlib,raw_1", "decompress/bzip2,trailing_ignore",
            "decompress/zstd,out_1000,ratio_0,members_5,chunk_4096,idle_0,wlog_31", "decompress/snappy,format_xerial",
            "decompress/zip,entry_YS9iLnR4dA", "decompress/zip,list_1,entries_20", "decompress/auto,unknown_fail"})
    void canonicalSpecRoundTrips(String spec) {
        Pipeline p = Pipeline.parse(spec);

        assertThat(p.toString()).isEqualTo(spec);
        assertThat(Pipeline.parse(p.toString())).isEqualTo(p);
        assertThat(StageRegistry.defaultRegistry().stageNames()).contains("decompress/gzip", "decompress/zlib",
                "decompress/bzip2", "decompress/snappy", "decompress/zstd", "decompress/zip", "decompress/auto");
    }

    @Test
    void defaultValuedParametersAreDroppedFromTheCanonicalSpec() {
        assertThat(Pipeline.parse("decompress/zstd,wlog_27,trailing_reject,ratio_100000").toString()).isEqualTo("decompress/zstd");
    }

    @Test
    void badParametersFailAtParseTimeNamingStageParameterAndAllowedValues() {
        assertThatThrownBy(() -> Pipeline.parse("decompress/zstd,wlog_40"))
                .isInstanceOf(PipelineSpecException.class)
                .hasMessageContaining("decompress/zstd").hasMessageContaining("wlog").hasMessageContaining("[10, 31]");
        assertThatThrownBy(() -> Pipeline.parse("decompress/gzip,wlog_20"))
                .isInstanceOf(PipelineSpecException.class)
                .hasMessageContaining("unknown parameter 'wlog'");
        assertThatThrownBy(() -> Pipeline.parse("decompress/snappy,format_lz4"))
                .isInstanceOf(PipelineSpecException.class)
                .hasMessageContaining("format").hasMessageContaining("[framed, raw, xerial]");
        assertThatThrownBy(() -> Pipeline.parse("decompress/zip,entry_%%%"))
                .isInstanceOf(PipelineSpecException.class)
                .hasMessageContaining("URL-safe Base64");
    }

    @Test
    void metadataDropsEncodingAndLengthAndTakesTypeFromTheInnerName() {
        Operator gzip = Pipeline.parse("decompress/gzip").operators().get(0);
        ObjectMetadata in = ObjectMetadata.builder().key("logs/app.json.gz").contentEncoding("gzip")
                .contentType("application/gzip").contentLength(123).build();

        ObjectMetadata out = gzip.apply(ObjectStream.of(Flux.empty(), in)).metadata();

        assertThat(out.contentEncoding()).isNull();
        assertThat(out.contentLength()).isEmpty();
        assertThat(out.contentType()).isEqualTo("application/json");
        assertThat(gzip.apply(ObjectStream.of(Flux.empty())).metadata().contentType()).isEqualTo("application/octet-stream");
        Operator auto = Pipeline.parse("decompress/auto").operators().get(0);
        ObjectMetadata plain = ObjectMetadata.builder().key("a.csv").contentType("text/csv").build();
        assertThat(auto.apply(ObjectStream.of(Flux.empty(), plain)).metadata().contentType()).isEqualTo("text/csv");
        String entry = Base64.getUrlEncoder().withoutPadding().encodeToString("plain.txt".getBytes(StandardCharsets.UTF_8));
        Operator zip = Pipeline.parse("decompress/zip,entry_" + entry).operators().get(0);
        assertThat(zip.apply(ObjectStream.of(Flux.empty(), ObjectMetadata.builder().key("x.zip").build())).metadata()
                .contentType()).isEqualTo("text/plain");
    }

    @Test
    void autoFallsBackToContentEncodingAndExtension() {
        byte[] plain = "no magic needed".getBytes(StandardCharsets.US_ASCII);
        byte[] raw = ReferenceCompressor.ZLIB.compress(plain);
        Operator auto = Pipeline.parse("decompress/auto").operators().get(0);
        // zlib magic 78 9c sniffed; the same bytes with a gzip Content-Encoding still sniff as zlib
        byte[] out = ByteStreams.toBytes(auto.apply(ObjectStream.of(Flux.just(ByteBuffer.wrap(raw)),
                ObjectMetadata.builder().contentEncoding("gzip").build())).content()).block(Duration.ofSeconds(10));
        assertThat(out).isEqualTo(plain);
        // no magic (bare deflate is not sniffed) but a .gz key: decoded as gzip, which rejects it
        byte[] deflate = java.util.Arrays.copyOfRange(raw, 2, raw.length);
        assertThatThrownBy(() -> ByteStreams.toBytes(auto.apply(ObjectStream.of(Flux.just(ByteBuffer.wrap(deflate)),
                ObjectMetadata.builder().key("x.gz").build())).content()).block(Duration.ofSeconds(10)))
                .isInstanceOf(DecompressionException.class).hasMessageStartingWith("gzip: bad magic");
    }

    @Test
    void zipListReturnsJson() {
        byte[] zip = GoldenFixture.load("zip", "twoEntries.zip");
        Operator list = Pipeline.parse("decompress/zip,list_1").operators().get(0);

        ObjectStream out = list.apply(ObjectStream.of(Flux.just(ByteBuffer.wrap(zip))));
        String json = new String(ByteStreams.toBytes(out.content()).block(Duration.ofSeconds(10)), StandardCharsets.UTF_8);

        assertThat(out.metadata().contentType()).isEqualTo("application/json");
        assertThat(json).startsWith("{\"entries\":[{\"name\":\"dir/\",\"directory\":true")
                .contains("{\"name\":\"plain.txt\",\"directory\":false,\"method\":\"DEFLATED\",\"encrypted\":false,\"size\":5320")
                .contains("\"name\":\"second.txt\"").endsWith("]}\n");
        String second = Base64.getUrlEncoder().encodeToString("second.txt".getBytes(StandardCharsets.UTF_8));
        byte[] entry = ByteStreams.toBytes(Pipeline.parse("decompress/zip,entry_" + second).operators().get(0)
                .apply(ObjectStream.of(Flux.just(ByteBuffer.wrap(zip)))).content()).block(Duration.ofSeconds(10));
        assertThat(new String(entry, StandardCharsets.UTF_8)).isEqualTo("second entry\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GZIP", "ZSTD", "SNAPPY", "BZIP2", "ZIP", "ZLIB"})
    void honoursBackpressureOneChunkPerRequest(String format) {
        ReferenceCompressor c = ReferenceCompressor.valueOf(format);
        byte[] data = DecoderContractTest.compressibleData(1 << 20);
        Operator op = Pipeline.parse(c.stage).operators().get(0);

        StepVerifier.create(op.apply(ObjectStream.of(Flux.just(ByteBuffer.wrap(c.compress(data))))).content(), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(1)
                .assertNext(b -> assertThat(b.remaining()).isPositive().isLessThanOrEqualTo(64 * 1024))
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(2)
                .expectNextCount(2)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GZIP", "ZSTD", "BZIP2"})
    void cancelAndUpstreamErrorPropagateAndReleaseTheSource(String format) {
        ReferenceCompressor c = ReferenceCompressor.valueOf(format);
        byte[] compressed = c.compress(DecoderContractTest.compressibleData(1 << 20));
        Operator op = Pipeline.parse(c.stage).operators().get(0);
        long opened = NativeContexts.openedCount();
        long freed = NativeContexts.freedCount();

        TestPublisher<ByteBuffer> source = TestPublisher.create();
        StepVerifier.create(op.apply(ObjectStream.of(source.flux())).content())
                .then(() -> DecoderContractTest.await(source::wasSubscribed)) // bzip2 subscribes on its worker
                .then(() -> source.next(ByteBuffer.wrap(compressed, 0, compressed.length / 2)))
                .expectNextCount(1)
                .then(() -> source.error(new IllegalStateException("source broke")))
                .thenConsumeWhile(b -> true)
                .expectErrorMessage("source broke")
                .verify(Duration.ofSeconds(10));

        TestPublisher<ByteBuffer> source2 = TestPublisher.create();
        StepVerifier.create(op.apply(ObjectStream.of(source2.flux())).content())
                .then(() -> DecoderContractTest.await(source2::wasSubscribed))
                .then(() -> source2.next(ByteBuffer.wrap(compressed, 0, compressed.length / 2)))
                .expectNextCount(1)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        DecoderContractTest.await(source2::wasCancelled);
        source2.assertCancelled();
        DecoderContractTest.await(() -> NativeContexts.freedCount() - freed == NativeContexts.openedCount() - opened);
        assertThat(NativeContexts.freedCount() - freed).isEqualTo(NativeContexts.openedCount() - opened);
    }
}
