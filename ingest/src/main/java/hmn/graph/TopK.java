package hmn.graph;

import java.util.Arrays;

/**
 * The activated set of an image in a layer: the k = max(1, floor(top * C)) channels with the largest activation,
 * ties going to the lower channel index, listed strongest first.
 */
public final class TopK {
    private TopK() {}

    /** k = max(1, floor(top * channels)), computed in double. */
    public static int k(double top, int channels) {
        if (!(top > 0 && top <= 1)) {
            throw new IllegalArgumentException("top must be in (0, 1], got " + top);
        }
        return Math.max(1, (int) Math.floor(top * channels));
    }

    /**
     * The k strongest channels of {@code row[offset .. offset + channels)}, strongest first; among equal values the
     * lower channel index ranks first.
     */
    public static int[] activated(float[] row, int offset, int channels, int k) {
        long[] keys = new long[channels];
        for (int c = 0; c < channels; c++) {
            int bits = Float.floatToIntBits(row[offset + c] + 0.0f); // -0.0 counts as 0.0
            int ordered = bits ^ ((bits >> 31) & 0x7fffffff); // increases with the float value
            keys[c] = ((long) ~ordered << 32) | c; // ascending key = descending value, then ascending index
        }
        Arrays.sort(keys);
        int[] out = new int[Math.min(k, channels)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) keys[i];
        }
        return out;
    }
}
