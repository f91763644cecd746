package hmn.runtime.weights;

import java.util.Map;

/**
 * A convolution with the batch norm after it folded in (inference only): weight {@code w * gamma / sqrt(var + eps)}
 * in PyTorch's O x I x kH x kW order, bias {@code beta - mean * gamma / sqrt(var + eps)}. The fold changes results
 * by float rounding only.
 */
public record FoldedConv(float[] weight, float[] bias, int out, int in, int kernel) {
    static final float BN_EPS = 1e-5f;

    /** Folds {@code bnName}'s batch norm into {@code convName}'s weight, both read from a torchvision state dict. */
    public static FoldedConv of(Map<String, Tensor> w, String convName, String bnName) {
        Tensor weight = w.get(convName + ".weight");
        float[] gamma = w.get(bnName + ".weight").data();
        float[] beta = w.get(bnName + ".bias").data();
        float[] mean = w.get(bnName + ".running_mean").data();
        float[] var = w.get(bnName + ".running_var").data();
        long[] s = weight.shape();
        int out = (int) s[0];
        int in = (int) s[1];
        int kernel = (int) s[2];
        int perOutput = in * kernel * kernel;
        float[] folded = new float[weight.data().length];
        float[] bias = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = gamma[o] / Math.sqrt((double) var[o] + BN_EPS);
            bias[o] = (float) (beta[o] - mean[o] * scale);
            for (int j = o * perOutput; j < (o + 1) * perOutput; j++) {
                folded[j] = (float) (weight.data()[j] * scale);
            }
        }
        return new FoldedConv(folded, bias, out, in, kernel);
    }

    /** The weight in O x kH x kW x I order (channels-last). */
    public float[] channelsLastWeight() {
        float[] permuted = new float[weight.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < kernel; y++) {
                    for (int x = 0; x < kernel; x++) {
                        permuted[((o * kernel + y) * kernel + x) * in + i] =
                                weight[((o * in + i) * kernel + y) * kernel + x];
                    }
                }
            }
        }
        return permuted;
    }
}
