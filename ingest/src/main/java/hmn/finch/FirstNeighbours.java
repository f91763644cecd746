package hmn.finch;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * First-neighbour search, exact (blocked over rows, upper triangle only, O(N*D) memory) or approximate (a seeded
 * inverted-file index: spherical k-means cells, each point searching the cells of its nearest centroids).
 *
 * <p>Both are deterministic to the bit whatever the thread count: the block grid is fixed, each block is computed
 * single-threaded by the kernel, and partial results are merged by the order-independent rule "smallest distance,
 * then lowest index".
 */
public final class FirstNeighbours {
    /** Rows per block of the exact search. Fixed: results must not depend on how work is split. */
    public static final int BLOCK = 2048;

    private FirstNeighbours() {}

    /** Exact first neighbours of all rows (at least 2). */
    public static Neighbours exact(DotKernel kernel, DotKernel.Loaded x, int threads, Progress progress) {
        int n = x.rows().n();
        int blocks = (n + BLOCK - 1) / BLOCK;
        int[] bi = new int[blocks * (blocks + 1) / 2];
        int[] bj = new int[bi.length];
        for (int i = 0, t = 0; i < blocks; i++) {
            for (int j = i; j < blocks; j++, t++) {
                bi[t] = i;
                bj[t] = j;
            }
        }
        Merger merger = new Merger(n, blocks);
        progress.start("first neighbours (exact, " + kernel.name() + ")", bi.length);
        Parallel.run(threads, bi.length, progress, t -> {
            int i0 = bi[t] * BLOCK;
            int j0 = bj[t] * BLOCK;
            Selection q = Selection.range(i0, Math.min(BLOCK, n - i0));
            Selection c = Selection.range(j0, Math.min(BLOCK, n - j0));
            boolean diagonal = i0 == j0;
            DotKernel.Nearest rows = new DotKernel.Nearest(q.length());
            DotKernel.Nearest cols = diagonal ? null : new DotKernel.Nearest(c.length());
            kernel.nearest(x, q, x, c, diagonal ? 0 : DotKernel.NO_SELF, rows, cols);
            merger.merge(bi[t], q, rows, c);
            if (cols != null) {
                merger.merge(bj[t], c, cols, q);
            }
        });
        progress.end();
        return merger.result();
    }

    /** Merges partial results under one lock per stripe of rows; the merge rule is order-independent. */
    private static final class Merger {
        final int[] first;
        final double[] distance;
        final Object[] locks;
        final int stripe;

        Merger(int n, int stripes) {
            first = new int[n];
            distance = new double[n];
            Arrays.fill(first, -1);
            Arrays.fill(distance, Double.POSITIVE_INFINITY);
            locks = new Object[Math.max(1, stripes)];
            for (int i = 0; i < locks.length; i++) {
                locks[i] = new Object();
            }
            stripe = Math.max(1, (n + locks.length - 1) / locks.length);
        }

        void merge(int lockHint, Selection rowsSel, DotKernel.Nearest best, Selection partners) {
            synchronized (locks[lockHint % locks.length]) {
                for (int r = 0; r < rowsSel.length(); r++) {
                    int p = best.position[r];
                    if (p < 0) {
                        continue;
                    }
                    int row = rowsSel.get(r);
                    int j = partners.get(p);
                    double d = best.distance[r];
                    if (d < distance[row] || (d == distance[row] && (first[row] < 0 || j < first[row]))) {
                        distance[row] = d;
                        first[row] = j;
                    }
                }
            }
        }

        /** Lock-free merge for callers that already hold all rows' lock (single lock). */
        Neighbours result() {
            return new Neighbours(first, distance);
        }
    }

    /** Settings of the approximate search. */
    public record Approximate(long seed, int cells, int probes, int trainingPerCell, int iterations) {
        public Approximate {
            if (cells < 1) {
                throw new IllegalArgumentException("cells must be >= 1, got " + cells);
            }
            if (probes < 1) {
                throw new IllegalArgumentException("probes must be >= 1, got " + probes);
            }
        }

        /** Defaults for n rows: about sqrt(n) cells, each point searching its 24 nearest cells. */
        public static Approximate forSize(int n, long seed) {
            int cells = Math.max(1, (int) Math.round(Math.sqrt(n)));
            return new Approximate(seed, cells, Math.min(cells, 24), 32, 8);
        }
    }

    private static final int QUERY_CHUNK = 4096;
    private static final int CANDIDATE_CHUNK = 8192;

    /** Approximate first neighbours: seeded and deterministic. */
    public static Neighbours approximate(DotKernel kernel, DotKernel.Loaded x, int threads, Approximate settings,
            Progress progress) {
        UnitRows rows = x.rows();
        int n = rows.n();
        int cells = Math.min(settings.cells(), n);
        int probes = Math.min(settings.probes(), cells);
        UnitRows centroids = train(kernel, x, threads, cells, settings, progress);
        int[][] probe = probes(kernel, x, centroids, probes, threads, progress);

        // Cell members (ascending) and, per cell, its queries: members first, then the other points probing it.
        int[] size = new int[cells];
        int[] queryCount = new int[cells];
        for (int i = 0; i < n; i++) {
            size[probe[i][0]]++;
            for (int p = 0; p < probes; p++) {
                queryCount[probe[i][p]]++;
            }
        }
        int[][] members = new int[cells][];
        int[][] queries = new int[cells][];
        for (int c = 0; c < cells; c++) {
            members[c] = new int[size[c]];
            queries[c] = new int[queryCount[c]];
        }
        int[] fillM = new int[cells];
        int[] fillQ = new int[cells];
        for (int i = 0; i < n; i++) {
            int own = probe[i][0];
            members[own][fillM[own]++] = i;
            queries[own][fillQ[own]++] = i;
        }
        for (int i = 0; i < n; i++) {
            for (int p = 1; p < probes; p++) {
                int c = probe[i][p];
                queries[c][fillQ[c]++] = i;
            }
        }
        // Tasks: (cell, query chunk, candidate chunk).
        int taskCount = 0;
        for (int c = 0; c < cells; c++) {
            taskCount += chunks(queries[c].length, QUERY_CHUNK) * chunks(members[c].length, CANDIDATE_CHUNK);
        }
        int[] tc = new int[taskCount];
        int[] tq = new int[taskCount];
        int[] tm = new int[taskCount];
        for (int c = 0, t = 0; c < cells; c++) {
            for (int qs = 0; qs < queries[c].length; qs += QUERY_CHUNK) {
                for (int ms = 0; ms < members[c].length; ms += CANDIDATE_CHUNK, t++) {
                    tc[t] = c;
                    tq[t] = qs;
                    tm[t] = ms;
                }
            }
        }
        Merger merger = new Merger(n, 64);
        progress.start("first neighbours (approximate, " + kernel.name() + ")", taskCount);
        Parallel.run(threads, taskCount, progress, t -> {
            int c = tc[t];
            int[] qAll = queries[c];
            int[] mAll = members[c];
            int qs = tq[t];
            int ms = tm[t];
            Selection q = Selection.of(Arrays.copyOfRange(qAll, qs, Math.min(qAll.length, qs + QUERY_CHUNK)));
            Selection m = Selection.of(Arrays.copyOfRange(mAll, ms, Math.min(mAll.length, ms + CANDIDATE_CHUNK)));
            // Query position qs + r is the member at position qs + r (members come first), local candidate qs + r - ms.
            int shift = qs - ms;
            DotKernel.Nearest best = new DotKernel.Nearest(q.length());
            kernel.nearest(x, q, x, m, shift, best, null);
            mergeStriped(merger, q, best, m);
        });
        progress.end();
        // A point alone everywhere it looked (tiny cells) falls back to its nearest centroid's best member search
        // having found nothing: search all rows for it, exactly.
        Neighbours result = merger.result();
        for (int i = 0; i < n; i++) {
            if (result.first()[i] < 0) {
                exactRow(kernel, x, i, result);
            }
        }
        return result;
    }

    private static void mergeStriped(Merger merger, Selection q, DotKernel.Nearest best, Selection m) {
        synchronized (merger.locks[0]) {
            merger.merge(0, q, best, m);
        }
    }

    private static void exactRow(DotKernel kernel, DotKernel.Loaded x, int i, Neighbours out) {
        int n = x.rows().n();
        for (int s = 0; s < n; s += CANDIDATE_CHUNK) {
            Selection c = Selection.range(s, Math.min(CANDIDATE_CHUNK, n - s));
            DotKernel.Nearest best = new DotKernel.Nearest(1);
            int shift = (i >= s && i < s + c.length()) ? i - s : DotKernel.NO_SELF;
            kernel.nearest(x, Selection.range(i, 1), x, c, shift, best, null);
            if (best.position[0] >= 0) {
                int j = s + best.position[0];
                double d = best.distance[0];
                if (d < out.distance()[i] || (d == out.distance()[i] && (out.first()[i] < 0 || j < out.first()[i]))) {
                    out.distance()[i] = d;
                    out.first()[i] = j;
                }
            }
        }
    }

    private static int chunks(int length, int chunk) {
        return (length + chunk - 1) / chunk;
    }

    /** Spherical k-means on a seeded sample; centroids are unit rows in the data's precision. */
    private static UnitRows train(DotKernel kernel, DotKernel.Loaded x, int threads, int cells, Approximate s,
            Progress progress) {
        UnitRows rows = x.rows();
        int n = rows.n();
        int d = rows.d();
        SplittableRandom random = new SplittableRandom(s.seed());
        int sampleSize = (int) Math.min(n, (long) cells * Math.max(1, s.trainingPerCell()));
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < sampleSize; i++) {
            int j = i + random.nextInt(n - i);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        int[] sample = Arrays.copyOf(perm, sampleSize);
        double[] centre = new double[cells * d];
        for (int c = 0; c < cells; c++) {
            copyRow(rows, sample[c], centre, c * d);
        }
        Arrays.sort(sample);
        progress.start("training cells", s.iterations());
        for (int it = 0; it < s.iterations(); it++) {
            UnitRows cents = unit(centre, cells, d, rows.isDouble());
            int[] assign = nearestCentroid(kernel, x, Selection.of(sample), cents, threads);
            double[] sum = new double[cells * d];
            int[] count = new int[cells];
            for (int r = 0; r < sampleSize; r++) {
                int c = assign[r];
                count[c]++;
                addRow(rows, sample[r], sum, c * d);
            }
            for (int c = 0; c < cells; c++) {
                if (count[c] > 0) {
                    System.arraycopy(sum, c * d, centre, c * d, d);
                }
            }
            progress.step(1);
        }
        progress.end();
        return unit(centre, cells, d, rows.isDouble());
    }

    private static int[] nearestCentroid(DotKernel kernel, DotKernel.Loaded x, Selection sel, UnitRows cents,
            int threads) {
        int[] out = new int[sel.length()];
        try (DotKernel.Loaded c = kernel.load(cents)) {
            Selection all = Selection.range(0, cents.n());
            int chunks = chunks(sel.length(), QUERY_CHUNK);
            Parallel.run(threads, chunks, Progress.NONE, t -> {
                int s0 = t * QUERY_CHUNK;
                int len = Math.min(QUERY_CHUNK, sel.length() - s0);
                int[] idx = new int[len];
                for (int r = 0; r < len; r++) {
                    idx[r] = sel.get(s0 + r);
                }
                DotKernel.Nearest best = new DotKernel.Nearest(len);
                kernel.nearest(x, Selection.of(idx), c, all, DotKernel.NO_SELF, best, null);
                for (int r = 0; r < len; r++) {
                    out[s0 + r] = Math.max(0, best.position[r]);
                }
            });
        }
        return out;
    }

    /** Each point's {@code probes} nearest centroids, nearest first (smallest distance, then lowest index). */
    private static int[][] probes(DotKernel kernel, DotKernel.Loaded x, UnitRows cents, int probes, int threads,
            Progress progress) {
        int n = x.rows().n();
        int cells = cents.n();
        int[][] out = new int[n][];
        int chunks = chunks(n, QUERY_CHUNK);
        progress.start("assigning cells", chunks);
        try (DotKernel.Loaded c = kernel.load(cents)) {
            Selection all = Selection.range(0, cells);
            Parallel.run(threads, chunks, progress, t -> {
                int s0 = t * QUERY_CHUNK;
                int len = Math.min(QUERY_CHUNK, n - s0);
                double[] dist = kernel.distances(x, Selection.range(s0, len), c, all);
                int[] topIdx = new int[probes];
                double[] topD = new double[probes];
                for (int r = 0; r < len; r++) {
                    int filled = 0;
                    int base = r * cells;
                    for (int j = 0; j < cells; j++) {
                        double v = dist[base + j];
                        if (filled == probes && v >= topD[probes - 1]) {
                            continue;
                        }
                        int pos = filled == probes ? probes - 1 : filled++;
                        while (pos > 0 && topD[pos - 1] > v) {
                            topD[pos] = topD[pos - 1];
                            topIdx[pos] = topIdx[pos - 1];
                            pos--;
                        }
                        topD[pos] = v;
                        topIdx[pos] = j;
                    }
                    out[s0 + r] = Arrays.copyOf(topIdx, probes);
                }
            });
        }
        progress.end();
        return out;
    }

    private static void copyRow(UnitRows rows, int i, double[] dst, int at) {
        int d = rows.d();
        for (int k = 0; k < d; k++) {
            dst[at + k] = rows.isDouble() ? rows.f64()[i * d + k] : rows.f32()[i * d + k];
        }
    }

    private static void addRow(UnitRows rows, int i, double[] dst, int at) {
        int d = rows.d();
        for (int k = 0; k < d; k++) {
            dst[at + k] += rows.isDouble() ? rows.f64()[i * d + k] : rows.f32()[i * d + k];
        }
    }

    private static UnitRows unit(double[] centre, int cells, int d, boolean isDouble) {
        if (isDouble) {
            return UnitRows.ofDoubles(cells, d, centre);
        }
        float[] f = new float[centre.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) centre[i];
        }
        return UnitRows.ofFloats(cells, d, f);
    }

    /**
     * The fraction of sampled rows whose given first neighbour is the exact one, the exact one found by a full
     * search of every sampled row (seeded sample).
     */
    public static double recall(DotKernel kernel, DotKernel.Loaded x, Neighbours found, int sampleSize, long seed,
            int threads) {
        int n = x.rows().n();
        int m = Math.min(sampleSize, n);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] sample = random.ints(0, n).distinct().limit(m).sorted().toArray();
        Neighbours exact = new Neighbours(new int[m], new double[m]);
        Arrays.fill(exact.first(), -1);
        Arrays.fill(exact.distance(), Double.POSITIVE_INFINITY);
        int chunks = chunks(n, CANDIDATE_CHUNK);
        Object lock = new Object();
        Parallel.run(threads, chunks, Progress.NONE, t -> {
            int s0 = t * CANDIDATE_CHUNK;
            int len = Math.min(CANDIDATE_CHUNK, n - s0);
            double[] dist = kernel.distances(x, Selection.of(sample), x, Selection.range(s0, len));
            synchronized (lock) {
                for (int r = 0; r < m; r++) {
                    for (int p = 0; p < len; p++) {
                        int j = s0 + p;
                        if (j == sample[r]) {
                            continue;
                        }
                        double v = dist[r * len + p];
                        if (v < exact.distance()[r] || (v == exact.distance()[r] && j < exact.first()[r])) {
                            exact.distance()[r] = v;
                            exact.first()[r] = j;
                        }
                    }
                }
            }
        });
        int hits = 0;
        for (int r = 0; r < m; r++) {
            if (found.first()[sample[r]] == exact.first()[r]) {
                hits++;
            }
        }
        return (double) hits / m;
    }
}
