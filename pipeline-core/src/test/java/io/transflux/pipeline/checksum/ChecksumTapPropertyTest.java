package io.transflux.pipeline.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

import com.aliyun.oss.common.utils.CRC64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import reactor.core.publisher.Flux;

/**
 * Properties of {@link ChecksumTap}: the values depend only on the bytes, never on how they are chunked or
 * whether buffers are heap or direct, and the tap passes every buffer through untouched.
 */
class ChecksumTapPropertyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Input bytes with split points (empty chunks allowed) and, per chunk, whether it is a direct buffer. */
    record Chunked(byte[] data, List<Integer> cuts, List<Boolean> direct, int leading) {

        /** Fresh buffers over the chunks; each sits at a non-zero position inside a larger buffer. */
        List<ByteBuffer> buffers() {
            List<ByteBuffer> out = new ArrayList<>();
            int from = 0;
            List<Integer> ends = new ArrayList<>(cuts);
            ends.add(data.length);
            for (int i = 0; i < ends.size(); i++) {
                int to = Math.max(from, Math.min(ends.get(i), data.length));
                int n = to - from;
                ByteBuffer b = direct.get(i % direct.size())
                        ? ByteBuffer.allocateDirect(leading + n + 3)
                        : ByteBuffer.allocate(leading + n + 3);
                b.position(leading);
                b.put(data, from, n);
                b.limit(leading + n).position(leading);
                out.add(b);
                from = to;
            }
            return out;
        }

        @Override
        public String toString() {
            return "Chunked[" + data.length + " bytes, cuts " + cuts + ", direct " + direct + ", leading " + leading
                    + "]";
        }
    }

    @Provide
    Arbitrary<Chunked> chunked() {
        Arbitrary<byte[]> data = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                Arbitraries.bytes().array(byte[].class).ofMinSize(700).ofMaxSize(5000));
        return data.flatMap(d -> Combinators.combine(
                        Arbitraries.integers().between(0, d.length).list().ofMaxSize(12).map(l -> {
                            List<Integer> sorted = new ArrayList<>(l);
                            sorted.sort(null);
                            return sorted;
                        }),
                        Arbitraries.of(true, false).list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.integers().between(0, 9))
                .as((cuts, direct, leading) -> new Chunked(d, cuts, direct, leading)));
    }

    @Property(tries = 200)
    void resultsDoNotDependOnChunkingAndEqualAOneShotComputation(@ForAll("chunked") Chunked input) throws Exception {
        ChecksumTap tap = ChecksumTap.of(ChecksumAlgorithm.values());

        Flux.fromIterable(input.buffers()).transform(tap).blockLast(TIMEOUT);

        assertThat(tap.results().block(TIMEOUT)).isEqualTo(oneShot(input.data()));
    }

    @Property(tries = 200)
    void passesIdenticalBuffersWithPositionsAndLimitsUntouched(@ForAll("chunked") Chunked input,
            @ForAll @Size(min = 1, max = 3) Set<ChecksumAlgorithm> algorithms) {
        List<ByteBuffer> sent = input.buffers();
        int[] positions = sent.stream().mapToInt(ByteBuffer::position).toArray();
        int[] limits = sent.stream().mapToInt(ByteBuffer::limit).toArray();

        List<ByteBuffer> received = Flux.fromIterable(sent).transform(ChecksumTap.of(algorithms))
                .collectList().block(TIMEOUT);

        assertThat(received).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i)).isSameAs(sent.get(i));
            assertThat(received.get(i).position()).isEqualTo(positions[i]);
            assertThat(received.get(i).limit()).isEqualTo(limits[i]);
        }
    }

    /** The expected values from the JDK and aliyun over the whole array; CRC64NVME from the AWS SDK. */
    private static Map<ChecksumAlgorithm, ChecksumValue> oneShot(byte[] data) throws Exception {
        Map<ChecksumAlgorithm, ChecksumValue> out = new LinkedHashMap<>();
        for (ChecksumAlgorithm a : EnumSet.allOf(ChecksumAlgorithm.class)) {
            out.put(a, ChecksumValue.of(a, oneShot(a, data)));
        }
        return out;
    }

    private static byte[] oneShot(ChecksumAlgorithm a, byte[] data) throws Exception {
        switch (a) {
            case CRC32: {
                CRC32 c = new CRC32();
                c.update(data);
                return bigEndian(c.getValue(), 4);
            }
            case CRC32C: {
                CRC32C c = new CRC32C();
                c.update(data);
                return bigEndian(c.getValue(), 4);
            }
            case CRC64NVME:
                return bigEndian(Crc64Test.aws(data, 0, data.length), 8);
            case CRC64ECMA: {
                CRC64 c = new CRC64();
                c.update(data, 0, data.length);
                return bigEndian(c.getValue(), 8);
            }
            case MD5:
                return MessageDigest.getInstance("MD5").digest(data);
            case SHA1:
                return MessageDigest.getInstance("SHA-1").digest(data);
            case SHA256:
                return MessageDigest.getInstance("SHA-256").digest(data);
            case SHA512:
                return MessageDigest.getInstance("SHA-512").digest(data);
            default:
                throw new AssertionError(a);
        }
    }

    private static byte[] bigEndian(long v, int width) {
        byte[] all = ByteBuffer.allocate(8).putLong(v).array();
        return Arrays.copyOfRange(all, 8 - width, 8);
    }
}
