package io.transflux.connectors;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;

/**
 * A single-member gzip object of any multiple of {@link #BLOCK} decompressed bytes, produced on the fly without
 * a file: one block of log lines is deflated once with a full flush (byte-aligned, no reference to earlier
 * data), and the body repeats those compressed bytes, then appends the final empty block and the gzip trailer.
 * A 4 GiB object thus costs the server 1 MiB of memory and no compression work per request.
 */
final class GeneratedGzip {

    static final int BLOCK = 1 << 20;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final byte[] block = BenchCodec.logCorpus(BLOCK);
    private final byte[] deflatedBlock;
    private final byte[] finalBlock;
    private final Map<Long, byte[]> trailers = new ConcurrentHashMap<>();

    GeneratedGzip() {
        Deflater d = new Deflater(6, true);
        try {
            d.setInput(block);
            deflatedBlock = drain(d, Deflater.FULL_FLUSH);
            d.finish();
            finalBlock = drain(d, Deflater.NO_FLUSH);
        } finally {
            d.end();
        }
    }

    private static byte[] drain(Deflater d, int flush) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        for (;;) {
            int n = d.deflate(buf, 0, buf.length, flush);
            out.write(buf, 0, n);
            if (n < buf.length && (flush == Deflater.FULL_FLUSH || d.finished())) {
                return out.toByteArray();
            }
        }
    }

    /** The decompressed block that every object repeats. */
    byte[] block() {
        return block.clone();
    }

    static long blocks(long decompressedSize) {
        if (decompressedSize <= 0 || decompressedSize % BLOCK != 0) {
            throw new IllegalArgumentException("decompressed size: actual " + decompressedSize + ", expected a positive multiple of "
                    + BLOCK);
        }
        return decompressedSize / BLOCK;
    }

    long compressedLength(long decompressedSize) {
        return HEADER.length + blocks(decompressedSize) * deflatedBlock.length + finalBlock.length + 8;
    }

    /** Computes (and caches) the trailer; call it before timing anything, it checksums the whole object once. */
    byte[] trailer(long decompressedSize) {
        return trailers.computeIfAbsent(decompressedSize, size -> {
            CRC32 crc = new CRC32();
            for (long i = blocks(size); i > 0; i--) {
                crc.update(block);
            }
            long c = crc.getValue();
            long isize = size & 0xffffffffL;
            byte[] t = new byte[8];
            for (int i = 0; i < 4; i++) {
                t[i] = (byte) (c >>> (8 * i));
                t[4 + i] = (byte) (isize >>> (8 * i));
            }
            return t;
        }).clone();
    }

    Flux<ByteBuf> body(long decompressedSize) {
        long n = blocks(decompressedSize);
        byte[] trailer = trailer(decompressedSize);
        return Flux.<ByteBuf, Long>generate(() -> -1L, (i, sink) -> {
            if (i < 0) {
                sink.next(Unpooled.wrappedBuffer(HEADER));
            } else if (i < n) {
                sink.next(Unpooled.wrappedBuffer(deflatedBlock));
            } else if (i == n) {
                sink.next(Unpooled.wrappedBuffer(finalBlock, trailer));
            } else {
                sink.complete();
            }
            return i + 1;
        });
    }
}
