package io.transflux.operators.image;

/**
 * One JPEG Huffman table (ITU T.81 C and F.2.2.3): a 9-bit look-up for the common short codes, and the canonical
 * {@code maxcode}/{@code valptr} tables for the rest.
 */
final class JpegHuffman {

    static final int LOOKUP_BITS = 9;

    /** (length << 8 | symbol) for codes of at most {@link #LOOKUP_BITS} bits, indexed by the next bits; 0 if longer. */
    final int[] lookup = new int[1 << LOOKUP_BITS];
    /** Largest code of each length, -1 if none; index 17 is a sentinel. */
    final int[] maxcode = new int[18];
    final int[] valptr = new int[17];
    final int[] mincode = new int[17];
    final int[] symbols;

    private JpegHuffman(int[] symbols) {
        this.symbols = symbols;
    }

    static JpegHuffman of(int[] counts, int[] symbols) {
        JpegHuffman t = new JpegHuffman(symbols);
        int code = 0;
        int k = 0;
        for (int l = 1; l <= 16; l++) {
            t.valptr[l] = k;
            t.mincode[l] = code;
            code += counts[l];
            k += counts[l];
            if (counts[l] > 0 && code - 1 >= 1 << l) {
                throw JpegDecoder.corrupt("Huffman table has more codes of length " + l + " than fit");
            }
            t.maxcode[l] = counts[l] > 0 ? code - 1 : -1;
            code <<= 1;
        }
        t.maxcode[17] = Integer.MAX_VALUE;
        k = 0;
        code = 0;
        for (int l = 1; l <= 16; l++) {
            for (int i = 0; i < counts[l]; i++, k++, code++) {
                if (l <= LOOKUP_BITS) {
                    int shift = LOOKUP_BITS - l;
                    int base = code << shift;
                    for (int j = 0; j < 1 << shift; j++) {
                        t.lookup[base + j] = l << 8 | symbols[k];
                    }
                }
            }
            code <<= 1;
        }
        return t;
    }
}
