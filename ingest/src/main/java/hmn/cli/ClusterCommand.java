package hmn.cli;

import hmn.cli.shared.ConsoleProgress;
import hmn.cli.shared.FinchOptions;
import hmn.finch.EmbeddingsFile;
import hmn.finch.Finch;
import hmn.finch.Partitions;
import hmn.finch.PartitionsCsv;
import hmn.finch.torch.Kernels;
import hmn.io.FloatMatrix;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hmn cluster}: FINCH on an embeddings file, partitions to CSV. */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Clusters embeddings hierarchically with FINCH (cosine distance) and writes the partitions as CSV"
                + " (header point,level_1,...,level_L; level 1 is the finest).")
public final class ClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--embeddings",
            required = true,
            paramLabel = "FILE",
            description = "Input matrix, N x D: .npy (float32 or float64, C order) or .csv (no header).")
    Path embeddings;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output CSV of partitions.")
    Path out;

    @Option(names = "--no-early-exit", description = "Turn off FINCH's early exit (edge pruning above level 1).")
    boolean noEarlyExit;

    @Option(names = "--levels", paramLabel = "N", description = "Keep at most N levels (the finest). Default: all.")
    Integer levels;

    @Option(
            names = "--neighbours",
            paramLabel = "MODE",
            defaultValue = "auto",
            description = "First-neighbour search: exact, approximate (seeded, deterministic) or auto (exact up to "
                    + Finch.AUTO_EXACT_LIMIT + " rows). Default: ${DEFAULT-VALUE}.")
    String neighbours;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of the approximate search. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--probes",
            defaultValue = "0",
            description =
                    "Approximate search: cells searched per point (0 = default, 24). More is slower and more exact.")
    int probes;

    @Option(names = "--threads", description = "Worker threads. Default: all cores. Results do not depend on it.")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Finch finch = configure(
                        FinchOptions.finchBuilder(neighbours, levels, threads, probes, seed, !noEarlyExit), stderr)
                .build();
        FloatMatrix x = EmbeddingsFile.read(embeddings);
        Partitions p = finch.cluster(x);
        if (Kernels.fallbackReason() != null) {
            stderr.println("hmn: libtorch did not load (" + Kernels.fallbackReason()
                    + "); clustered with plain-Java dot products (same partitions, slower)");
        }
        PartitionsCsv.write(out, p);
        int[] counts = p.counts();
        for (int l = 0; l < counts.length; l++) {
            stdout.println("level " + (l + 1) + ": " + counts[l] + " clusters");
        }
        stdout.println("wrote " + out + " (" + p.points() + " points, " + p.levels() + " levels)");
        stdout.flush();
        return Hmn.OK;
    }

    static Finch.Builder configure(Finch.Builder b, PrintWriter stderr) {
        return b.progress(new ConsoleProgress()).listener(new Finch.Listener() {
            @Override
            public void note(String message) {
                stderr.println("hmn: " + message);
                stderr.flush();
            }
        });
    }
}
