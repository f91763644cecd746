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

    /** At or above this many rows, the exact search first groups rows into cells and skips provably far pairs. */
    public static final int PRUNE_MIN_ROWS = 3 * BLOCK;
    /** Safety margin, in radians, of the pruning bound (far above float32 rounding of the angles). */
    private static final double PRUNE_MARGIN = 2e-3;

    /** One block of the search: query rows against candidate rows. */
    private record Task(Selection q, Selection c, int selfShift, boolean cols) {}

    private static void runTasks(
            DotKernel kernel,
            DotKernel.Loaded x,
            int threads,
            java.util.List<Task> tasks,
            Merger merger,
            Progress progress,
            String label) {
        progress.start(label, tasks.size());
        Parallel.run(threads, tasks.size(), progress, t -> {
            Task task = tasks.get(t);
            DotKernel.Nearest rows = new DotKernel.Nearest(task.q().length());
            DotKernel.Nearest cols =
                    task.cols() ? new DotKernel.Nearest(task.c().length()) : null;
            kernel.nearest(x, task.q(), x, task.c(), task.selfShift(), rows, cols);
            synchronized (merger) {
                merger.merge(0, task.q(), rows, task.c());
                if (cols != null) {
                    merger.merge(0, task.c(), cols, task.q());
                }
            }
        });
        progress.end();
    }

    /** Blocks covering every pair within one ascending list of rows (its upper triangle). */
    private static void withinTasks(int[] rows, java.util.List<Task> out) {
        for (int a = 0; a < rows.length; a += BLOCK) {
            Selection qa = Selection.of(Arrays.copyOfRange(rows, a, Math.min(rows.length, a + BLOCK)));
            for (int b = a; b < rows.length; b += BLOCK) {
                Selection cb =
                        a == b ? qa : Selection.of(Arrays.copyOfRange(rows, b, Math.min(rows.length, b + BLOCK)));
                out.add(new Task(qa, cb, a == b ? 0 : DotKernel.NO_SELF, a != b));
            }
        }
    }

    /** Blocks covering every pair between two disjoint ascending lists of rows. */
    private static void betweenTasks(int[] left, int[] right, java.util.List<Task> out) {
        for (int a = 0; a < left.length; a += BLOCK) {
            Selection qa = Selection.of(Arrays.copyOfRange(left, a, Math.min(left.length, a + BLOCK)));
            for (int b = 0; b < right.length; b += BLOCK) {
                Selection cb = Selection.of(Arrays.copyOfRange(right, b, Math.min(right.length, b + BLOCK)));
                out.add(new Task(qa, cb, DotKernel.NO_SELF, true));
            }
        }
    }

    /**
     * Exact first neighbours, skipping pairs that cannot matter: rows are grouped into seeded k-means cells; each row's
     * nearest neighbour inside its own cell bounds its first-neighbour angle phi; a pair of cells is skipped when for
     * every row of either, angle(row, other centroid) - other cell's radius > phi + margin (the angle triangle
     * inequality then rules out every member). The result is the exact search's; falls back to {@link #exact} for
     * small inputs or when a row is zero (angles undefined).
     */
    public static Neighbours exactPruned(
            DotKernel kernel, DotKernel.Loaded x, int threads, long seed, Progress progress) {
        UnitRows rows = x.rows();
        int n = rows.n();
        if (n < PRUNE_MIN_ROWS || hasZeroRow(rows)) {
            return exact(kernel, x, threads, progress);
        }
        int cells = Math.max(2, Math.min(4096, n / 1024));
        Approximate settings = new Approximate(seed, cells, 1, 32, 8);
        long t0 = Trace.now();
        UnitRows centroids = train(kernel, x, threads, cells, settings, progress);
        Trace.log("train " + cells + " cells", t0);
        t0 = Trace.now();
        // Angles of every row to every centroid (row-major n x cells, float) and the own cell (nearest centroid).
        float[] theta = new float[Math.multiplyExact(n, cells)];
        int[] own = new int[n];
        try (DotKernel.Loaded c = kernel.load(centroids)) {
            Selection all = Selection.range(0, cells);
            int chunks = chunks(n, QUERY_CHUNK);
            Parallel.run(threads, chunks, Progress.NONE, t -> {
                int s0 = t * QUERY_CHUNK;
                int len = Math.min(QUERY_CHUNK, n - s0);
                double[] dist = kernel.distances(x, Selection.range(s0, len), c, all);
                for (int r = 0; r < len; r++) {
                    int best = 0;
                    for (int j = 0; j < cells; j++) {
                        double d = dist[r * cells + j];
                        theta[(s0 + r) * cells + j] = (float) Math.acos(Math.max(-1, Math.min(1, 1 - d)));
                        if (d < dist[r * cells + best]) {
                            best = j;
                        }
                    }
                    own[s0 + r] = best;
                }
            });
        }
        int[] size = new int[cells];
        for (int i = 0; i < n; i++) {
            size[own[i]]++;
        }
        int[][] members = new int[cells][];
        for (int c = 0; c < cells; c++) {
            members[c] = new int[size[c]];
        }
        int[] fill = new int[cells];
        double[] radius = new double[cells];
        for (int i = 0; i < n; i++) {
            int c = own[i];
            members[c][fill[c]++] = i;
            radius[c] = Math.max(radius[c], theta[i * cells + c]);
        }
        Trace.log("angles to centroids", t0);
        t0 = Trace.now();
        // Phase A: within each cell.
        Merger merger = new Merger(n, 1);
        java.util.List<Task> within = new java.util.ArrayList<>();
        for (int c = 0; c < cells; c++) {
            withinTasks(members[c], within);
        }
        runTasks(
                kernel,
                x,
                threads,
                within,
                merger,
                progress,
                "first neighbours (exact, within cells, " + kernel.name() + ")");
        Trace.log("within cells, " + within.size() + " blocks", t0);
        t0 = Trace.now();
        // Bounds: low[c][t] = min over rows i of cell c of angle(i, centroid t) - phi_i.
        double[] low = new double[cells * cells];
        Arrays.fill(low, Double.POSITIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            double phi = merger.first[i] < 0 ? Math.PI : Math.acos(Math.max(-1, Math.min(1, 1 - merger.distance[i])));
            int c = own[i];
            for (int t = 0; t < cells; t++) {
                double v = theta[i * cells + t] - phi;
                if (v < low[c * cells + t]) {
                    low[c * cells + t] = v;
                }
            }
        }
        // Phase B: the pairs of cells that the bound cannot rule out.
        java.util.List<Task> between = new java.util.ArrayList<>();
        for (int c = 0; c < cells; c++) {
            for (int t = c + 1; t < cells; t++) {
                boolean needed = low[c * cells + t] - radius[t] <= PRUNE_MARGIN
                        || low[t * cells + c] - radius[c] <= PRUNE_MARGIN;
                if (needed && members[c].length > 0 && members[t].length > 0) {
                    betweenTasks(members[c], members[t], between);
                }
            }
        }
        long pairs = 0;
        for (Task t : between) {
            pairs += (long) t.q().length() * t.c().length();
        }
        Trace.log("bounds", t0);
        t0 = Trace.now();
        runTasks(
                kernel,
                x,
                threads,
                between,
                merger,
                progress,
                "first neighbours (exact, between cells, " + kernel.name() + ")");
        Trace.log(
                String.format(
                        java.util.Locale.ROOT,
                        "between cells, %d blocks, %.1f%% of all pairs",
                        between.size(),
                        100.0 * pairs / ((double) n * (n - 1) / 2)),
                t0);
        return merger.result();
    }

    private static boolean hasZeroRow(UnitRows rows) {
        int d = rows.d();
        for (int i = 0; i < rows.n(); i++) {
            boolean zero = true;
            for (int k = 0; k < d && zero; k++) {
                zero = rows.isDouble() ? rows.f64()[i * d + k] == 0 : rows.f32()[i * d + k] == 0;
            }
            if (zero) {
                return true;
            }
        }
        return false;
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

    /**
     * Approximate first neighbours, seeded and deterministic: rows are grouped into spherical k-means cells (about
     * sqrt(n) of them); every row is compared with the rows of its own cell and of the {@code probes} other cells whose
     * centroids are nearest its cell's centroid. Each pair of cells is one block computed once for both sides.
     */
    public static Neighbours approximate(
            DotKernel kernel, DotKernel.Loaded x, int threads, Approximate settings, Progress progress) {
        UnitRows rows = x.rows();
        int n = rows.n();
        int cells = Math.min(settings.cells(), n);
        int probes = Math.min(settings.probes(), cells);
        long t0 = Trace.now();
        UnitRows centroids = train(kernel, x, threads, cells, settings, progress);
        Trace.log("train " + cells + " cells", t0);
        t0 = Trace.now();
        int[] own = nearestCentroid(kernel, x, Selection.range(0, n), centroids, threads);
        int[][] members = members(own, cells);
        boolean[] pair = new boolean[cells * cells];
        try (DotKernel.Loaded c = kernel.load(centroids)) {
            Selection all = Selection.range(0, cells);
            for (int s0 = 0; s0 < cells; s0 += QUERY_CHUNK) {
                int len = Math.min(QUERY_CHUNK, cells - s0);
                double[] dist = kernel.distances(c, Selection.range(s0, len), c, all);
                for (int r = 0; r < len; r++) {
                    int a = s0 + r;
                    for (int b : nearestIndices(dist, r * cells, cells, probes, a)) {
                        pair[Math.min(a, b) * cells + Math.max(a, b)] = true;
                    }
                }
            }
        }
        java.util.List<Task> tasks = new java.util.ArrayList<>();
        long pairs = 0;
        for (int a = 0; a < cells; a++) {
            withinTasks(members[a], tasks);
            for (int b = a + 1; b < cells; b++) {
                if (pair[a * cells + b] && members[a].length > 0 && members[b].length > 0) {
                    betweenTasks(members[a], members[b], tasks);
                    pairs += (long) members[a].length * members[b].length;
                }
            }
            pairs += (long) members[a].length * (members[a].length - 1) / 2;
        }
        Trace.log("cells and pairs", t0);
        t0 = Trace.now();
        Merger merger = new Merger(n, 1);
        runTasks(kernel, x, threads, tasks, merger, progress, "first neighbours (approximate, " + kernel.name() + ")");
        Trace.log(
                String.format(
                        java.util.Locale.ROOT,
                        "search, %d blocks, %.2f%% of all pairs",
                        tasks.size(),
                        100.0 * pairs / ((double) n * (n - 1) / 2)),
                t0);
        Neighbours result = merger.result();
        for (int i = 0; i < n; i++) {
            if (result.first()[i] < 0) {
                exactRow(kernel, x, i, result);
            }
        }
        return result;
    }

    /** The {@code k} smallest of {@code dist[base .. base + len)} other than position {@code self}, nearest first. */
    private static int[] nearestIndices(double[] dist, int base, int len, int k, int self) {
        int[] topIdx = new int[k];
        double[] topD = new double[k];
        int filled = 0;
        for (int j = 0; j < len; j++) {
            if (j == self) {
                continue;
            }
            double v = dist[base + j];
            if (filled == k && v >= topD[k - 1]) {
                continue;
            }
            int pos = filled == k ? k - 1 : filled++;
            while (pos > 0 && topD[pos - 1] > v) {
                topD[pos] = topD[pos - 1];
                topIdx[pos] = topIdx[pos - 1];
                pos--;
            }
            topD[pos] = v;
            topIdx[pos] = j;
        }
        return Arrays.copyOf(topIdx, filled);
    }

    private static int[][] members(int[] own, int cells) {
        int[] size = new int[cells];
        for (int c : own) {
            size[c]++;
        }
        int[][] members = new int[cells][];
        for (int c = 0; c < cells; c++) {
            members[c] = new int[size[c]];
        }
        int[] fill = new int[cells];
        for (int i = 0; i < own.length; i++) {
            members[own[i]][fill[own[i]]++] = i;
        }
        return members;
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
    private static UnitRows train(
            DotKernel kernel, DotKernel.Loaded x, int threads, int cells, Approximate s, Progress progress) {
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

    private static int[] nearestCentroid(
            DotKernel kernel, DotKernel.Loaded x, Selection sel, UnitRows cents, int threads) {
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
    public static double recall(
            DotKernel kernel, DotKernel.Loaded x, Neighbours found, int sampleSize, long seed, int threads) {
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
