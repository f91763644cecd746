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
        int outputs = weight.rows();
        int channels = weight.cols();
        float[] w = weight.data();
        double change = 0;
        double norm = 0;
        for (int k = 0; k < outputs; k++) {
            int row = k * channels;
            double z = bias[k];
            for (int j = 0; j < channels; j++) {
                z += (double) w[row + j] * p[j];
            }
            double delta = 0;
            for (int j : set) {
                delta += (double) w[row + j] * (p[j] - replacement[j]);
            }
            change += delta * delta;
            norm += z * z;
        }
        return norm == 0 ? 0 : Math.sqrt(change / norm);
    }

    /** The mean effect over the given rows of {@code pooled}. */
    public double meanEffect(FloatMatrix pooled, int[] rows, int[] set) {
        if (rows.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int r : rows) {
            sum += effect(pooled.row(r), set);
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
        double mean = 0;
        for (double b : baseline) {
            mean += b;
        }
        mean /= randomSets;
        double var = 0;
        for (double b : baseline) {
            var += (b - mean) * (b - mean);
        }
        double sd = Math.sqrt(var / (randomSets - 1));
        Double z = sd > 0 ? (effect - mean) / sd : null;
        double outside = outsideRows.length == 0 ? 0 : meanEffect(pooled, outsideRows, set);
        Double specificity = outside > 0 ? effect / outside : null;
        return new Result(effect, z, specificity, mean, sd);
    }

    /** {@code size} distinct channels of {@code channels}, ascending (a partial Fisher-Yates shuffle). */
    static int[] randomSet(SplittableRandom random, int channels, int size) {
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
