package io.transflux.operators.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;

import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.PipelineSpecException;
import io.transflux.pipeline.StageSpec;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

class DecompressionBuilderTest {

    static String spec(Decompression.Builder b) {
        return b.toStageSpec().toString();
    }

    @Test
    void typedFactoriesWriteTheCanonicalGrammar() {
        assertThat(spec(Decompression.zstd().windowLogMax(31).maxRatio(1000))).isEqualTo("decompress/zstd,ratio_1000,wlog_31");
        assertThat(spec(Decompression.zlib().rawDeflate())).isEqualTo("decompress/zlib,raw_1");
        assertThat(spec(Decompression.snappy().snappyFormat(Decompression.SnappyFormat.XERIAL)))
                .isEqualTo("decompress/snappy,format_xerial");
        assertThat(spec(Decompression.auto().failOnUnknownFormat())).isEqualTo("decompress/auto,unknown_fail");
        assertThat(spec(Decompression.gzip().idleTimeout(Duration.ofSeconds(30)).ignoreTrailingBytes()))
                .isEqualTo("decompress/gzip,idle_30,trailing_ignore");
        assertThat(spec(Decompression.bzip2())).isEqualTo("decompress/bzip2");
    }

    @Test
    void defaultsAreLeftOutSoBothFormsCompareEqual() {
        assertThat(Decompression.zstd().windowLogMax(DecodeSpec.DEFAULT_WINDOW_LOG_MAX).toStageSpec())
                .isEqualTo(StageSpec.parse("decompress/zstd"));
    }

    @Test
    void aZipEntryNameIsEncodedAsTheGrammarExpects() {
        assertThat(spec(Decompression.zip().zipEntry("dir/b.txt"))).isEqualTo("decompress/zip,entry_ZGlyL2IudHh0");
    }

    @Test
    void aParameterTheFormatDoesNotTakeIsRefusedByName() {
        assertThatThrownBy(() -> Decompression.gzip().windowLogMax(20).build())
                .isInstanceOf(PipelineSpecException.class).hasMessageContaining("wlog");
        assertThatThrownBy(() -> Decompression.zstd().windowLogMax(40).build())
                .isInstanceOf(PipelineSpecException.class).hasMessageContaining("wlog").hasMessageContaining("40");
        assertThatThrownBy(() -> Decompression.zip().zipEntry("a").zipListing().build())
                .isInstanceOf(PipelineSpecException.class).hasMessageContaining("list");
    }

    @Test
    void aBuiltOperatorDecodesLikeTheParsedOne() {
        for (GoldenFixture f : GoldenFixture.all()) {
            if (!f.format().equals("zstd") || f.stage().contains("wlog")) {
                continue;
            }
            Operator op = Decompression.zstd().build();
            assertThat(op.spec()).isEqualTo(StageSpec.parse(f.stage()));
            byte[] out = ByteStreams.toBytes(op.apply(ObjectStream.of(Flux.just(ByteBuffer.wrap(f.bytes())))).content())
                    .block(Duration.ofSeconds(30));
            assertThat(GoldenFixture.sha256(out)).as(f.toString()).isEqualTo(f.expectedSha256());
        }
    }
}
