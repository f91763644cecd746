package hmn.validity;

import hmn.io.FloatMatrix;
import java.util.SplittableRandom;

/**
 * Ablation of channels of a pooled layer whose model output is a linear map of it, z = W p + b: the catalogue
 * ResNets' layer4 (the logits are fc(avgpool(layer4))). Replacing every spatial position of channel j by a constant
 * r_j (mean ablation: r_j = mu_j, the channel's mean pooled activation over the collection; zero ablation: r_j = 0)
 * sets its pooled value to r_j, because the average pool is linear; so z - z_S = W_S (p_S - r_S) exactly, with no
 * forward pass. The effect of set S on an image is ||z - z_S||_2 / ||z||_2 (DESIGN.md, "Validity").
 */
public final class LinearAblation {
    private final FloatMatrix weight;
    private final float[] bias;
    private final float[] replacement;
    /** The weights channel by channel (channels x outputs), as {@link #change} reads them. */
    private final double[] transposed;
    /** ||z|| per row of each pooled matrix seen, NaN until computed (this class is not thread-safe). */
    private final java.util.Map<FloatMatrix, double[]> normCache = new java.util.IdentityHashMap<>();

    /**
     * @param weight the output map, outputs x channels (fc.weight)
     * @param bias one value per output (fc.bias)
     * @param replacement r_j per channel: the means for mean ablation, zeros for zero ablation
     */
    public LinearAblation(FloatMatrix weight, float[] bias, float[] replacement) {
        if (bias.length != weight.rows() || replacement.length != weight.cols()) {
            throw new IllegalArgumentException("weight is " + weight.rows() + " x " + weight.cols() + ", bias has "
                    + bias.length + " values, replacement " + replacement.length);
        }
        this.weight = weight;
        this.bias = bias;
        this.replacement = replacement;
        this.transposed = new double[weight.rows() * weight.cols()];
        for (int k = 0; k < weight.rows(); k++) {
            for (int j = 0; j < weight.cols(); j++) {
                transposed[j * weight.rows() + k] = weight.get(k, j);
            }
        }
    }

    /** The mean of each column: mu_j over the collection's pooled activations. */
    public static float[] columnMeans(FloatMatrix pooled) {
        double[] sum = new double[pooled.cols()];
        for (int r = 0; r < pooled.rows(); r++) {
            for (int j = 0; j < pooled.cols(); j++) {
                sum[j] += pooled.get(r, j);
            }
        }
        float[] means = new float[sum.length];
        for (int j = 0; j < means.length; j++) {
            means[j] = (float) (sum[j] / Math.max(1, pooled.rows()));
        }
        return means;
    }

    /** ||z - z_S|| / ||z|| for one image's pooled activations {@code p} (0 for an empty set). */
    public double effect(float[] p, int[] set) {
        double norm = outputNorm(p);
        return norm == 0 ? 0 : change(p, set) / norm;
    }

    /** ||z|| = ||W p + b||: the same for every set, so computed once per image by {@link #meanEffect}. */
    double outputNorm(float[] p) {
        int channels = weight.cols();
        float[] w = weight.data();
        double norm = 0;
        for (int k = 0; k < weight.rows(); k++) {
            int row = k * channels;
            double z = bias[k];
            for (int j = 0; j < channels; j++) {
                z += (double) w[row + j] * p[j];
            }
            norm += z * z;
        }
        return Math.sqrt(norm);
    }

    /**
     * ||z - z_S|| = ||W_S (p_S - r_S)||: outputs x |S| multiply-adds, over the transposed weights so that the inner
     * loop runs along contiguous memory (the JIT vectorises it).
     */
    double change(float[] p, int[] set) {
        int outputs = weight.rows();
        double[] delta = new double[outputs];
        for (int j : set) {
            double d = (double) p[j] - replacement[j];
            int column = j * outputs;
            for (int k = 0; k < outputs; k++) {
                delta[k] += transposed[column + k] * d;
            }
        }
        double change = 0;
        for (double x : delta) {
            change += x * x;
        }
        return Math.sqrt(change);
    }

    /** z_c - z_S,c for one image: how much ablating {@code set} lowers output {@code output}. */
    public double outputChange(float[] p, int[] set, int output) {
        float[] w = weight.data();
        int row = output * weight.cols();
        double delta = 0;
        for (int j : set) {
            delta += (double) w[row + j] * (p[j] - replacement[j]);
        }
        return delta;
    }

    /** The mean of {@link #outputChange} over the given rows of {@code pooled}. */
    public double meanOutputChange(FloatMatrix pooled, int[] rows, int[] set, int output) {
        double sum = 0;
        for (int r : rows) {
            sum += outputChange(pooled.row(r), set, output);
        }
        return rows.length == 0 ? Double.NaN : sum / rows.length;
    }

    /** The mean effect over the given rows of {@code pooled}; each row's ||z|| is computed once and kept. */
    public double meanEffect(FloatMatrix pooled, int[] rows, int[] set) {
        if (rows.length == 0) {
            return Double.NaN;
        }
        double[] norms = normCache.computeIfAbsent(pooled, m -> {
            double[] unknown = new double[m.rows()];
            java.util.Arrays.fill(unknown, Double.NaN);
            return unknown;
        });
        double sum = 0;
        for (int r : rows) {
            float[] p = pooled.row(r);
            if (Double.isNaN(norms[r])) {
                norms[r] = outputNorm(p);
            }
            sum += norms[r] == 0 ? 0 : change(p, set) / norms[r];
        }
        return sum / rows.length;
    }

    /**
     * One group's ablation: its effect on {@code rows} (the first M images of the cluster), the effects of
     * {@code randomSets} seeded random sets of the same size on the same rows, z = (effect - their mean) / their sample
     * sd (null when the sd is 0 or the set empty), and specificity = effect on rows / effect on {@code outsideRows}
     * (null when that is 0 or there are none).
     */
    public Result ablate(FloatMatrix pooled, int[] rows, int[] outsideRows, int[] set, int randomSets, long seed) {
        if (randomSets < 2) {
            throw new IllegalArgumentException("randomSets must be >= 2, got " + randomSets);
        }
        double effect = meanEffect(pooled, rows, set);
        if (set.length == 0) {
            return new Result(effect, null, null, 0, 0);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] baseline = new double[randomSets];
        for (int s = 0; s < randomSets; s++) {
            baseline[s] = meanEffect(pooled, rows, randomSet(random, weight.cols(), set.length));
        }
        double mean = mean(baseline);
        double sd = sampleSd(baseline, mean);
        double outside = outsideRows.length == 0 ? 0 : meanEffect(pooled, outsideRows, set);
        Double specificity = outside > 0 ? effect / outside : null;
        return new Result(effect, zScore(effect, baseline), specificity, mean, sd);
    }

    /** (value - mean) / sample sd of the random sets' values; null when their sd is 0. */
    public static Double zScore(double value, double[] baseline) {
        double mean = mean(baseline);
        double sd = sampleSd(baseline, mean);
        return sd > 0 ? (value - mean) / sd : null;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double sampleSd(double[] values, double mean) {
        double var = 0;
        for (double v : values) {
            var += (v - mean) * (v - mean);
        }
        return Math.sqrt(var / (values.length - 1));
    }

    /** {@code size} distinct channels of {@code channels}, ascending (a partial Fisher-Yates shuffle). */
    public static int[] randomSet(SplittableRandom random, int channels, int size) {
        int[] all = new int[channels];
        for (int i = 0; i < channels; i++) {
            all[i] = i;
        }
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(channels - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = java.util.Arrays.copyOf(all, size);
        java.util.Arrays.sort(out);
        return out;
    }

    /** A group's ablation: effect, z against random sets, specificity, and the random sets' mean and sd. */
    public record Result(double effect, Double z, Double specificity, double baselineMean, double baselineSd) {}
}
