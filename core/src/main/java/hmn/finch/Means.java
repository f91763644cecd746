package hmn.finch;

import hmn.io.FloatMatrix;

/** Cluster means of the original points: float32 sums in row order, divided by the count in float64. */
final class Means {
    private Means() {}

    static double[] of(FloatMatrix x, int[] labels, int clusters) {
        int d = x.cols();
        float[] sums = new float[clusters * d];
        int[] count = new int[clusters];
        float[] data = x.data();
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            count[c]++;
            int o = c * d;
            int p = i * d;
            for (int k = 0; k < d; k++) {
                sums[o + k] += data[p + k];
            }
        }
        double[] means = new double[sums.length];
        for (int c = 0; c < clusters; c++) {
            for (int k = 0; k < d; k++) {
                means[c * d + k] = (double) sums[c * d + k] / count[c];
            }
        }
        return means;
    }
}
