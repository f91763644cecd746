package hmn.finch;

import hmn.io.FloatMatrix;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Generated data like the FINCH fixtures' gmm sets: 6 random unit super-centres; 10 sub-centres each at
 * {@code s + 0.6 u} (u a random unit vector); each point picks one of the 60 sub-centres uniformly and adds
 * {@code 0.45 N(0, I) / sqrt(D)}. Drawn in float64, stored as float32; seeded, the same for any thread count.
 */
public final class GmmData {
    private static final int SUPER = 6;
    private static final int SUB = 10;
    private static final int CHUNK = 4096;

    private GmmData() {}

    public static FloatMatrix generate(int n, int dims, long seed) {
        SplittableRandom centres = new SplittableRandom(seed);
        double[][] sub = new double[SUPER * SUB][];
        for (int s = 0; s < SUPER; s++) {
            double[] sup = unit(centres, dims);
            for (int t = 0; t < SUB; t++) {
                double[] u = unit(centres, dims);
                double[] c = new double[dims];
                for (int k = 0; k < dims; k++) {
                    c[k] = sup[k] + 0.6 * u[k];
                }
                sub[s * SUB + t] = c;
            }
        }
        float[] data = new float[Math.multiplyExact(n, dims)];
        double scale = 0.45 / Math.sqrt(dims);
        int chunks = (n + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + ch + 1);
            for (int i = ch * CHUNK; i < Math.min(n, (ch + 1) * CHUNK); i++) {
                double[] c = sub[r.nextInt(sub.length)];
                for (int k = 0; k < dims; k++) {
                    data[i * dims + k] = (float) (c[k] + scale * r.nextGaussian());
                }
            }
        });
        return new FloatMatrix(n, dims, data);
    }

    private static double[] unit(SplittableRandom r, int dims) {
        double[] v = new double[dims];
        double sum = 0;
        for (int k = 0; k < dims; k++) {
            v[k] = r.nextGaussian();
            sum += v[k] * v[k];
        }
        double norm = Math.sqrt(sum);
        for (int k = 0; k < dims; k++) {
            v[k] /= norm;
        }
        return v;
    }
}
