package io.transflux.operators.compression;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import io.transflux.pipeline.DecompressionException;
import io.transflux.pipeline.PipelineException;

/**
 * bzip2, any number of concatenated streams (pbzip2, lbzip2), decoded block-parallel.
 *
 * <p>Input is kept from the current parse position on. A scanner looks for the 48-bit block magic at every
 * bit offset, as lbzip2 does; each candidate whose successor is known is decoded speculatively on the
 * shared {@link #POOL}, at most {@code parallelism} blocks in flight. The parse itself stays sequential and
 * authoritative: a block is used only when its candidate starts exactly where the previous block ended,
 * so a magic that occurs by chance inside block data is dropped, and a block whose speculative bytes ended
 * early (the next candidate was such a chance magic) is decoded again with all bytes kept. Each block CRC
 * and each stream's combined CRC are verified; bytes after the last stream are rejected unless
 * {@code trailing_ignore} was given.
 *
 * <p>{@link #decode} may wait for a worker, so this decoder runs on a worker scheduler, never on the thread
 * delivering input. The block size (100 k to 900 k) is bounded by the format.
 */
final class Bzip2Decoder implements ChunkDecoder {

    /** Input kept beyond the parse position, per block allowed in flight. */
    static final int STORE_BYTES_PER_BLOCK = 1 << 20;
    /** A block's compressed size is bounded: at most 900 k symbols of at most 20 bits, plus its tables. */
    static final int MAX_COMPRESSED_BLOCK = (Bzip2BlockDecoder.MAX_BLOCK + 2) * Bzip2BlockDecoder.MAX_CODE_LENGTH / 8
            + (64 << 10);
    /** Blocks in flight per decode by default: one per core, at most 8. */
    /** Kept input before a block not followed by a known magic is tried without the end of input. */
    static final int SYNC_MIN_SPAN = 64 << 10;
    static final int DEFAULT_PARALLELISM = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));

    /** Shared by all bzip2 decodes; threads end when idle. Each decoder bounds its own tasks in flight. */
    private static final ThreadPoolExecutor POOL;

    static {
        AtomicInteger n = new AtomicInteger();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        POOL = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "transflux-bzip2-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        POOL.allowCoreThreadTimeOut(true);
    }

    enum State { STREAM_HEADER, BLOCK_OR_END, DONE, CORRUPTED }

    private enum Step { PROGRESS, NEED_INPUT }

    /** A speculative decode of the block whose magic starts at bit {@code start}. */
    private static final class Task {
        final long start;
        final long sliceEndByte;
        final FutureTask<Bzip2Block> future;

        Task(long start, long sliceEndByte, FutureTask<Bzip2Block> future) {
            this.start = start;
            this.sliceEndByte = sliceEndByte;
            this.future = future;
        }
    }

    private final int chunkBytes;
    private final boolean trailingIgnore;
    private final int parallelism;
    private final int storeSoftBytes;
    private volatile boolean cancelled;

    // Input kept: buf[0, len) holds input bytes [base, base + len).
    private byte[] buf = new byte[64 << 10];
    private long base;
    private int len;
    /** Next byte the scanner looks at (absolute); candidates before it are known. */
    private long scanByte;
    private final ArrayDeque<Long> candidates = new ArrayDeque<>();
    private final ArrayDeque<Task> tasks = new ArrayDeque<>();
    /** A copy of {@link #tasks} for {@link #close()} on another thread. */
    private volatile Task[] inFlight = new Task[0];

    private State state = State.STREAM_HEADER;
    /** The authoritative parse position, in bits of input. */
    private long head;
    private int level;
    private long streams;
    private long blocks;
    private int combinedCrc;
    /** Input kept at the last decode at {@link #head} that ran out of bytes. */
    private long syncTriedSpan;

    // The block being emitted
    private @Nullable Bzip2Block current;
    private int emitted;
    /** Running CRC of a block whose runs are expanded while emitting. */
    private int restCrc;

    Bzip2Decoder(int chunkBytes, boolean trailingIgnore, int parallelism) {
        this.chunkBytes = chunkBytes;
        this.trailingIgnore = trailingIgnore;
        this.parallelism = Math.max(1, parallelism);
        this.storeSoftBytes = (this.parallelism + 2) * STORE_BYTES_PER_BLOCK;
    }

    @Override
    public @Nullable ByteBuffer decode(ByteBuffer in, boolean eof) {
        if (state == State.CORRUPTED) {
            throw new DecompressionException("bzip2: decoder already failed");
        }
        if (cancelled) {
            release();
            throw new DecompressionException("bzip2: decoder closed");
        }
        try {
            for (;;) {
                ByteBuffer out = emit();
                if (out != null) {
                    return out;
                }
                if (state == State.DONE) {
                    in.position(in.limit());
                    return null;
                }
                take(in, false);
                boolean end = eof && !in.hasRemaining();
                scan(end);
                schedule(end);
                if (advance(end) == Step.NEED_INPUT) {
                    if (!in.hasRemaining()) {
                        return null;
                    }
                    take(in, true);
                }
            }
        } catch (PipelineException e) {
            fail();
            throw e;
        } catch (RuntimeException e) {
            fail();
            throw new DecompressionException("bzip2: " + e + " at input offset " + (head >>> 3), e);
        }
    }

    @Override
    public long members() {
        return streams;
    }

    /**
     * Stops the workers: running block decodes see the flag and abort, queued ones never start. Callable
     * from any thread, also while {@link #decode} runs; the decoding thread drops its buffers at its next call.
     */
    @Override
    public void close() {
        cancelled = true;
        Task[] inFlight = this.inFlight;
        for (Task t : inFlight) {
            if (t != null) {
                t.future.cancel(false);
            }
        }
    }

    private void fail() {
        state = State.CORRUPTED;
        release();
    }

    private void release() {
        cancelled = true;
        for (Task t : tasks) {
            t.future.cancel(false);
        }
        tasks.clear();
        candidates.clear();
        buf = new byte[0];
        base = 0;
        len = 0;
        current = null;
    }

    // ---- output

    private @Nullable ByteBuffer emit() {
        Bzip2Block b = current;
        if (b == null) {
            return null;
        }
        if (emitted < b.outLength) {
            int k = Math.min(chunkBytes, b.outLength - emitted);
            ByteBuffer out = ByteBuffer.wrap(b.out, emitted, k).slice();
            emitted += k;
            return out;
        }
        Bzip2Rle1 rest = b.rest;
        if (rest != null && !rest.done()) {
            byte[] chunk = new byte[chunkBytes];
            int k = rest.expand(chunk, 0, chunk.length);
            restCrc = Bzip2Crc.update(restCrc, chunk, 0, k);
            if (rest.done() && ~restCrc != b.storedCrc) {
                throw checksum("block CRC of block " + blocks + " of stream " + streams, b.storedCrc, ~restCrc);
            }
            if (k > 0) {
                return ByteBuffer.wrap(chunk, 0, k);
            }
        }
        current = null;
        return null;
    }

    // ---- input store

    /** Appends input while the store is below its bound, or all of it when {@code force}. */
    private void take(ByteBuffer in, boolean force) {
        if (!in.hasRemaining()) {
            return;
        }
        long kept = base + len - (head >>> 3);
        int room = force ? in.remaining() : (int) Math.min(in.remaining(), Math.max(0, storeSoftBytes - kept));
        if (room == 0) {
            return;
        }
        if (kept + room > storeSoftBytes + MAX_COMPRESSED_BLOCK) {
            throw corrupt("no block boundary within " + (kept + room) + " bytes");
        }
        int drop = (int) Math.min(len, Math.max(0, (head >>> 3) - base));
        if (len - drop + room > buf.length) {
            byte[] grown = new byte[Math.max(len - drop + room, buf.length * 2)];
            System.arraycopy(buf, drop, grown, 0, len - drop);
            buf = grown;
        } else if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, len - drop);
        }
        len -= drop;
        base += drop;
        in.get(buf, len, room);
        len += room;
    }

    private long storeEnd() {
        return base + len;
    }

    private int byteAt(long abs) {
        return buf[(int) (abs - base)] & 0xff;
    }

    /** {@code n} <= 57 bits starting at absolute bit {@code bit}; the caller checks they are kept. */
    private long peek(long bit, int n) {
        long v = 0;
        long first = bit >>> 3;
        int bytes = (int) (((bit + n + 7) >>> 3) - first);
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | byteAt(first + i);
        }
        int extra = bytes * 8 - (int) (bit & 7) - n;
        return (v >>> extra) & ((1L << n) - 1);
    }

    // ---- scanning and speculation

    private static final long MAGIC_MASK = (1L << 48) - 1;
    /** FILTER[b]: bit s set when byte b is the second byte of a block magic starting s bits into a byte. */
    private static final byte[] FILTER = new byte[256];

    static {
        for (int s = 0; s < 8; s++) {
            int second = (int) ((Bzip2BlockDecoder.BLOCK_MAGIC >>> (32 + s)) & 0xff);
            FILTER[second] |= (byte) (1 << s);
        }
    }

    private void scan(boolean end) {
        if (state == State.DONE) {
            return;
        }
        long from = Math.max(scanByte, base);
        long stop = storeEnd() - 6; // a magic at byte k spans bytes k..k+6
        byte[] b = buf;
        int off = (int) (from - base);
        int last = (int) (stop - base);
        for (int i = off; i < last; i++) {
            int m = FILTER[b[i + 1] & 0xff];
            if (m == 0) {
                continue;
            }
            long w = 0;
            for (int j = 0; j < 7; j++) {
                w = (w << 8) | (b[i + j] & 0xff);
            }
            for (int s = 0; s < 8; s++) {
                if ((m & (1 << s)) != 0 && ((w >>> (8 - s)) & MAGIC_MASK) == Bzip2BlockDecoder.BLOCK_MAGIC) {
                    candidates.add((base + i) * 8 + s);
                }
            }
        }
        if (last > off) {
            scanByte = base + last;
        }
    }

    private void schedule(boolean end) {
        while (tasks.size() < parallelism && !candidates.isEmpty()) {
            long c = candidates.peekFirst();
            if (c < head) {
                candidates.pollFirst();
                continue;
            }
            long endByte;
            if (candidates.size() > 1) {
                Long next = null;
                for (Long x : candidates) {
                    if (x > c) {
                        next = x;
                        break;
                    }
                }
                endByte = Math.min(storeEnd(), (next >>> 3) + 8);
            } else if (end) {
                endByte = storeEnd();
            } else {
                return;
            }
            candidates.pollFirst();
            long startByte = c >>> 3;
            byte[] slice = Arrays.copyOfRange(buf, (int) (startByte - base), (int) (endByte - base));
            FutureTask<Bzip2Block> f = new FutureTask<>(() -> Bzip2BlockDecoder.decode(slice, slice.length,
                    startByte * 8, c & 7, () -> cancelled));
            tasks.add(new Task(c, endByte, f));
            inFlight = tasks.toArray(new Task[0]);
            if (parallelism > 1) {
                POOL.execute(f);
            }
        }
    }

    // ---- the authoritative parse

    private Step advance(boolean end) {
        switch (state) {
            case STREAM_HEADER -> {
                return streamHeader(end);
            }
            case BLOCK_OR_END -> {
                return blockOrEnd(end);
            }
            default -> {
                return Step.NEED_INPUT;
            }
        }
    }

    private Step streamHeader(boolean end) {
        long at = head >>> 3;
        long avail = storeEnd() - at;
        if (avail < 4 && !end) {
            return Step.NEED_INPUT;
        }
        if (avail == 0) {
            if (streams == 0) {
                throw corrupt("empty input: expected the stream magic BZh");
            }
            finish();
            return Step.PROGRESS;
        }
        byte[] expect = {'B', 'Z', 'h'};
        boolean magicOk = true;
        for (int i = 0; i < Math.min(3, avail); i++) {
            magicOk &= byteAt(at + i) == expect[i];
        }
        int lv = avail >= 4 ? byteAt(at + 3) - '0' : -1;
        if (magicOk && avail >= 4 && lv >= 1 && lv <= 9) {
            level = lv;
            streams++;
            head += 32;
            combinedCrc = 0;
            state = State.BLOCK_OR_END;
            return Step.PROGRESS;
        }
        if (streams == 0) {
            if (!magicOk) {
                throw corrupt("bad magic, expected 42 5a 68 ('BZh')");
            }
            if (avail < 4) {
                throw corrupt("truncated: input ends inside the stream header");
            }
            throw corrupt(String.format("bad block size 0x%02x, expected '1'..'9'", lv + '0'));
        }
        if (trailingIgnore) {
            finish();
            return Step.PROGRESS;
        }
        throw corrupt("trailing garbage after stream " + streams);
    }

    private void finish() {
        state = State.DONE;
        for (Task t : tasks) {
            t.future.cancel(false);
        }
        tasks.clear();
        candidates.clear();
        len = 0;
        base = 0;
    }

    private Step blockOrEnd(boolean end) {
        long availBits = storeEnd() * 8 - head;
        if (availBits < 48) {
            if (end) {
                throw corrupt("truncated: input ends before block " + (blocks + 1) + " or the end of stream " + streams);
            }
            return Step.NEED_INPUT;
        }
        long magic = peek(head, 48);
        if (magic == Bzip2BlockDecoder.END_MAGIC) {
            if (availBits < 80) {
                if (end) {
                    throw corrupt("truncated: input ends inside the end of stream " + streams);
                }
                return Step.NEED_INPUT;
            }
            int stored = (int) peek(head + 48, 32);
            if (stored != combinedCrc) {
                throw checksum("combined stream CRC of stream " + streams, stored, combinedCrc);
            }
            head = (head + 80 + 7) & ~7L;
            state = State.STREAM_HEADER;
            return Step.PROGRESS;
        }
        if (magic != Bzip2BlockDecoder.BLOCK_MAGIC) {
            throw corrupt(String.format("bad block magic 0x%012x, expected 0x%012x (block) or 0x%012x (end of stream)",
                    magic, Bzip2BlockDecoder.BLOCK_MAGIC, Bzip2BlockDecoder.END_MAGIC));
        }
        // Speculative decodes that started before the true boundary began at a chance magic.
        while (!tasks.isEmpty() && tasks.peekFirst().start < head) {
            tasks.pollFirst().future.cancel(false);
        }
        Bzip2Block block = null;
        Task t = tasks.peekFirst();
        if (t != null && t.start == head && !t.future.isDone() && !end && tasks.size() < parallelism
                && storeEnd() - (head >>> 3) < storeSoftBytes) {
            // Read ahead before waiting: the next block's task needs the magic after it, which only more input
            // brings. Waiting now would decode one block at a time whenever input arrives in pieces smaller than
            // a block. The store bound (storeSoftBytes) still caps what is kept.
            return Step.NEED_INPUT;
        }
        if (t != null && t.start == head) {
            tasks.pollFirst();
            block = await(t.future);
            if (block.status == Bzip2Block.Status.UNDERFLOW && (!end || t.sliceEndByte < storeEnd())) {
                // The slice stopped at a chance magic or at the input's end so far: decode again from the store
                block = null;
            }
        }
        if (block == null) {
            long span = storeEnd() - (head >>> 3);
            // Retried only once the kept input has doubled, so small input pieces cost linear time.
            if (!end && span < Math.max(SYNC_MIN_SPAN, 2 * syncTriedSpan)) {
                return Step.NEED_INPUT;
            }
            block = Bzip2BlockDecoder.decode(buf, len, base * 8, head - base * 8, () -> cancelled);
            if (block.status == Bzip2Block.Status.UNDERFLOW && !end) {
                syncTriedSpan = span;
                return Step.NEED_INPUT;
            }
        }
        syncTriedSpan = 0;
        blocks++;
        switch (block.status) {
            case UNDERFLOW -> throw corrupt("truncated: input ends inside block " + blocks + " of stream " + streams);
            case CORRUPT -> throw corrupt(block.error + " in block " + blocks + " of stream " + streams);
            default -> {
            }
        }
        if (block.length > level * 100_000) {
            throw corrupt("block " + blocks + " holds " + block.length + " bytes, more than the stream's block size "
                    + level * 100_000);
        }
        if (!block.crcOk()) {
            throw checksum("block CRC of block " + blocks + " of stream " + streams, block.storedCrc, block.computedCrc);
        }
        combinedCrc = ((combinedCrc << 1) | (combinedCrc >>> 31)) ^ block.storedCrc;
        head = block.endBit;
        current = block;
        emitted = 0;
        restCrc = block.computedCrc;
        schedule(end);
        return Step.PROGRESS;
    }

    private Bzip2Block await(FutureTask<Bzip2Block> f) {
        f.run(); // runs it here unless a worker has started it
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DecompressionException("bzip2: interrupted while waiting for a block decode");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(c);
        } catch (CancellationException e) {
            throw new DecompressionException("bzip2: block decode cancelled");
        }
    }

    private DecompressionException corrupt(String rule) {
        return new DecompressionException("bzip2: " + rule + " at input offset " + (head >>> 3));
    }

    private DecompressionException checksum(String what, int expected, int actual) {
        return new DecompressionException(String.format("bzip2: %s: actual 0x%08x != expected 0x%08x at input offset %d",
                what, actual, expected, head >>> 3));
    }
}
