package io.transflux.pipeline.checksum;

import static io.transflux.pipeline.checksum.ChecksumAlgorithm.CRC32;
import static io.transflux.pipeline.checksum.ChecksumAlgorithm.CRC32C;
import static io.transflux.pipeline.checksum.ChecksumAlgorithm.CRC64ECMA;
import static io.transflux.pipeline.checksum.ChecksumAlgorithm.CRC64NVME;
import static io.transflux.pipeline.checksum.ChecksumAlgorithm.MD5;
import static io.transflux.pipeline.checksum.ChecksumAlgorithm.SHA256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChecksumValueTest {

    @Test
    void crcBytesAreBigEndianInEveryEncoding() {
        ChecksumValue v = ChecksumValue.of(CRC32C, new byte[] {(byte) 0xe3, 0x06, (byte) 0x92, (byte) 0x83});
        assertThat(v.hex()).isEqualTo("e3069283");
        assertThat(v.base64()).isEqualTo("4waSgw==");
        assertThat(v.unsignedDecimal()).isEqualTo("3808858755");
        assertThat(v).hasToString("crc32c:e3069283");
    }

    @Test
    void unsignedDecimalOfCrc64EcmaMatchesOssHeaderForm() {
        ChecksumValue v = ChecksumValue.fromHex(CRC64ECMA, "995dc9bbdf1939fa");
        assertThat(v.unsignedDecimal()).isEqualTo("11051210869376104954");
        assertThat(ChecksumValue.fromUnsignedDecimal(CRC64ECMA, "11051210869376104954")).isEqualTo(v);
    }

    @Test
    void parsingRoundTripsEveryEncoding() {
        ChecksumValue v = ChecksumValue.fromHex(CRC64NVME, "AE8B14860A799888");
        assertThat(v.hex()).isEqualTo("ae8b14860a799888");
        assertThat(ChecksumValue.fromBase64(CRC64NVME, v.base64())).isEqualTo(v);
        assertThat(ChecksumValue.fromUnsignedDecimal(CRC64NVME, v.unsignedDecimal())).isEqualTo(v);
        assertThat(ChecksumValue.fromHex(CRC64NVME, v.hex())).isEqualTo(v);
    }

    @Test
    void smallDecimalsArePaddedToTheFullWidth() {
        assertThat(ChecksumValue.fromUnsignedDecimal(CRC64ECMA, "0").hex()).isEqualTo("0000000000000000");
        assertThat(ChecksumValue.fromUnsignedDecimal(CRC32, "000255").hex()).isEqualTo("000000ff");
        assertThat(ChecksumValue.fromUnsignedDecimal(CRC32, "4294967295").hex()).isEqualTo("ffffffff");
    }

    @Test
    void bytesAreCopiedInAndOut() {
        byte[] raw = {1, 2, 3, 4};
        ChecksumValue v = ChecksumValue.of(CRC32, raw);
        raw[0] = 9;
        v.bytes()[1] = 9;
        assertThat(v.bytes()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void equalityNeedsTheSameAlgorithmAndBytes() {
        ChecksumValue a = ChecksumValue.fromHex(CRC32, "cbf43926");
        assertThat(a).isEqualTo(ChecksumValue.fromBase64(CRC32, "y/Q5Jg==")).hasSameHashCodeAs(
                ChecksumValue.fromBase64(CRC32, "y/Q5Jg=="));
        assertThat(a).isNotEqualTo(ChecksumValue.fromHex(CRC32C, "cbf43926"))
                .isNotEqualTo(ChecksumValue.fromHex(CRC32, "cbf43927"));
    }

    @Test
    void ofRejectsTheWrongLength() {
        assertThatThrownBy(() -> ChecksumValue.of(SHA256, new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sha256 value: actual 31 bytes, expected 32");
    }

    @Test
    void fromHexRejectsTheWrongLengthAndNonHexDigits() {
        assertThatThrownBy(() -> ChecksumValue.fromHex(CRC32C, "e30692"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crc32c hex value: actual 6 characters, expected 8 (4 bytes)");
        assertThatThrownBy(() -> ChecksumValue.fromHex(CRC32C, "e30692zz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crc32c hex value: actual 'e30692zz', expected only the digits 0-9, a-f, A-F");
    }

    @Test
    void fromBase64RejectsBadTextAndTheWrongLength() {
        assertThatThrownBy(() -> ChecksumValue.fromBase64(CRC32C, "4waS"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crc32c base64 value: actual 3 decoded bytes, expected 4");
        assertThatThrownBy(() -> ChecksumValue.fromBase64(MD5, "not base64!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("md5 base64 value: actual 'not base64!', expected standard Base64");
    }

    @Test
    void fromUnsignedDecimalRejectsOverflowSignsAndDigests() {
        assertThatThrownBy(() -> ChecksumValue.fromUnsignedDecimal(CRC32, "4294967296"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crc32 decimal value: actual 4294967296, expected at most 4294967295 (4 bytes)");
        assertThatThrownBy(() -> ChecksumValue.fromUnsignedDecimal(CRC64ECMA, "-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crc64ecma decimal value: actual '-1', expected an unsigned decimal integer");
        assertThatThrownBy(() -> ChecksumValue.fromUnsignedDecimal(CRC64ECMA, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("crc64ecma decimal value: actual '', expected an unsigned decimal integer");
        assertThatThrownBy(() -> ChecksumValue.fromUnsignedDecimal(SHA256, "1"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("fromUnsignedDecimal: actual algorithm sha256, expected a CRC "
                        + "(crc32, crc32c, crc64nvme, crc64ecma)");
    }

    @Test
    void unsignedDecimalIsOnlyForCrcs() {
        ChecksumValue md5 = ChecksumValue.fromHex(MD5, "d41d8cd98f00b204e9800998ecf8427e");
        assertThatThrownBy(md5::unsignedDecimal)
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("unsignedDecimal: actual algorithm md5, expected a CRC (crc32, crc32c, crc64nvme, crc64ecma)");
    }
}
