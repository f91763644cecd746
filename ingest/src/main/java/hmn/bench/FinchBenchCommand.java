package hmn.bench;

import hmn.cli.shared.ConsoleProgress;
import hmn.cli.shared.ExitCodes;
import hmn.cli.shared.FinchOptions;
import hmn.core.BadInputException;
import hmn.finch.DotKernel;
import hmn.finch.Finch;
import hmn.finch.FirstNeighbours;
import hmn.finch.GmmData;
import hmn.finch.Neighbours;
import hmn.finch.Partitions;
import hmn.finch.UnitRows;
import hmn.finch.torch.Kernels;
import hmn.io.FloatMatrix;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hmn bench finch}: FINCH on generated gmm-like data; time per level, total, and approximate recall. */
@Command(
        name = "finch",
        mixinStandardHelpOptions = true,
        description = "Benchmarks FINCH on generated data like the gmm fixtures (6 super-centres x 10 sub-centres),"
                + " printing time per level and in total, and for the approximate search its first-neighbour recall"
                + " against exact on a sample.")
public final class FinchBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--n", defaultValue = "25000", description = "Points. Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--dims", defaultValue = "384", description = "Dimensions. Default: ${DEFAULT-VALUE}.")
    int dims;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the data and the approximate search.")
    long seed;

    @Option(names = "--no-early-exit", description = "Turn off FINCH's early exit.")
    boolean noEarlyExit;

    @Option(names = "--approximate", description = "Approximate first neighbours (same as --neighbours approximate).")
    boolean approximate;

    @Option(
            names = "--neighbours",
            defaultValue = "auto",
            description = "exact, approximate or auto. Default: ${DEFAULT-VALUE}.")
    String neighbours;

    @Option(names = "--probes", defaultValue = "0", description = "Approximate search: cells per point (0 = default).")
    int probes;

    @Option(names = "--threads", description = "Worker threads. Default: all cores.")
    Integer threads;

    @Option(
            names = "--recall-sample",
            defaultValue = "1000",
            description = "Approximate search: rows checked against an exact search. Default: ${DEFAULT-VALUE}.")
    int recallSample;

    @Option(
            names = "--repeat",
            defaultValue = "1",
            description =
                    "Runs of FINCH in this process (the first includes JIT and engine warm-up). Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--java-kernel", description = "Use the plain-Java dot products instead of libtorch.")
    boolean javaKernel;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (n < 1 || dims < 1) {
            throw new BadInputException("--n and --dims must be >= 1, got " + n + " and " + dims);
        }
        String mode = approximate ? "approximate" : neighbours;
        out.printf(
                Locale.ROOT,
                "finch bench: n=%d dims=%d seed=%d early-exit=%s neighbours=%s cores=%d load=%.2f%n",
                n,
                dims,
                seed,
                !noEarlyExit,
                mode,
                Runtime.getRuntime().availableProcessors(),
                load());
        long g0 = System.nanoTime();
        FloatMatrix x = GmmData.generate(n, dims, seed);
        out.printf(Locale.ROOT, "generated in %.2f s%n", secs(System.nanoTime() - g0));
        long k0 = System.nanoTime();
        DotKernel kernel = javaKernel ? new hmn.finch.JavaDotKernel() : Kernels.fastest();
        out.printf(
                Locale.ROOT,
                "dot products: %s (engine start %.2f s)%s%n",
                kernel.name(),
                secs(System.nanoTime() - k0),
                Kernels.fallbackReason() != null && !javaKernel ? " fallback: " + Kernels.fallbackReason() : "");
        out.flush();
        Neighbours[] levelOne = new Neighbours[1];
        Finch finch = FinchOptions.finchBuilder(mode, null, threads, probes, seed, !noEarlyExit)
                .kernel(() -> new Shared(kernel))
                .progress(new ConsoleProgress())
                .listener(new Finch.Listener() {
                    @Override
                    public void level(Finch.LevelReport r) {
                        out.printf(
                                Locale.ROOT,
                                "level %d: %d rows -> %d clusters, %s, %.3f s%s%n",
                                r.level(),
                                r.rows(),
                                r.clusters(),
                                r.search(),
                                secs(r.nanos()),
                                r.kept() ? "" : " (dropped: stop rule)");
                        out.flush();
                    }

                    @Override
                    public void note(String message) {
                        err.println("hmn: " + message);
                    }

                    @Override
                    public void neighbours(int level, Neighbours nb) {
                        levelOne[0] = nb;
                    }
                })
                .build();
        Partitions p = null;
        for (int run = 1; run <= Math.max(1, repeat); run++) {
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            p = finch.cluster(x);
            long total = System.nanoTime() - t0;
            long cpu = cpuNanos() - cpu0;
            out.printf(
                    Locale.ROOT,
                    "run %d total: %.3f s wall, %.3f s CPU (all threads of this process), %d levels,"
                            + " clusters per level %s (load %.2f)%n",
                    run,
                    secs(total),
                    secs(cpu),
                    p.levels(),
                    java.util.Arrays.toString(p.counts()),
                    load());
            out.flush();
        }
        boolean approx = mode.equalsIgnoreCase("approximate") && n > Finch.APPROXIMATE_MIN_ROWS
                || mode.equalsIgnoreCase("auto") && n > Finch.AUTO_EXACT_LIMIT;
        if (approx) {
            UnitRows unit = UnitRows.ofFloats(n, dims, x.data());
            int th = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            try (DotKernel.Loaded loaded = kernel.load(unit)) {
                FirstNeighbours.Approximate s = FirstNeighbours.Approximate.forSize(n, seed);
                if (probes > 0) {
                    s = new FirstNeighbours.Approximate(seed, s.cells(), probes, s.trainingPerCell(), s.iterations());
                }
                Neighbours nb = levelOne[0];
                long r0 = System.nanoTime();
                double recall = FirstNeighbours.recall(kernel, loaded, nb, recallSample, seed, th);
                out.printf(
                        Locale.ROOT,
                        "level-1 first-neighbour recall vs exact: %.4f on %d sampled rows"
                                + " (cells %d, probes %d; checked in %.1f s)%n",
                        recall,
                        Math.min(recallSample, n),
                        s.cells(),
                        s.probes(),
                        secs(System.nanoTime() - r0));
            }
        }
        out.println("reference (finch-clust 0.2.1, Python, 2 cores, OpenBLAS; quoted, it cannot be installed here):"
                + " 25,000 x 384: 7.1-14.0 s with early exit (median 8.4 s), 3.8 s without;"
                + " 100,000 x 384 exact: 114 s with early exit, 56 s without.");
        out.flush();
        kernel.close();
        return ExitCodes.OK;
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The bench's kernel, started once (so engine start is reported apart), and not closed by each run. */
    private record Shared(DotKernel inner) implements DotKernel {
        @Override
        public Loaded load(UnitRows rows) {
            return inner.load(rows);
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public void close() {}

        @Override
        public void nearest(
                Loaded q,
                hmn.finch.Selection qs,
                Loaded c,
                hmn.finch.Selection cs,
                int selfShift,
                Nearest rows,
                Nearest cols) {
            inner.nearest(q, qs, c, cs, selfShift, rows, cols);
        }

        @Override
        public double[] distances(Loaded q, hmn.finch.Selection qs, Loaded c, hmn.finch.Selection cs) {
            return inner.distances(q, qs, c, cs);
        }
    }
}
