package hmn.finch;

import hmn.io.FloatMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.function.Supplier;

/**
 * FINCH hierarchical clustering (Sarfraz et al., CVPR 2019) with cosine distance, giving the same partitions as the
 * authors' implementation: first neighbours, links between a point, its first neighbour and the points sharing it,
 * connected components, then the same on the cluster means, level after level.
 *
 * <pre>{@code
 * Partitions p = Finch.builder().earlyExit(true).build().cluster(matrix);
 * }</pre>
 */
public final class Finch {
    /** Above this many rows, {@link NeighbourSearch#AUTO} switches to the approximate search. */
    public static final int AUTO_EXACT_LIMIT = 200_000;
    /** At or below this many rows, {@link NeighbourSearch#APPROXIMATE} still searches exactly (it is cheap). */
    public static final int APPROXIMATE_MIN_ROWS = 4 * FirstNeighbours.BLOCK;

    private final boolean earlyExit;
    private final int maxLevels;
    private final NeighbourSearch search;
    private final int threads;
    private final long seed;
    private final int probes;
    private final Supplier<DotKernel> kernels;
    private final Listener listener;
    private final Progress progress;

    private Finch(Builder b) {
        this.earlyExit = b.earlyExit;
        this.maxLevels = b.maxLevels;
        this.search = b.search;
        this.threads = b.threads;
        this.seed = b.seed;
        this.probes = b.probes;
        this.kernels = b.kernels;
        this.listener = b.listener;
        this.progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What happened on one level, for reports and benchmarks. */
    public record LevelReport(int level, int rows, int clusters, String search, long nanos, boolean kept) {}

    /** Receives a report per level computed, and notes (e.g. the switch to approximate search). */
    public interface Listener {
        Listener NONE = new Listener() {};

        default void level(LevelReport report) {}

        default void note(String message) {}

        /** The first neighbours found on a level (level 1: of the points). */
        default void neighbours(int level, Neighbours neighbours) {}
    }

    /** Clusters the rows of {@code x} (at least one row; finite values). */
    public Partitions cluster(FloatMatrix x) {
        int n = x.rows();
        if (n == 0) {
            throw new IllegalArgumentException("FINCH needs at least one row, got 0");
        }
        int bad = firstNonFiniteRow(x);
        if (bad >= 0) {
            throw new IllegalArgumentException("row " + bad + " holds NaN or an infinite value");
        }
        List<int[]> levels = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        if (n <= 3) {
            levels.add(new int[n]);
            counts.add(1);
            listener.level(new LevelReport(1, n, 1, "none", 0, true));
            return build(n, levels, counts);
        }
        try (DotKernel kernel = kernels.get()) {
            long t0 = System.nanoTime();
            UnitRows unit = UnitRows.ofFloats(n, x.cols(), x.data());
            Neighbours nb;
            String method;
            try (DotKernel.Loaded loaded = kernel.load(unit)) {
                method = chooseSearch(n, 1);
                nb = neighbours(kernel, loaded, method);
            }
            listener.neighbours(1, nb);
            int[] labels = Components.ofFirstNeighbours(nb.first());
            int count = Components.count(labels);
            long tm = Trace.now();
            double minSim = earlyExit ? levelOneMinSim(kernel, unit, nb) : Double.NaN;
            Trace.log("early-exit threshold", tm);
            levels.add(labels);
            counts.add(count);
            listener.level(new LevelReport(1, n, count, method + "/" + kernel.name(), System.nanoTime() - t0, true));
            int[] pointLabels = labels;
            while (levels.size() < maxLevels && count >= 2) {
                long t = System.nanoTime();
                int level = levels.size() + 1;
                UnitRows means = UnitRows.ofDoubles(count, x.cols(), Means.of(x, pointLabels, count));
                String m = chooseSearch(count, level);
                Neighbours next;
                try (DotKernel.Loaded loaded = kernel.load(means)) {
                    next = neighbours(kernel, loaded, m);
                }
                int[] clusterLabels =
                        earlyExit ? Components.pruned(next, means, minSim) : Components.ofFirstNeighbours(next.first());
                int newCount = Components.count(clusterLabels);
                boolean kept = newCount > 1 && newCount < count;
                listener.level(
                        new LevelReport(level, count, newCount, m + "/" + kernel.name(), System.nanoTime() - t, kept));
                if (!kept) {
                    break;
                }
                int[] mapped = new int[n];
                for (int i = 0; i < n; i++) {
                    mapped[i] = clusterLabels[pointLabels[i]];
                }
                levels.add(mapped);
                counts.add(newCount);
                pointLabels = mapped;
                if (newCount == count - 1) {
                    break;
                }
                count = newCount;
            }
        }
        return build(n, levels, counts);
    }

    /** The index of the first row holding NaN or an infinite value, or -1. */
    public static int firstNonFiniteRow(FloatMatrix x) {
        float[] data = x.data();
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                return i / x.cols();
            }
        }
        return -1;
    }

    private String chooseSearch(int rows, int level) {
        switch (search) {
            case EXACT:
                return "exact";
            case APPROXIMATE:
                return rows > APPROXIMATE_MIN_ROWS ? "approximate" : "exact";
            default:
                if (rows > AUTO_EXACT_LIMIT) {
                    listener.note("level " + level + ": " + rows + " rows is above " + AUTO_EXACT_LIMIT
                            + "; using the approximate first-neighbour search (choose --neighbours exact to override)");
                    return "approximate";
                }
                return "exact";
        }
    }

    private Neighbours neighbours(DotKernel kernel, DotKernel.Loaded loaded, String method) {
        if (method.equals("approximate")) {
            FirstNeighbours.Approximate s =
                    FirstNeighbours.Approximate.forSize(loaded.rows().n(), seed);
            if (probes > 0) {
                s = new FirstNeighbours.Approximate(s.seed(), s.cells(), probes, s.trainingPerCell(), s.iterations());
            }
            return FirstNeighbours.approximate(kernel, loaded, threads, s, progress);
        }
        return FirstNeighbours.exactPruned(kernel, loaded, threads, seed, progress);
    }

    /**
     * The early-exit threshold: the largest d(i,j) * A(i,j) over the level-1 graph, where A is 2 for mutual first
     * neighbours and 1 for the other links (a point and its first neighbour; two points sharing a first neighbour).
     */
    private double levelOneMinSim(DotKernel kernel, UnitRows unit, Neighbours nb) {
        int[] k = nb.first();
        int n = k.length;
        double max = 0;
        for (int i = 0; i < n; i++) {
            double a = k[k[i]] == i ? 2 : 1;
            max = Math.max(max, nb.distance()[i] * a);
        }
        int[][] children = Components.children(k);
        DoubleAccumulator siblings = new DoubleAccumulator(Math::max, 0);
        Parallel.run(threads, n, Progress.NONE, h -> {
            int[] s = children[h];
            if (s == null || s.length < 2) {
                return;
            }
            double m = 0;
            for (int a = 0; a < s.length; a++) {
                for (int b = a + 1; b < s.length; b++) {
                    m = Math.max(m, unit.distance(s[a], s[b]));
                }
            }
            siblings.accumulate(m);
        });
        return Math.max(max, siblings.get());
    }

    private static Partitions build(int n, List<int[]> levels, List<Integer> counts) {
        return new Partitions(
                n,
                levels.toArray(new int[0][]),
                counts.stream().mapToInt(Integer::intValue).toArray(),
                false);
    }

    /** Builds a {@link Finch}; defaults: early exit on, all levels, AUTO search, all cores, seed 42. */
    public static final class Builder {
        private boolean earlyExit = true;
        private int maxLevels = Integer.MAX_VALUE;
        private NeighbourSearch search = NeighbourSearch.AUTO;
        private int threads = Runtime.getRuntime().availableProcessors();
        private long seed = 42;
        private int probes = 0;
        private Supplier<DotKernel> kernels = JavaDotKernel::new;
        private Listener listener = Listener.NONE;
        private Progress progress = Progress.NONE;

        public Builder earlyExit(boolean on) {
            this.earlyExit = on;
            return this;
        }

        /** Keep at most this many levels (the finest ones). */
        public Builder maxLevels(int levels) {
            if (levels < 1) {
                throw new IllegalArgumentException("levels must be >= 1, got " + levels);
            }
            this.maxLevels = levels;
            return this;
        }

        public Builder search(NeighbourSearch search) {
            this.search = java.util.Objects.requireNonNull(search, "search");
            return this;
        }

        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Seed of the approximate search (its cells are trained on a seeded sample). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Cells each point searches in the approximate mode (0 = default, 24). */
        public Builder probes(int probes) {
            if (probes < 0) {
                throw new IllegalArgumentException("probes must be >= 0, got " + probes);
            }
            this.probes = probes;
            return this;
        }

        /** Where the dot products run; default: plain Java ({@code hmn.finch.torch.Kernels::fastest} adds libtorch). */
        public Builder kernel(Supplier<DotKernel> kernels) {
            this.kernels = java.util.Objects.requireNonNull(kernels, "kernels");
            return this;
        }

        public Builder listener(Listener listener) {
            this.listener = java.util.Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder progress(Progress progress) {
            this.progress = java.util.Objects.requireNonNull(progress, "progress");
            return this;
        }

        public Finch build() {
            return new Finch(this);
        }
    }
}
