package hmn.runtime.weights;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deterministic stand-in weights from a seed, by a formula simple enough to reproduce bit for bit elsewhere (the
 * fixture generator in {@code models/tools/} computes the same values with NumPy): for element i of parameter
 * {@code name}, a 32-bit hash of (i, seed, FNV-1a(name)) gives u in [0, 1), scaled per kind of parameter (He-uniform
 * convolutions, batch-norm statistics near their usual values). Used for {@code --random-weights} and in tests.
 */
public final class SeededWeights {
    private SeededWeights() {}

    public static Map<String, Tensor> generate(Map<String, long[]> shapes, long seed) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            out.put(e.getKey(), tensor(e.getKey(), e.getValue(), seed));
        }
        return out;
    }

    static Tensor tensor(String name, long[] shape, long seed) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        long fanIn = shape.length > 1 ? n / shape[0] : 1;
        long mix = (seed * 0x9E3779B1L + fnv1a(name)) & 0xFFFFFFFFL;
        float[] values = new float[(int) n];
        for (int i = 0; i < n; i++) {
            double u = hash(i, mix) / 4294967296.0;
            double v;
            if (shape.length == 4) {
                v = (u - 0.5) * Math.sqrt(24.0 / fanIn);
            } else if (shape.length == 2) {
                v = (u - 0.5) * Math.sqrt(12.0 / fanIn);
            } else if (name.endsWith("running_var")) {
                v = 0.5 + u;
            } else if (name.endsWith(".weight")) {
                v = 0.5 + 0.5 * u;
            } else {
                v = 0.2 * (u - 0.5); // biases and running means
            }
            values[i] = (float) v;
        }
        return new Tensor(shape.clone(), values);
    }

    static long hash(long i, long mix) {
        long x = (i * 2654435761L + mix) & 0xFFFFFFFFL;
        x ^= x >>> 16;
        x = (x * 0x45D9F3BL) & 0xFFFFFFFFL;
        x ^= x >>> 16;
        return x;
    }

    static long fnv1a(String s) {
        long h = 0x811C9DC5L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h = (h * 0x01000193L) & 0xFFFFFFFFL;
        }
        return h;
    }
}
