package hmn.group;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Activated sets: for each image, the k = max(1, floor(top * C)) channels of a layer with the largest activation,
 * ties going to the lower channel index, as a bitset of {@link Bits#words(int)} longs per image, or ranked strongest
 * first for the ACTIVATES edges. A NaN ranks below every number (it is no evidence of activation); -0.0 equals 0.0.
 */
public final class ActivatedSets {

    private static final int PARALLEL_ROWS = 4096;

    private ActivatedSets() {}

    /** k = max(1, floor(top * channels)), with the product taken in double, literally. */
    public static int k(double top, int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        return Math.max(1, Math.min(channels, (int) Math.floor(top * channels)));
    }

    /** The activated set of one image: the indices of the k largest values, ascending. */
    public static int[] topK(float[] activations, int k) {
        long[] bits = new long[Bits.words(activations.length)];
        select(activations, 0, activations.length, k, new float[activations.length], bits, 0);
        return Bits.indices(bits, 0, bits.length);
    }

    /**
     * The activated set of {@code values[offset, offset + channels)} ranked strongest first, equal values lower
     * channel first: the same set as {@link #compute}, in the order of the ACTIVATES edges' rank (1 = the first).
     */
    public static int[] ranked(float[] values, int offset, int channels, int k) {
        if (k < 1 || k > channels) {
            throw new IllegalArgumentException("k must be in [1, " + channels + "], got " + k);
        }
        long[] bits = new long[Bits.words(channels)];
        select(values, offset, channels, k, new float[channels], bits, 0);
        int[] set = Bits.indices(bits, 0, bits.length);
        long[] order = new long[set.length];
        for (int i = 0; i < set.length; i++) {
            int raw = Float.floatToIntBits(key(values[offset + set[i]]));
            int ordered = raw ^ ((raw >> 31) & 0x7fffffff); // increases with the value
            order[i] = ((long) ~ordered << 32) | set[i]; // ascending = descending value, then ascending channel
        }
        Arrays.sort(order);
        for (int i = 0; i < set.length; i++) {
            set[i] = (int) order[i];
        }
        return set;
    }

    /**
     * The activated sets of all rows of a row-major matrix: {@code rows * Bits.words(channels)} longs.
     */
    public static long[] compute(float[] matrix, int rows, int channels, int k) {
        if ((long) rows * channels != matrix.length) {
            throw new IllegalArgumentException(
                    "matrix has " + matrix.length + " values, expected " + rows + " x " + channels);
        }
        if (k < 1 || k > channels) {
            throw new IllegalArgumentException("k must be in [1, " + channels + "], got " + k);
        }
        int words = Bits.words(channels);
        long[] sets = new long[rows * words];
        IntStream range = IntStream.range(0, rows);
        if (rows >= PARALLEL_ROWS) {
            range = range.parallel();
        }
        ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[channels]);
        range.forEach(r -> select(matrix, r * channels, channels, k, scratch.get(), sets, r * words));
        return sets;
    }

    /** Sets the bits of the k largest of {@code values[from, from+n)}; ties to the lower index. */
    private static void select(float[] values, int from, int n, int k, float[] scratch, long[] out, int outOffset) {
        for (int i = 0; i < n; i++) {
            scratch[i] = key(values[from + i]);
        }
        // the k-th largest value: the (n-k)-th smallest
        float threshold = quickSelect(scratch, n, n - k);
        int above = 0;
        for (int i = 0; i < n; i++) {
            if (key(values[from + i]) > threshold) {
                above++;
            }
        }
        int tiesToTake = k - above;
        for (int i = 0; i < n; i++) {
            float v = key(values[from + i]);
            if (v > threshold || (v == threshold && tiesToTake-- > 0)) {
                out[outOffset + (i >>> 6)] |= 1L << i;
            }
        }
    }

    /** NaN ranks below every number; -0.0 equals 0.0. */
    private static float key(float v) {
        return Float.isNaN(v) ? Float.NEGATIVE_INFINITY : v + 0.0f;
    }

    /** The value that would sit at index {@code rank} if {@code a[0, n)} were sorted ascending (a is reordered). */
    static float quickSelect(float[] a, int n, int rank) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            float pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (rank <= j) {
                hi = j;
            } else if (rank >= i) {
                lo = i;
            } else {
                return a[rank];
            }
        }
        return a[rank];
    }
}
