package io.transflux.connectors.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transflux.connectors.ConnectorException;
import io.transflux.pipeline.StageRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of {@code <chain>|sys/saveas,o_…,b_…} (docs/protocols.md §6.4) and its OSS error codes. */
class ProcessRequestTest {

    static void failsWith(String process, int status, String code, String messagePart) {
        assertThatThrownBy(() -> ProcessRequest.parse(process))
                .isInstanceOf(ConnectorException.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> {
                    assertThat(((ConnectorException) e).status()).isEqualTo(status);
                    assertThat(((ConnectorException) e).errorCode()).isEqualTo(code);
                });
    }

    @Test
    void splitsTheDocumentedExampleIntoPipelineAndTarget() {
        ProcessRequest r = ProcessRequest.parse("image/resize,w_100|sys/saveas,o_dGVzdC5qcGc,b_dGVzdA");

        assertThat(r.pipelineSpec()).isEqualTo("image/resize,w_100");
        assertThat(r.saveAs()).contains(new SaveAs("test.jpg", "test"));
        assertThat(r).hasToString("image/resize,w_100|sys/saveas,o_dGVzdC5qcGc,b_dGVzdA");
    }

    @Test
    void keepsEveryStageBeforeSaveAsInOrder() {
        ProcessRequest r = ProcessRequest.parse("decompress/gzip|image/resize,w_10/quality,q_80|sys/saveas,o_eA");

        assertThat(r.pipelineSpec()).isEqualTo("decompress/gzip|image/resize,w_10/quality,q_80");
        assertThat(r.saveAs()).contains(new SaveAs("x", null));
    }

    @Test
    void processStringWithoutSaveAsIsOnlyAPipeline() {
        ProcessRequest r = ProcessRequest.parse("image/resize,w_100");

        assertThat(r.saveAs()).isEmpty();
        assertThat(r.pipelineSpec()).isEqualTo("image/resize,w_100");
    }

    @Test
    void acceptsPaddedAndStandardAlphabetBase64() {
        // "a?b>" encodes to YT9iPg== (standard) and YT9iPg (URL-safe, no padding); "??>" to Pz8+ / Pz8-
        assertThat(SaveAs.parse("sys/saveas,o_YT9iPg==").object()).isEqualTo("a?b>");
        assertThat(SaveAs.parse("sys/saveas,o_Pz8-").object()).isEqualTo("??>");
        assertThat(SaveAs.parse("sys/saveas,o_Pz8+").object()).isEqualTo("??>");
        assertThat(SaveAs.parse("sys/saveas,o_" + SaveAs.encode("dir/ü 日本.jpg")).object()).isEqualTo("dir/ü 日本.jpg");
    }

    @Test
    void roundTripsThroughTheCanonicalForm() {
        SaveAs s = new SaveAs("thumbs/a b.jpg", "my.bucket-1");

        assertThat(SaveAs.parse(s.toString())).isEqualTo(s);
        assertThat(s.toString()).doesNotContain("=");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "image/resize,w_1|sys/saveas,o_!!!!;400;InvalidArgument;parameter o: not Base64",
            "image/resize,w_1|sys/saveas,o_dGVzdA,b_%%%;400;InvalidArgument;parameter b: not Base64",
            "image/resize,w_1|sys/saveas,o_a;400;InvalidArgument;parameter o: not Base64",
            "image/resize,w_1|sys/saveas,o_;400;InvalidArgument;parameter o: empty",
            "image/resize,w_1|sys/saveas,o__w;400;InvalidArgument;not UTF-8",
            "image/resize,w_1|sys/saveas,b_dGVzdA;400;InvalidArgument;parameter o (target object, URL-safe Base64): missing",
            "image/resize,w_1|sys/saveas;400;InvalidArgument;parameter o (target object, URL-safe Base64): missing",
            "sys/saveas,o_dGVzdA,o_dGVzdA;400;InvalidArgument;'o': given twice",
            "sys/saveas,o_dGVzdA,x_1;400;InvalidArgument;'x': unknown, expected o or b",
            "sys/saveas,o_dGVzdA|image/resize,w_1;400;InvalidArgument;sys/saveas must be the last stage",
            "image/resize,w_1|sys/notify,topic_x;400;InvalidArgument;only sys/saveas is supported",
            "sys/saveasx,o_dGVzdA;400;InvalidArgument;only sys/saveas is supported",
            "sys/saveas,o_L2V0Yy9wYXNzd2Q;400;InvalidObjectName;starts with '/'",
            "sys/saveas,o_YQpi;400;InvalidObjectName;contains a control character",
            "sys/saveas,o_dGVzdA,b_QUJD;400;InvalidBucketName;target bucket 'ABC'",
            "sys/saveas,o_dGVzdA,b_YQ;400;InvalidBucketName;target bucket 'a'",
    })
    void mapsBadInputToTheOssErrorCode(String process, int status, String code, String messagePart) {
        failsWith(process, status, code, messagePart);
    }

    @Test
    void refusesAnObjectNameOverTheLimit() {
        failsWith("sys/saveas,o_" + SaveAs.encode("k".repeat(1024)), 400, "InvalidObjectName", "1024 bytes");
    }

    @Test
    void targetBucketDefaultsToTheSourceBucketAndHonoursTheAllowList() {
        SaveAs noBucket = SaveAs.parse("sys/saveas,o_dGVzdA");
        SaveAs other = SaveAs.parse("sys/saveas,o_dGVzdA,b_b3RoZXI");

        assertThat(noBucket.targetBucket("src", b -> true)).isEqualTo("src");
        assertThat(other.targetBucket("src", b -> b.equals("other"))).isEqualTo("other");
        assertThatThrownBy(() -> other.targetBucket("src", b -> b.equals("src")))
                .isInstanceOf(ConnectorException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).errorCode()).isEqualTo("AccessDenied"))
                .satisfies(e -> assertThat(((ConnectorException) e).status()).isEqualTo(403));
        assertThatThrownBy(() -> noBucket.targetBucket(null, b -> true))
                .isInstanceOf(ConnectorException.class)
                .hasMessageContaining("parameter b (target bucket): missing")
                .satisfies(e -> assertThat(((ConnectorException) e).errorCode()).isEqualTo("InvalidArgument"));
    }

    @Test
    void badPipelinePartIsInvalidArgument() {
        ProcessRequest r = ProcessRequest.parse("nope/none|sys/saveas,o_dGVzdA");

        assertThatThrownBy(() -> r.pipeline(StageRegistry.defaultRegistry()))
                .isInstanceOf(ConnectorException.class)
                .hasMessageStartingWith("x-oss-process: ")
                .satisfies(e -> assertThat(((ConnectorException) e).errorCode()).isEqualTo("InvalidArgument"));
    }

    @Test
    void refusesOverlongProcessStrings() {
        failsWith("image/resize,w_1/" + "x".repeat(ProcessRequest.MAX_LENGTH), 400, "InvalidArgument", "characters");
    }

    @Test
    void resultJsonHasOssFieldsInOrder() {
        assertThat(new ProcessResult("b", 3267, "k \"1\".jpg", ProcessResult.OK).toJson())
                .isEqualTo("{\"bucket\":\"b\",\"fileSize\":3267,\"object\":\"k \\\"1\\\".jpg\",\"status\":\"OK\"}");
    }
}
