package io.transflux.operators.compression;

import static io.transflux.operators.compression.DecoderContractTest.split;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.transflux.operators.compression.DecoderContractTest.Split;
import io.transflux.pipeline.ByteStreams;
import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.RangeReader;
import io.transflux.pipeline.UnsupportedFormatException;
import io.transflux.pipeline.source.FileObjectSource;
import reactor.core.publisher.Flux;

/** {@code decompress/zip} over a {@link RangeReader} (issue 3, ZIP bullets), against the streaming reader. */
class ZipRangedReadingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** A range (start, end) some stage asked the reader for. */
    record Read(long start, long end) {
    }

    static Stream<GoldenFixture> zipFixtures() {
        return GoldenFixture.all().stream().filter(f -> f.format().equals("zip"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zipFixtures")
    void everyZipFixtureDecodesTheSameByRangeAsByStream(GoldenFixture fixture) throws IOException {
        byte[] zip = fixture.bytes();

        byte[] ranged = run(fixture.stage(), ranged(zip, new ArrayList<>()));
        byte[] streamed = run(fixture.stage(), ObjectStream.of(split(zip, Split.RANDOM, false, 3)));

        assertThat(GoldenFixture.sha256(ranged)).isEqualTo(fixture.expectedSha256());
        assertThat(ranged).isEqualTo(streamed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"twoEntries.zip", "zip64.zip", "deflate64.zip", "stdin.zip"})
    void listingFromTheCentralDirectoryMatchesTheStreamedListing(String file) throws IOException {
        byte[] zip = GoldenFixture.load("zip", file);

        String ranged = new String(run("decompress/zip,list_1", ranged(zip, new ArrayList<>())), StandardCharsets.UTF_8);
        String streamed = new String(run("decompress/zip,list_1", ObjectStream.of(split(zip, Split.WHOLE, false, 0))),
                StandardCharsets.UTF_8);

        // A streamed data-descriptor entry has no compressed size up front; the central directory has it.
        String known = file.equals("stdin.zip") ? streamed.replace("\"compressedSize\":null", "\"compressedSize\":904")
                : streamed;
        assertThat(ranged).startsWith("{\"entries\":[{\"name\":").isEqualTo(known);
    }

    @Test
    void storedEntryWithADataDescriptorDecodesByRange() throws IOException {
        byte[] zip = GoldenFixture.load("zip", "storedDescriptor.zip");
        String plainSha = new GoldenFixture("zip", "twoEntries.zip", "decompress/zip").expectedSha256();

        assertThat(GoldenFixture.sha256(run("decompress/zip", ranged(zip, new ArrayList<>())))).isEqualTo(plainSha);
        assertThatThrownBy(() -> run("decompress/zip", ObjectStream.of(split(zip, Split.WHOLE, false, 0))))
                .isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("STORED with a data descriptor");
    }

    @Test
    void encryptedEntryIsRefusedByRangeToo() {
        byte[] zip = GoldenFixture.load("zip", "encrypted.zip");
        assertThatThrownBy(() -> run("decompress/zip", ranged(zip, new ArrayList<>())))
                .isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("'plain.txt' is encrypted");
    }

    @Test
    void neverConsumesTheSequentialContentAndCancelsIt() throws IOException {
        byte[] zip = GoldenFixture.load("zip", "twoEntries.zip");
        ObjectStream file = ranged(zip, new ArrayList<>());
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicLong requested = new AtomicLong();
        ObjectStream watched = ObjectStream.of(Flux.<ByteBuffer>never()
                        .doOnRequest(requested::addAndGet).doOnCancel(() -> cancelled.set(true)), file.metadata())
                .withRangeReader(file.rangeReader().orElseThrow());

        byte[] out = run("decompress/zip", watched);

        assertThat(GoldenFixture.sha256(out)).isEqualTo(new GoldenFixture("zip", "twoEntries.zip", "x").expectedSha256());
        assertThat(cancelled).isTrue();
        assertThat(requested).hasValue(0);
    }

    @Test
    void readsOnlyTheTailTheDirectoryAndTheChosenEntry() throws IOException {
        byte[] first = random(300_000, 1);
        byte[] second = random(200_000, 2);
        byte[] zip = zip(List.of("first.bin", "second.bin"), List.of(first, second), ZipEntry.STORED);
        List<Read> reads = new CopyOnWriteArrayList<>();

        byte[] out = run("decompress/zip,entry_" + b64("second.bin"), ranged(zip, reads));

        assertThat(out).isEqualTo(second);
        long requested = reads.stream().mapToLong(r -> r.end() - r.start()).sum();
        // the 64 KiB + 22 tail, the directory, a 30-byte local header and the entry: not the first entry
        assertThat(requested).isLessThan(ZipCentralDirectory.MAX_TAIL_BYTES + 1_000 + second.length);
        assertThat(reads).hasSize(4);
        assertThat(reads.get(0)).isEqualTo(new Read(zip.length - ZipCentralDirectory.MAX_TAIL_BYTES, zip.length));
    }

    @Test
    void decodesDeflatedEntriesOfAnyChunkingThroughThePushInflater() throws IOException {
        byte[] text = "deflated by java.util.zip, read by range\n".repeat(20_000).getBytes(StandardCharsets.US_ASCII);
        byte[] zip = zip(List.of("a.txt", "b.txt"), List.of(text, random(1000, 3)), ZipEntry.DEFLATED);

        assertThat(run("decompress/zip,chunk_4096", ranged(zip, new ArrayList<>()))).isEqualTo(text);
    }

    @Test
    void refusesTwoCentralHeadersPointingAtOneLocalHeader() throws IOException {
        // Fifield's "better zip bomb" shape: the second central header points at the first entry's local header.
        byte[] zip = zip(List.of("a.txt", "b.txt"), List.of(random(5000, 4), random(5000, 5)), ZipEntry.STORED);
        List<Integer> central = offsets(zip, 0x02014b50);
        ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putInt(central.get(1) + 42, 0);

        assertThatThrownBy(() -> run("decompress/zip", ranged(zip, new ArrayList<>())))
                .isInstanceOf(DecompressionException.class)
                .hasMessageStartingWith("zip: entries overlap: 'a.txt' (local header at 0, 5000 compressed bytes) runs to"
                        + " at least 5035, past the local header of 'b.txt' at 0");
    }

    @Test
    void refusesAnEntryWhoseDataRunsIntoTheNextOne() throws IOException {
        byte[] zip = zip(List.of("a.txt", "b.txt"), List.of(random(5000, 6), random(5000, 7)), ZipEntry.STORED);
        List<Integer> central = offsets(zip, 0x02014b50);
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(central.get(0) + 20, 9000).putInt(central.get(0) + 24, 9000);

        assertThatThrownBy(() -> run("decompress/zip", ranged(zip, new ArrayList<>())))
                .isInstanceOf(DecompressionException.class)
                .hasMessageContaining("entries overlap: 'a.txt'")
                .hasMessageContaining("past the local header of 'b.txt'");
    }

    @Test
    void centralDirectoryOverItsCapIsRefusedBeforeItIsRead() throws IOException {
        byte[] zip = zip(List.of("a", "b", "c"), List.of(random(100_000, 8), random(10, 9), random(10, 10)),
                ZipEntry.STORED);
        List<Read> reads = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> run("decompress/zip,cd_100", ranged(zip, reads)))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limitName()).isEqualTo("zipCentralDirectoryBytes");
                    assertThat(e.limit()).isEqualTo(100);
                    assertThat(e.reached()).isEqualTo(3 * (46 + 1));
                });
        assertThat(reads).containsExactly(new Read(zip.length - ZipCentralDirectory.MAX_TAIL_BYTES, zip.length));
    }

    @Test
    void entryCountOverItsCapIsRefusedBeforeTheDirectoryIsRead() throws IOException {
        byte[] zip = zip(List.of("a", "b", "c"), List.of(random(100_000, 8), random(10, 9), random(10, 10)),
                ZipEntry.STORED);
        List<Read> reads = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> run("decompress/zip,entries_2", ranged(zip, reads)))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limitName()).isEqualTo("zipEntries");
                    assertThat(e.reached()).isEqualTo(3);
                });
        assertThat(reads).containsExactly(new Read(zip.length - ZipCentralDirectory.MAX_TAIL_BYTES, zip.length));
    }

    @Test
    void failsWhenTheEntryCrcDoesNotMatchTheCentralDirectory() throws IOException {
        byte[] data = random(5000, 11);
        byte[] zip = zip(List.of("a.txt"), List.of(data), ZipEntry.STORED);
        zip[30 + 5 + 100] ^= 1;

        assertThatThrownBy(() -> run("decompress/zip", ranged(zip, new ArrayList<>())))
                .isInstanceOf(DecompressionException.class)
                .hasMessageStartingWith("zip: entry 'a.txt': CRC-32 actual 0x");
    }

    @Test
    void failsWhenTheCentralDirectoryPointsAtNoLocalHeader() throws IOException {
        byte[] zip = zip(List.of("a.txt"), List.of(random(100, 12)), ZipEntry.STORED);
        zip[0] = 'X';

        assertThatThrownBy(() -> run("decompress/zip", ranged(zip, new ArrayList<>())))
                .isInstanceOf(DecompressionException.class)
                .hasMessage("zip: entry 'a.txt': no local file header (PK\\3\\4) where the central directory points at offset 0");
    }

    @Test
    void failsOnInputWithoutAnEndRecord() throws IOException {
        byte[] notZip = random(1000, 13);
        assertThatThrownBy(() -> run("decompress/zip", ranged(notZip, new ArrayList<>())))
                .isInstanceOf(DecompressionException.class)
                .hasMessage("zip: no end of central directory record in the last 1000 bytes: truncated or not a ZIP archive"
                        + " at offset 0");
        assertThatThrownBy(() -> run("decompress/zip", ranged(new byte[0], new ArrayList<>())))
                .isInstanceOf(DecompressionException.class)
                .hasMessageContaining("empty input");
    }

    @Test
    void truncatedDeflateDataIsAnError() throws IOException {
        byte[] text = "some text that deflates\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        byte[] zip = zip(List.of("a.txt"), List.of(text), ZipEntry.DEFLATED);
        // claim a shorter compressed size in the central directory: the inflater runs out of input
        List<Integer> central = offsets(zip, 0x02014b50);
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(central.get(0) + 20, b.getInt(central.get(0) + 20) - 10);

        assertThatThrownBy(() -> run("decompress/zip", ranged(zip, new ArrayList<>())))
                .isInstanceOf(DecompressionException.class)
                .hasMessageContaining("zip: entry 'a.txt': truncated");
    }

    // --- helpers -------------------------------------------------------------------------------------

    static byte[] run(String stage, ObjectStream input) {
        Operator op = Pipeline.parse(stage).operators().get(0);
        return ByteStreams.toBytes(op.apply(input).content()).block(TIMEOUT);
    }

    /** A file source over {@code zip} whose range reader records every range asked for in {@code reads}. */
    private ObjectStream ranged(byte[] zip, List<Read> reads) throws IOException {
        Path f = Files.write(Files.createTempFile(dir, "z", ".zip"), zip);
        ObjectStream s = FileObjectSource.of(f).open().block(TIMEOUT);
        RangeReader inner = s.rangeReader().orElseThrow();
        return s.withRangeReader(new RangeReader() {
            @Override
            public long size() {
                return inner.size();
            }

            @Override
            public Flux<ByteBuffer> read(long start, long endExclusive) {
                reads.add(new Read(start, endExclusive));
                return inner.read(start, endExclusive);
            }
        });
    }

    /** A ZIP written by {@code java.util.zip}; STORED entries carry their sizes in the local header. */
    static byte[] zip(List<String> names, List<byte[]> contents, int method) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (int i = 0; i < names.size(); i++) {
                ZipEntry e = new ZipEntry(names.get(i));
                e.setMethod(method);
                if (method == ZipEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(contents.get(i));
                    e.setSize(contents.get(i).length);
                    e.setCompressedSize(contents.get(i).length);
                    e.setCrc(crc.getValue());
                }
                out.putNextEntry(e);
                out.write(contents.get(i));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static List<Integer> offsets(byte[] zip, int signature) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i + 4 <= zip.length; i++) {
            if (b.getInt(i) == signature) {
                found.add(i);
            }
        }
        return found;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String b64(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }
}
