package hmn.finch;

/**
 * Rows scaled to unit length (zero rows stay zero), in the precision of one FINCH level: float32 for the points,
 * float64 for cluster means. Exactly one of {@code f32} and {@code f64} is set; both are row-major {@code n x d}.
 */
public record UnitRows(int n, int d, float[] f32, double[] f64) {
    public UnitRows {
        if ((f32 == null) == (f64 == null)) {
            throw new IllegalArgumentException("exactly one of f32 and f64 must be set");
        }
        long len = f32 != null ? f32.length : f64.length;
        if (len != (long) n * d) {
            throw new IllegalArgumentException(
                    "data holds " + len + " values, shape " + n + " x " + d + " needs " + (long) n * d);
        }
    }

    public boolean isDouble() {
        return f64 != null;
    }

    /** Scales each row of a float32 matrix to unit length in float32 arithmetic; a zero row stays zero. */
    public static UnitRows ofFloats(int n, int d, float[] data) {
        float[] out = new float[data.length];
        for (int i = 0; i < n; i++) {
            int o = i * d;
            double sum = 0;
            for (int k = 0; k < d; k++) {
                sum += (double) data[o + k] * data[o + k];
            }
            float norm = (float) Math.sqrt(sum);
            if (norm == 0f) {
                continue;
            }
            for (int k = 0; k < d; k++) {
                out[o + k] = data[o + k] / norm;
            }
        }
        return new UnitRows(n, d, out, null);
    }

    /** Scales each row of a float64 matrix to unit length; a zero row stays zero. */
    public static UnitRows ofDoubles(int n, int d, double[] data) {
        double[] out = new double[data.length];
        for (int i = 0; i < n; i++) {
            int o = i * d;
            double sum = 0;
            for (int k = 0; k < d; k++) {
                sum += data[o + k] * data[o + k];
            }
            double norm = Math.sqrt(sum);
            if (norm == 0) {
                continue;
            }
            for (int k = 0; k < d; k++) {
                out[o + k] = data[o + k] / norm;
            }
        }
        return new UnitRows(n, d, null, out);
    }

    /**
     * Cosine distance between rows i and j in this level's precision: {@code 1 - dot}, clipped to [0, 2]. Computed
     * in Java; used for the few pairs outside the blocked first-neighbour search (siblings of a shared neighbour).
     */
    public double distance(int i, int j) {
        int a = i * d;
        int b = j * d;
        if (f32 != null) {
            float s = 0f;
            for (int k = 0; k < d; k++) {
                s += f32[a + k] * f32[b + k];
            }
            return Distances.clip(1f - s);
        }
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += f64[a + k] * f64[b + k];
        }
        return Distances.clip(1.0 - s);
    }
}
