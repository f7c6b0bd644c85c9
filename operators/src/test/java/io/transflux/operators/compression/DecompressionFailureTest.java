package io.transflux.operators.compression;

import static io.transflux.operators.compression.DecoderContractTest.decode;
import static io.transflux.operators.compression.DecoderContractTest.split;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xerial.snappy.SnappyOutputStream;

import io.transflux.operators.compression.DecoderContractTest.Split;
import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.LimitExceededException;
import io.transflux.pipeline.ObjectMetadata;
import io.transflux.pipeline.ObjectStream;
import io.transflux.pipeline.Operator;
import io.transflux.pipeline.Pipeline;
import io.transflux.pipeline.PipelineException;
import io.transflux.pipeline.UnsupportedFormatException;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Bad input, bombs and limits (issue 3): typed failures, never a short output that looks complete. */
class DecompressionFailureTest {

    static Stream<GoldenFixture> fixtures() {
        return GoldenFixture.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void failsOnTruncatedInputAtEveryCut(GoldenFixture fixture) {
        byte[] full = fixture.bytes();
        // ZIP: the stage stops after the chosen entry, so cut inside the first local entry
        int end = fixture.format().equals("zip") ? full.length / 2 : full.length;
        for (int cut : new int[] {1, 3, 9, end / 3, end / 2, end - 1}) {
            byte[] truncated = java.util.Arrays.copyOf(full, cut);
            assertThatThrownBy(() -> decode(fixture.stage(), split(truncated, Split.RANDOM, false, cut),
                    ObjectMetadata.empty()))
                    .as("cut at %d of %d", cut, full.length)
                    .isInstanceOf(DecompressionException.class)
                    .hasMessageContaining(fixture.format().equals("zlib") && fixture.stage().endsWith("raw_1")
                            ? "deflate" : fixture.format());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void failsOrDiffersButNeverSilentlyOnFlippedBytes(GoldenFixture fixture) {
        byte[] full = fixture.bytes();
        for (int at : new int[] {full.length / 4, full.length / 2, full.length * 3 / 4, full.length - 5}) {
            byte[] corrupt = full.clone();
            corrupt[at] ^= 0x5a;
            try {
                byte[] out = decode(fixture.stage(), split(corrupt, Split.WHOLE, false, 0), ObjectMetadata.empty());
                // A flip in bytes the format does not check (ZIP central directory, skippable data, padding,
                // gzip MTIME) may decode; the output must then still be the original.
                // Bare deflate and zstd frames written with --no-check carry no checksum: a flip may change them.
                if (!fixture.file().equals("raw.deflate") && !fixture.file().equals("multipleFrames.zst")
                        && !fixture.file().equals("skippableFrames.zst")) {
                    assertThat(GoldenFixture.sha256(out)).as("flip at %d decoded", at).isEqualTo(fixture.expectedSha256());
                }
            } catch (PipelineException e) {
                assertThat(e).isInstanceOfAny(DecompressionException.class, UnsupportedFormatException.class,
                        LimitExceededException.class);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"decompress/gzip", "decompress/zlib", "decompress/zlib,raw_1", "decompress/bzip2",
            "decompress/zstd", "decompress/snappy", "decompress/snappy,format_xerial", "decompress/snappy,format_raw",
            "decompress/zip"})
    void failsOnEmptyInputWhereAHeaderIsRequired(String stage) {
        assertThatThrownBy(() -> decode(stage, Flux.empty(), ObjectMetadata.empty()))
                .isInstanceOf(DecompressionException.class)
                .hasMessageContaining("empty input");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip/fname.gz", "zlib/pigz.zz", "bzip2/bzip2.bz2", "zstd/level19.zst"})
    void rejectsTrailingGarbageUnlessTrailingIgnore(String path) {
        String[] p = path.split("/");
        byte[] fixture = GoldenFixture.load(p[0], p[1]);
        byte[] withGarbage = concat(fixture, "garbage after the end".getBytes(StandardCharsets.US_ASCII));
        String expected = new String(GoldenFixture.load(p[0], p[1].substring(0, p[1].indexOf('.')) + ".sha256")).trim();

        assertThatThrownBy(() -> decode("decompress/" + p[0], split(withGarbage, Split.RANDOM, false, 3),
                ObjectMetadata.empty()))
                .isInstanceOf(DecompressionException.class)
                .hasMessageContaining("trailing garbage");
        byte[] out = decode("decompress/" + p[0] + ",trailing_ignore", split(withGarbage, Split.RANDOM, false, 3),
                ObjectMetadata.empty());
        assertThat(GoldenFixture.sha256(out)).isEqualTo(expected);
    }

    @Test
    void zstdLong31FailsByDefaultNamingTheWindowCapAndDecodesOnceRaised() {
        byte[] fixture = GoldenFixture.load("zstd", "long31.zst");
        // recreate.sh: from stdin, so no content size; Window_Descriptor 0xa8 = exponent 21 = window log 31
        assertThat(fixture[5] & 0xff).isEqualTo(0xa8);

        assertThatThrownBy(() -> decode("decompress/zstd", split(fixture, Split.WHOLE, false, 0), ObjectMetadata.empty()))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limitName()).isEqualTo("zstdWindowLog");
                    assertThat(e.limit()).isEqualTo(27);
                    assertThat(e.reached()).isEqualTo(31);
                    assertThat(e).hasMessageContaining("wlog_");
                });
        byte[] out = decode("decompress/zstd,wlog_31", split(fixture, Split.WHOLE, false, 0), ObjectMetadata.empty());
        assertThat(GoldenFixture.sha256(out)).isEqualTo(GoldenFixture.load("zstd", "long31.sha256").length > 0
                ? new String(GoldenFixture.load("zstd", "long31.sha256")).trim() : "");
    }

    @Test
    void zstdWindowCapIsCheckedBeforeTheNativeContextSeesTheFrame() {
        // A hand-made frame header: FHD 0x00 (no single segment, no checksum), Window_Descriptor 0xf8:
        // exponent 31 -> window log 41. libzstd would refuse it too, but our check names the cap.
        byte[] frame = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0x00, (byte) 0xf8, 0x01, 0x00, 0x00};
        assertThatThrownBy(() -> decode("decompress/zstd,wlog_31", Flux.just(ByteBuffer.wrap(frame)), ObjectMetadata.empty()))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limitName()).isEqualTo("zstdWindowLog");
                    assertThat(e.reached()).isEqualTo(41);
                });
    }

    @Test
    void decodesHandMadeGzipWithExtraNameCommentAndHeaderCrc() {
        byte[] payload = "payload behind every optional gzip header field\n".getBytes(StandardCharsets.US_ASCII);
        byte[] member = gzipWithAllFields(payload, false);

        byte[] out = decode("decompress/gzip", split(member, Split.ONE_BYTE, true, 0), ObjectMetadata.empty());

        assertThat(out).isEqualTo(payload);
        assertThatThrownBy(() -> decode("decompress/gzip", split(gzipWithAllFields(payload, true), Split.WHOLE, false, 0),
                ObjectMetadata.empty()))
                .isInstanceOf(DecompressionException.class)
                .hasMessageContaining("gzip: header CRC16 actual");
    }

    @Test
    void failsWhenGzipTrailerCrcIsWrong() {
        byte[] fixture = GoldenFixture.load("gzip", "noName.gz");
        fixture[fixture.length - 8] ^= 1;
        assertThatThrownBy(() -> decode("decompress/gzip", split(fixture, Split.WHOLE, false, 0), ObjectMetadata.empty()))
                .isInstanceOf(DecompressionException.class)
                .hasMessageStartingWith("gzip: trailer CRC32 actual 0x")
                .hasMessageContaining("at input offset");
    }

    @Test
    void failsWhenSnappyChunkCrcIsWrongAndBeforeAllocatingAnOversizedChunk() {
        byte[] fixture = GoldenFixture.load("snappy", "framed.sz");
        byte[] badCrc = fixture.clone();
        badCrc[14] ^= 1; // first chunk's CRC, after the 10-byte stream identifier and 4-byte chunk header
        assertThatThrownBy(() -> decode("decompress/snappy", split(badCrc, Split.WHOLE, false, 0), ObjectMetadata.empty()))
                .isInstanceOf(DecompressionException.class)
                .hasMessageContaining("masked CRC32C actual");
        // chunk type 0x00 declaring 0xffffff bytes: refused from the header alone
        byte[] huge = concat(SnappyFramedDecoder.STREAM_IDENTIFIER, new byte[] {0, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertThatThrownBy(() -> decode("decompress/snappy", Flux.just(ByteBuffer.wrap(huge)), ObjectMetadata.empty()))
                .isInstanceOf(DecompressionException.class)
                .hasMessageContaining("compressed chunk length actual 16777215");
    }

    @Test
    void snappyFramedStageNamesTheXerialMagicAndXerialFormatDecodesIt() throws Exception {
        byte[] data = "xerial snappy stream ".repeat(5000).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (SnappyOutputStream out = new SnappyOutputStream(bytes)) {
            out.write(data);
        }
        byte[] xerial = bytes.toByteArray();

        assertThatThrownBy(() -> decode("decompress/snappy", Flux.just(ByteBuffer.wrap(xerial)), ObjectMetadata.empty()))
                .isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("82 53 4e 41 50 50 59 00").hasMessageContaining("format_xerial");
        assertThat(decode("decompress/snappy,format_xerial", split(xerial, Split.RANDOM, false, 5), ObjectMetadata.empty()))
                .isEqualTo(data);
        assertThat(decode("decompress/auto", split(xerial, Split.RANDOM, true, 5), ObjectMetadata.empty()))
                .isEqualTo(data);
        byte[] raw = org.xerial.snappy.Snappy.compress(data);
        assertThat(decode("decompress/snappy,format_raw", split(raw, Split.RANDOM, false, 5), ObjectMetadata.empty()))
                .isEqualTo(data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"storedDescriptor.zip", "encrypted.zip"})
    void zipRefusesEntriesAStreamCannotReadSafely(String file) {
        byte[] zip = GoldenFixture.load("zip", file);
        assertThatThrownBy(() -> decode("decompress/zip", split(zip, Split.RANDOM, false, 1), ObjectMetadata.empty()))
                .isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining(file.startsWith("stored") ? "STORED with a data descriptor" : "encrypted");
    }

    @Test
    void autoFailsOnUnknownContentOnlyWhenAskedTo() {
        byte[] text = "just some text, not compressed".getBytes(StandardCharsets.US_ASCII);
        assertThat(decode("decompress/auto", split(text, Split.ONE_BYTE, false, 0), ObjectMetadata.empty())).isEqualTo(text);
        assertThatThrownBy(() -> decode("decompress/auto,unknown_fail", split(text, Split.ONE_BYTE, false, 0),
                ObjectMetadata.empty()))
                .isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("unknown format");
    }

    // --- bombs -------------------------------------------------------------------------------------

    /** 10 GiB of zeros as gzip: one 1 MiB deflate segment (sync-flushed, non-final) repeated 10 240 times. */
    static Flux<ByteBuffer> gzipBomb() {
        Deflater d = new Deflater(9, true);
        d.setInput(new byte[1 << 20]);
        byte[] buf = new byte[64 * 1024];
        int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        d.end();
        byte[] segment = java.util.Arrays.copyOf(buf, n);
        byte[] header = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
        // The trailer is never reached: the stage stops at the limit.
        return Flux.concat(Flux.just(ByteBuffer.wrap(header)),
                Flux.range(0, 10_240).map(i -> ByteBuffer.wrap(segment)),
                Flux.just(ByteBuffer.wrap(new byte[] {3, 0, 0, 0, 0, 0, 0, 0, 0, 0})));
    }

    /** 10 GiB of zeros as one zstd frame of 81 920 RLE blocks of 128 KiB (4 bytes each). */
    static Flux<ByteBuffer> zstdBomb() {
        byte[] header = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0x00, 0x68}; // window log 23 (8 MiB)
        int blockHeader = (131_072 << 3) | (1 << 1); // RLE, 128 KiB, not last
        byte[] blocks = new byte[4 * 16_384];
        for (int i = 0; i < 16_384; i++) {
            blocks[4 * i] = (byte) blockHeader;
            blocks[4 * i + 1] = (byte) (blockHeader >> 8);
            blocks[4 * i + 2] = (byte) (blockHeader >> 16);
            blocks[4 * i + 3] = 0;
        }
        return Flux.concat(Flux.just(ByteBuffer.wrap(header)), Flux.range(0, 5).map(i -> ByteBuffer.wrap(blocks)),
                Flux.just(ByteBuffer.wrap(new byte[] {1, 0, 0, 0})));
    }

    /** 10 GiB of zeros as bzip2: one stream of 32 MiB of zeros, concatenated 320 times. */
    static Flux<ByteBuffer> bzip2Bomb() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream out = new BZip2CompressorOutputStream(bytes, 9)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 32; i++) {
                out.write(zeros);
            }
        }
        byte[] stream = bytes.toByteArray();
        return Flux.range(0, 320).map(i -> ByteBuffer.wrap(stream));
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> bombs() throws Exception {
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("decompress/gzip", gzipBomb()),
                org.junit.jupiter.params.provider.Arguments.of("decompress/zstd", zstdBomb()),
                org.junit.jupiter.params.provider.Arguments.of("decompress/bzip2", bzip2Bomb()),
                org.junit.jupiter.params.provider.Arguments.of("decompress/auto", zstdBomb()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bombs")
    void bombStopsAtADefaultLimit(String stage, Flux<ByteBuffer> bomb) {
        // gzip and zstd cannot pass the default ratio cap (docs/limits.md): the 1 GiB output cap stops them;
        // bzip2's ratio is unbounded and its bomb trips the ratio cap first.
        Operator op = Pipeline.parse(stage).operators().get(0);
        assertThatThrownBy(() -> op.apply(ObjectStream.of(bomb)).content().reduce(0L, (n, b) -> n + b.remaining())
                .block(Duration.ofSeconds(60)))
                .isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.limitName()).isEqualTo(stage.contains("bzip2") ? "maxRatio" : "maxOutputBytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bombs")
    void bombStopsWithinASecondOfTheOutputCapWithBoundedMemory(String stage, Flux<ByteBuffer> bomb) {
        long cap = stage.contains("bzip2") ? 96L << 20 : 512L << 20;
        Operator op = Pipeline.parse(stage + ",ratio_0,out_" + cap).operators().get(0);
        AtomicLong out = new AtomicLong();
        AtomicLong lastBelowCap = new AtomicLong();
        AtomicLong maxDirect = new AtomicLong();
        AtomicLong maxHeap = new AtomicLong();
        long directBefore = DecoderContractTest.directMemoryUsed();
        Runtime rt = Runtime.getRuntime();
        List<Throwable> errors = new ArrayList<>();
        op.apply(ObjectStream.of(bomb)).content()
                .doOnNext(b -> {
                    out.addAndGet(b.remaining());
                    lastBelowCap.set(System.nanoTime());
                    if ((out.get() & ((16 << 20) - 1)) == 0) {
                        maxDirect.accumulateAndGet(DecoderContractTest.directMemoryUsed() - directBefore, Math::max);
                        maxHeap.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
                    }
                })
                .onErrorResume(e -> {
                    errors.add(e);
                    return Flux.empty();
                })
                .blockLast(Duration.ofSeconds(60));
        long stoppedAfter = System.nanoTime() - lastBelowCap.get();

        assertThat(errors).singleElement().isInstanceOfSatisfying(LimitExceededException.class, e -> {
            assertThat(e.limitName()).isEqualTo("maxOutputBytes");
            assertThat(e.limit()).isEqualTo(cap);
            assertThat(e).hasMessageContaining("out_");
        });
        assertThat(out.get()).isLessThanOrEqualTo(cap).isGreaterThan(cap - (64 << 10) - 1);
        assertThat(Duration.ofNanos(stoppedAfter)).isLessThan(Duration.ofSeconds(1));
        assertThat(maxDirect.get()).as("direct memory growth").isLessThan(4L << 20);
        assertThat(maxHeap.get()).as("heap used while decoding").isLessThan(512L << 20);
    }

    @Test
    void memberCapStopsAFloodOfEmptyGzipMembers() {
        byte[] empty = ReferenceCompressor.GZIP.compress(new byte[0]);
        Flux<ByteBuffer> flood = Flux.range(0, 20_000).map(i -> ByteBuffer.wrap(empty));
        assertThatThrownBy(() -> decode("decompress/gzip", flood, ObjectMetadata.empty()))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.limitName()).isEqualTo("maxMembers");
                    assertThat(e.limit()).isEqualTo(10_000);
                });
    }

    @Test
    void noProgressWatchdogStopsAStalledSource() {
        byte[] gz = ReferenceCompressor.GZIP.compress("stalls".repeat(10).getBytes(StandardCharsets.US_ASCII));
        Flux<ByteBuffer> stalled = Flux.just(ByteBuffer.wrap(gz, 0, 5)).concatWith(Flux.never());
        assertThatThrownBy(() -> decode("decompress/gzip,idle_1", stalled, ObjectMetadata.empty()))
                .isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.limitName()).isEqualTo("noProgressTimeout"));
        assertThatThrownBy(() -> decode("decompress/bzip2,idle_1", Flux.<ByteBuffer>never(), ObjectMetadata.empty()))
                .isInstanceOfSatisfying(LimitExceededException.class,
                        e -> assertThat(e.limitName()).isEqualTo("noProgressTimeout"));
    }

    @Test
    void noProgressWatchdogIgnoresASubscriberThatStopsRequesting() {
        byte[] text = "a slow caller socket is backpressure, not a stall\n".repeat(400).getBytes(StandardCharsets.US_ASCII);
        byte[] gz = ReferenceCompressor.GZIP.compress(text);
        Operator op = Pipeline.parse("decompress/gzip,idle_1,chunk_512").operators().get(0);
        AtomicLong out = new AtomicLong();

        StepVerifier.create(op.apply(ObjectStream.of(split(gz, Split.RANDOM, false, 9))).content(), 1)
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(2200)) // 2x idle without demand
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(b -> out.addAndGet(b.remaining()) > 0)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
        assertThat(out.get()).isEqualTo(text.length - 512);
    }

    @Test
    void noProgressWatchdogStartsCountingWhenDemandArrivesAtAStalledSource() {
        Operator op = Pipeline.parse("decompress/gzip,idle_1").operators().get(0);
        byte[] gz = ReferenceCompressor.GZIP.compress("stalls".getBytes(StandardCharsets.US_ASCII));
        Flux<ByteBuffer> stalled = Flux.just(ByteBuffer.wrap(gz, 0, 5)).concatWith(Flux.never());

        long[] requestedAt = new long[1];
        StepVerifier.create(op.apply(ObjectStream.of(stalled)).content(), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1500)) // no demand: no timeout although nothing moves
                .then(() -> requestedAt[0] = System.nanoTime())
                .thenRequest(1)
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOfSatisfying(LimitExceededException.class,
                            l -> assertThat(l.limitName()).isEqualTo("noProgressTimeout"));
                    assertThat(Duration.ofNanos(System.nanoTime() - requestedAt[0])).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
                })
                .verify(Duration.ofSeconds(10));
    }

    private static byte[] gzipWithAllFields(byte[] payload, boolean wrongHeaderCrc) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
        byte[] extra = {'A', 'B', 3, 0, 'x', 'y', 'z'};
        h.writeBytes(new byte[] {(byte) extra.length, 0});
        h.writeBytes(extra);
        h.writeBytes("name.txt\0".getBytes(StandardCharsets.ISO_8859_1));
        h.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        CRC32 hcrc = new CRC32();
        hcrc.update(h.toByteArray());
        int crc16 = (int) hcrc.getValue() & 0xffff ^ (wrongHeaderCrc ? 1 : 0);
        h.writeBytes(new byte[] {(byte) crc16, (byte) (crc16 >> 8)});
        Deflater d = new Deflater(6, true);
        d.setInput(payload);
        d.finish();
        byte[] buf = new byte[payload.length + 64];
        int n = d.deflate(buf);
        d.end();
        h.write(buf, 0, n);
        CRC32 crc = new CRC32();
        crc.update(payload);
        long c = crc.getValue();
        h.writeBytes(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                (byte) payload.length, (byte) (payload.length >> 8), 0, 0});
        return h.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
