package io.transflux.operators.compression;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a valid bzip2 stream whose first block carries the 48-bit block magic by chance inside its
 * Huffman-coded symbols, which no real encoder can be made to do on purpose. Each block has two symbols in
 * use and the code lengths RUNA 1, RUNB 2, MTF-index-1 3, EOB 3 (codes 0, 10, 110, 111): any bit string
 * without three ones in a row, such as the magic 0x314159265359, parses into data symbols, never EOB.
 * Block CRCs are computed by decoding each block once with a placeholder; tests check the result with
 * {@code bzip2 -dc} and commons-compress, which both refuse a bad CRC.
 */
final class Bzip2HandMadeStream {

    private Bzip2HandMadeStream() {
    }

    /** Symbols 0 (RUNA), 1 (RUNB), 2 (MTF index 1) that spell the magic, plus one bit to end on a code. */
    static List<Integer> magicSymbols() {
        String bits = Long.toBinaryString(Bzip2BlockDecoder.BLOCK_MAGIC);
        bits = "0".repeat(48 - bits.length()) + bits + "0";
        List<Integer> syms = new ArrayList<>();
        int i = 0;
        while (i < bits.length()) {
            if (bits.charAt(i) == '0') {
                syms.add(0);
                i += 1;
            } else if (bits.startsWith("10", i)) {
                syms.add(1);
                i += 2;
            } else if (bits.startsWith("110", i)) {
                syms.add(2);
                i += 3;
            } else {
                throw new IllegalStateException("three ones at " + i);
            }
        }
        if (i != bits.length()) {
            throw new IllegalStateException("codes do not end with the magic");
        }
        return syms;
    }

    /** A stream of two blocks; the first has the magic inside its data when {@code chanceMagic}. */
    static byte[] stream(boolean chanceMagic) {
        List<Integer> first = new ArrayList<>(List.of(2, 2, 0, 2));
        if (chanceMagic) {
            first.addAll(magicSymbols());
        }
        first.addAll(List.of(2, 1, 2));
        List<Integer> second = List.of(2, 0, 1, 2, 2, 0, 2);
        int crc1 = blockCrc(first);
        int crc2 = blockCrc(second);
        Bits w = new Bits();
        w.put(8, 'B').put(8, 'Z').put(8, 'h').put(8, '9');
        block(w, first, crc1);
        block(w, second, crc2);
        int combined = 0;
        for (int c : new int[] {crc1, crc2}) {
            combined = ((combined << 1) | (combined >>> 31)) ^ c;
        }
        w.put(24, (int) (Bzip2BlockDecoder.END_MAGIC >>> 24)).put(24, (int) (Bzip2BlockDecoder.END_MAGIC & 0xffffff));
        w.put(16, combined >>> 16).put(16, combined & 0xffff);
        return w.toBytes();
    }

    private static int blockCrc(List<Integer> symbols) {
        Bits w = new Bits();
        block(w, symbols, 0);
        byte[] b = w.toBytes();
        Bzip2Block decoded = Bzip2BlockDecoder.decode(b, b.length, 0, 0, () -> false);
        if (decoded.status != Bzip2Block.Status.OK) {
            throw new IllegalStateException(decoded.status + " " + decoded.error);
        }
        return decoded.computedCrc;
    }

    private static void block(Bits w, List<Integer> symbols, int crc) {
        w.put(24, (int) (Bzip2BlockDecoder.BLOCK_MAGIC >>> 24)).put(24, (int) (Bzip2BlockDecoder.BLOCK_MAGIC & 0xffffff));
        w.put(16, crc >>> 16).put(16, crc & 0xffff);
        w.put(1, 0); // not randomised
        w.put(24, 0); // origPtr
        w.put(16, 0x8000 >>> 6); // bytes 0x60..0x6f in use: 'a' and 'b'
        w.put(16, (0x8000 >>> 1) | (0x8000 >>> 2));
        int count = symbols.size() + 1;
        int selectors = (count + 49) / 50;
        w.put(3, 2).put(15, selectors);
        for (int i = 0; i < selectors; i++) {
            w.put(1, 0);
        }
        for (int g = 0; g < 2; g++) {
            // start at length 1: RUNA 1; RUNB +1 -> 2; index 1 +1 -> 3; EOB 3
            w.put(5, 1).put(1, 0).put(3, 0b100).put(3, 0b100).put(1, 0);
        }
        for (int s : symbols) {
            switch (s) {
                case 0 -> w.put(1, 0);
                case 1 -> w.put(2, 0b10);
                default -> w.put(3, 0b110);
            }
        }
        w.put(3, 0b111);
    }

    /** Most significant bit first, as bzip2 writes. */
    static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int n;

        Bits put(int bits, int value) {
            for (int i = bits - 1; i >= 0; i--) {
                acc = (acc << 1) | ((value >>> i) & 1);
                if (++n == 8) {
                    out.write(acc);
                    acc = 0;
                    n = 0;
                }
            }
            return this;
        }

        byte[] toBytes() {
            if (n > 0) {
                out.write(acc << (8 - n));
                acc = 0;
                n = 0;
            }
            return out.toByteArray();
        }
    }
}
