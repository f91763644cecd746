package hmn.finch;

/**
 * Dot products in plain Java: portable and deterministic, used where libtorch is not available and in tests. Each
 * dot product is summed in index order in the rows' precision, whatever the block shape.
 */
public final class JavaDotKernel implements DotKernel {
    @Override
    public Loaded load(UnitRows rows) {
        return new Loaded() {
            @Override
            public UnitRows rows() {
                return rows;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public void close() {}

    @Override
    public void nearest(
            Loaded queries, Selection q, Loaded candidates, Selection c, int selfShift, Nearest rows, Nearest cols) {
        UnitRows a = queries.rows();
        UnitRows b = candidates.rows();
        for (int r = 0; r < q.length(); r++) {
            int qi = q.get(r);
            for (int p = 0; p < c.length(); p++) {
                if (selfShift != NO_SELF && p == r + selfShift) {
                    continue;
                }
                double d = distance(a, qi, b, c.get(p));
                rows.offer(r, d, p);
                if (cols != null) {
                    cols.offer(p, d, r);
                }
            }
        }
    }

    @Override
    public double[] distances(Loaded queries, Selection q, Loaded candidates, Selection c) {
        UnitRows a = queries.rows();
        UnitRows b = candidates.rows();
        double[] out = new double[q.length() * c.length()];
        for (int r = 0; r < q.length(); r++) {
            int qi = q.get(r);
            for (int p = 0; p < c.length(); p++) {
                out[r * c.length() + p] = distance(a, qi, b, c.get(p));
            }
        }
        return out;
    }

    static double distance(UnitRows a, int i, UnitRows b, int j) {
        int d = a.d();
        int x = i * d;
        int y = j * d;
        if (a.f32() != null) {
            float[] fa = a.f32();
            float[] fb = b.f32();
            float s = 0f;
            for (int k = 0; k < d; k++) {
                s += fa[x + k] * fb[y + k];
            }
            return Distances.clip(1f - s);
        }
        double[] da = a.f64();
        double[] db = b.f64();
        double s = 0;
        for (int k = 0; k < d; k++) {
            s += da[x + k] * db[y + k];
        }
        return Distances.clip(1.0 - s);
    }
}
