package hmn.validity;

import hmn.io.FloatMatrix;

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

    /** The effects of sets of channels on the rows of {@code pooled} (this ablation's collection). */
    public AblationEffects on(FloatMatrix pooled) {
        if (pooled.cols() != weight.cols()) {
            throw new IllegalArgumentException(
                    "pooled has " + pooled.cols() + " channels, the output map reads " + weight.cols());
        }
        return new AblationEffects() {
            @Override
            public int channels() {
                return pooled.cols();
            }

            @Override
            public double[] meanEffects(int[] rows, java.util.List<int[]> sets) {
                double[] out = new double[sets.size()];
                for (int s = 0; s < out.length; s++) {
                    out[s] = meanEffect(pooled, rows, sets.get(s));
                }
                return out;
            }
        };
    }

    /** {@link AblationEffects#ablate} on the rows of {@code pooled}. */
    public AblationEffects.Result ablate(
            FloatMatrix pooled, int[] rows, int[] outsideRows, int[] set, int randomSets, long seed) {
        return on(pooled).ablate(rows, outsideRows, set, randomSets, seed);
    }
}
