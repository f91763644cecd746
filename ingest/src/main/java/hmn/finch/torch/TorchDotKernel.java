package hmn.finch.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import hmn.finch.Distances;
import hmn.finch.DotKernel;
import hmn.finch.Selection;
import hmn.finch.UnitRows;

/**
 * Dot products through libtorch matrix products (DJL's PyTorch engine). libtorch runs single-threaded per call so
 * that a block's result never depends on the thread count; the caller spreads blocks over its own threads.
 */
public final class TorchDotKernel implements DotKernel {
    private static final double MASK = 1e30;
    private final NDManager manager;
    private final int previousThreads;

    private TorchDotKernel(NDManager manager, int previousThreads) {
        this.manager = manager;
        this.previousThreads = previousThreads;
    }

    /**
     * Starts the PyTorch engine (offline, from the native jar on the classpath); throws if it cannot. libtorch's
     * intra-op thread count is set to 1 until {@link #close()}, which restores it for other users of the engine.
     */
    public static TorchDotKernel start() {
        NDManager manager = NDManager.newBaseManager("PyTorch");
        int previous = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        return new TorchDotKernel(manager, previous);
    }

    @Override
    public String name() {
        return "libtorch";
    }

    @Override
    public Loaded load(UnitRows rows) {
        NDManager m = manager.newSubManager();
        NDArray array = rows.isDouble()
                ? m.create(rows.f64(), new Shape(rows.n(), rows.d()))
                : m.create(rows.f32(), new Shape(rows.n(), rows.d()));
        return new TorchLoaded(rows, m, array);
    }

    private record TorchLoaded(UnitRows rows, NDManager manager, NDArray array) implements Loaded {
        @Override
        public void close() {
            manager.close();
        }
    }

    private static NDArray select(NDManager scope, Loaded loaded, Selection s) {
        NDArray all = ((TorchLoaded) loaded).array();
        NDArray part = s.isRange()
                ? all.get(scope, new NDIndex("{}:{}", s.start(), s.start() + s.length()))
                : all.get(scope.create(toLongs(s.indices())));
        part.attach(scope);
        return part;
    }

    private static long[] toLongs(int[] ints) {
        long[] out = new long[ints.length];
        for (int i = 0; i < ints.length; i++) {
            out[i] = ints[i];
        }
        return out;
    }

    /** The block's distances clip(1 - dot, 0, 2) would cost a pass; 1 - dot is computed and clipping fixed after. */
    private static NDArray oneMinusDot(NDManager scope, Loaded queries, Selection q, Loaded candidates, Selection c) {
        NDArray a = select(scope, queries, q);
        NDArray b = select(scope, candidates, c);
        NDArray dot = a.matMul(b.transpose());
        return dot.negi().addi(1);
    }

    @Override
    public void nearest(
            Loaded queries, Selection q, Loaded candidates, Selection c, int selfShift, Nearest rows, Nearest cols) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray d = oneMinusDot(scope, queries, q, candidates, c);
            if (selfShift != NO_SELF && selfShift > -q.length() && selfShift < c.length()) {
                DataType type = d.getDataType();
                d = d.addi(scope.eye(q.length(), c.length(), selfShift, type).muli(MASK));
            }
            reduce(d, 1, q.length(), rows, queries.rows().isDouble());
            if (cols != null) {
                reduce(d, 0, c.length(), cols, queries.rows().isDouble());
            }
            // Unclipped minima outside [0, 2] (near-duplicates, opposite rows) break ties differently from clipped
            // values: redo those rows with clipping.
            fixClipped(d, q.length(), c.length(), selfShift, rows, cols);
        }
    }

    private static void reduce(NDArray d, int axis, int size, Nearest out, boolean isDouble) {
        double[] min = isDouble
                ? d.min(new int[] {axis}).toDoubleArray()
                : toDoubles(d.min(new int[] {axis}).toFloatArray());
        long[] arg = d.argMin(axis).toLongArray();
        for (int r = 0; r < size; r++) {
            out.offer(r, min[r], (int) arg[r]);
        }
    }

    private static double[] toDoubles(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    private static void fixClipped(NDArray d, int nq, int nc, int selfShift, Nearest rows, Nearest cols) {
        double[] all = null;
        boolean isDouble = d.getDataType() == DataType.FLOAT64;
        for (int pass = 0; pass < 2; pass++) {
            Nearest out = pass == 0 ? rows : cols;
            if (out == null) {
                continue;
            }
            int size = pass == 0 ? nq : nc;
            for (int r = 0; r < size; r++) {
                double m = out.distance[r];
                if (m >= 0 && m <= 2) {
                    continue;
                }
                if (all == null) {
                    all = isDouble ? d.toDoubleArray() : toDoubles(d.toFloatArray());
                }
                out.position[r] = -1;
                out.distance[r] = Double.POSITIVE_INFINITY;
                int other = pass == 0 ? nc : nq;
                for (int p = 0; p < other; p++) {
                    int row = pass == 0 ? r : p;
                    int col = pass == 0 ? p : r;
                    if (selfShift != NO_SELF && col == row + selfShift) {
                        continue;
                    }
                    double v = all[row * nc + col];
                    out.offer(r, isDouble ? Distances.clip(v) : Distances.clip((float) v), p);
                }
            }
        }
    }

    @Override
    public double[] distances(Loaded queries, Selection q, Loaded candidates, Selection c) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray d = oneMinusDot(scope, queries, q, candidates, c).clip(0, 2);
            return queries.rows().isDouble() ? d.toDoubleArray() : toDoubles(d.toFloatArray());
        }
    }

    @Override
    public void close() {
        manager.close();
        JniUtils.setNumThreads(previousThreads);
    }
}
