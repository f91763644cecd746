package hmn.finch;

/**
 * The dot products behind FINCH's first neighbours, blocked: one call handles one block of query rows against one
 * block of candidate rows. Implementations must be deterministic: the result of a call depends only on its arguments
 * (single-threaded arithmetic per call; callers spread calls over their own threads).
 *
 * <p>Distances are cosine distances on unit rows, {@code clip(1 - dot, 0, 2)}, in the rows' precision.
 */
public interface DotKernel extends AutoCloseable {
    /** No query is also a candidate. */
    int NO_SELF = Integer.MIN_VALUE;

    /** Takes a matrix into the kernel (e.g. copies it to native memory) for later calls. */
    Loaded load(UnitRows rows);

    /** A short name for reports, e.g. "libtorch" or "java". */
    String name();

    @Override
    void close();

    /** A matrix held by the kernel. */
    interface Loaded extends AutoCloseable {
        UnitRows rows();

        @Override
        void close();
    }

    /**
     * For each query, the nearest candidate (lowest candidate position on ties) and its distance; with {@code cols}
     * not null, also for each candidate its nearest query. Query {@code r} and candidate {@code r + selfShift} are the
     * same point and are never paired (unless {@code selfShift == NO_SELF}).
     */
    void nearest(
            Loaded queries, Selection q, Loaded candidates, Selection c, int selfShift, Nearest rows, Nearest cols);

    /** All distances of the block, row-major {@code q.length() x c.length()}. */
    double[] distances(Loaded queries, Selection q, Loaded candidates, Selection c);

    /** Per row of a block: the position of its nearest partner and the distance; position -1 when none. */
    final class Nearest {
        public final int[] position;
        public final double[] distance;

        public Nearest(int size) {
            position = new int[size];
            distance = new double[size];
            java.util.Arrays.fill(position, -1);
            java.util.Arrays.fill(distance, Double.POSITIVE_INFINITY);
        }

        /** Keeps (d, p) if it is smaller than the current (distance, position) pair, compared in that order. */
        public void offer(int row, double d, int p) {
            if (d < distance[row] || (d == distance[row] && (position[row] < 0 || p < position[row]))) {
                distance[row] = d;
                position[row] = p;
            }
        }
    }
}
