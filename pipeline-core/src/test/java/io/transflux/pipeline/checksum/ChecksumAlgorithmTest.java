package io.transflux.pipeline.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transflux.pipeline.ErrorCode;
import io.transflux.pipeline.PipelineSpecException;
import org.junit.jupiter.api.Test;

class ChecksumAlgorithmTest {

    private static final String ALLOWED = "crc32, crc32c, crc64nvme, crc64ecma, md5, sha1, sha256, sha512";

    @Test
    void idsAreTheLowerCaseCliNames() {
        assertThat(ChecksumAlgorithm.values()).extracting(ChecksumAlgorithm::id)
                .containsExactly("crc32", "crc32c", "crc64nvme", "crc64ecma", "md5", "sha1", "sha256", "sha512");
    }

    @Test
    void lengthsAreTheValueSizesInBytes() {
        assertThat(ChecksumAlgorithm.values()).extracting(ChecksumAlgorithm::lengthBytes)
                .containsExactly(4, 4, 8, 8, 16, 20, 32, 64);
    }

    @Test
    void onlyCrcsAreCrcs() {
        assertThat(ChecksumAlgorithm.values()).filteredOn(ChecksumAlgorithm::isCrc)
                .containsExactly(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64NVME,
                        ChecksumAlgorithm.CRC64ECMA);
    }

    @Test
    void fromIdRoundTripsEveryIdIgnoringCaseAndBlanks() {
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            assertThat(ChecksumAlgorithm.fromId(a.id())).isSameAs(a);
            assertThat(ChecksumAlgorithm.fromId(" " + a.id().toUpperCase() + " ")).isSameAs(a);
        }
    }

    @Test
    void fromIdNamesTheActualValueAndTheAllowedIds() {
        assertThatThrownBy(() -> ChecksumAlgorithm.fromId("crc64"))
                .isInstanceOfSatisfying(PipelineSpecException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PIPELINE_SPEC))
                .hasMessage("checksum algorithm: actual 'crc64', expected one of " + ALLOWED);
    }

    @Test
    void parseListKeepsTheOrderWritten() {
        assertThat(ChecksumAlgorithm.parseList("sha256, crc32c,CRC64ECMA"))
                .containsExactly(ChecksumAlgorithm.SHA256, ChecksumAlgorithm.CRC32C, ChecksumAlgorithm.CRC64ECMA);
        assertThat(ChecksumAlgorithm.parseList("md5")).containsExactly(ChecksumAlgorithm.MD5);
    }

    @Test
    void parseListReturnsAnUnmodifiableList() {
        assertThatThrownBy(() -> ChecksumAlgorithm.parseList("md5").add(ChecksumAlgorithm.SHA1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void parseListRejectsDuplicates() {
        assertThatThrownBy(() -> ChecksumAlgorithm.parseList("crc32c,sha256,CRC32C"))
                .isInstanceOf(PipelineSpecException.class)
                .hasMessage("checksum algorithms: 'crc32c' appears more than once in 'crc32c,sha256,CRC32C', "
                        + "expected each algorithm at most once");
    }

    @Test
    void parseListRejectsEmptyEntries() {
        assertThatThrownBy(() -> ChecksumAlgorithm.parseList("crc32c,,sha256"))
                .isInstanceOf(PipelineSpecException.class)
                .hasMessage("checksum algorithms: entry 2 of 'crc32c,,sha256' is empty, expected one of " + ALLOWED);
        assertThatThrownBy(() -> ChecksumAlgorithm.parseList("crc32c,"))
                .isInstanceOf(PipelineSpecException.class)
                .hasMessageStartingWith("checksum algorithms: entry 2 of 'crc32c,' is empty");
    }

    @Test
    void parseListRejectsAnEmptyList() {
        assertThatThrownBy(() -> ChecksumAlgorithm.parseList(" "))
                .isInstanceOf(PipelineSpecException.class)
                .hasMessage("checksum algorithms: actual empty list, expected a comma-separated list of " + ALLOWED);
    }

    @Test
    void parseListRejectsUnknownIds() {
        assertThatThrownBy(() -> ChecksumAlgorithm.parseList("crc32c,xxhash64"))
                .isInstanceOf(PipelineSpecException.class)
                .hasMessage("checksum algorithm: actual 'xxhash64', expected one of " + ALLOWED);
    }
}
