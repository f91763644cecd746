package hmn.group;

/** Bitsets as ranges of a long[]: bit i of a set starting at {@code offset} is in word offset + i / 64. */
public final class Bits {

    private Bits() {}

    public static int words(int bits) {
        return (bits + 63) >>> 6;
    }

    public static boolean get(long[] bits, int offset, int index) {
        return (bits[offset + (index >>> 6)] & (1L << index)) != 0;
    }

    public static void set(long[] bits, int offset, int index) {
        bits[offset + (index >>> 6)] |= 1L << index;
    }

    public static int cardinality(long[] bits, int offset, int words) {
        int n = 0;
        for (int w = 0; w < words; w++) {
            n += Long.bitCount(bits[offset + w]);
        }
        return n;
    }

    /** The set bits of {@code bits[offset, offset+words)}, ascending. */
    public static int[] indices(long[] bits, int offset, int words) {
        int[] out = new int[cardinality(bits, offset, words)];
        int n = 0;
        for (int w = 0; w < words; w++) {
            long word = bits[offset + w];
            while (word != 0) {
                out[n++] = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return out;
    }

    /** Adds 1 to {@code counts[i]} for every set bit i of {@code bits[offset, offset+words)}. */
    public static void addTo(int[] counts, int countsOffset, long[] bits, int offset, int words) {
        for (int w = 0; w < words; w++) {
            long word = bits[offset + w];
            int base = countsOffset + (w << 6);
            while (word != 0) {
                counts[base + Long.numberOfTrailingZeros(word)]++;
                word &= word - 1;
            }
        }
    }
}
