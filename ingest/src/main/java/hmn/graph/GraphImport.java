package hmn.graph;

import hmn.artifacts.Activations;
import hmn.artifacts.ArtifactSet;
import hmn.artifacts.Artifacts;
import hmn.format.Captions;
import hmn.format.CaptionsFile;
import hmn.format.Partitions;
import hmn.format.PartitionsFile;
import hmn.group.Hierarchy;
import hmn.io.FileTrees;
import hmn.labelling.Labelling;
import hmn.labels.Labeller;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The import path: read and check every artifact, build the hierarchy and its labels, write a complete new store in
 * a fresh directory and only then swap it into place. Bad input ends before any store is touched.
 */
public final class GraphImport {
    private GraphImport() {}

    /**
     * What to import.
     *
     * @param images IMAGES_DIR
     * @param captions captions file (CSV or JSON Lines)
     * @param partitions partition CSV
     * @param activations activations directory
     * @param layers layers to import (empty = all in the directory)
     * @param levels how many partition levels to keep (null = all)
     * @param excluded images left out of the graph's analysis although the activations hold them (a later stage
     *     skipped them), with the reason; they become skipped Image nodes
     */
    public record Inputs(
            Path images,
            Path captions,
            Path partitions,
            Path activations,
            List<String> layers,
            Integer levels,
            Map<String, String> excluded) {
        public Inputs {
            excluded = Map.copyOf(excluded);
        }

        public Inputs(
                Path images, Path captions, Path partitions, Path activations, List<String> layers, Integer levels) {
            this(images, captions, partitions, activations, layers, levels, Map.of());
        }

        /** The same inputs, leaving {@code images} (with their reasons) out of the analysis. */
        public Inputs excluding(Map<String, String> images) {
            return new Inputs(this.images, captions, partitions, activations, layers, levels, images);
        }
    }

    /** What an import did. */
    public record Result(
            Path store, GraphWriter.Summary summary, long readMillis, long labelMillis, long totalMillis) {}

    /** Reads and checks every input; touches no store. */
    public static ArtifactSet load(Inputs in) {
        if (in.images() != null) { // null: a collection on a Hadoop file system, listed by the pipeline
            Artifacts.requireReadableDirectory(in.images(), "IMAGES_DIR");
        }
        Captions captions = CaptionsFile.read(in.captions());
        Partitions partitions = PartitionsFile.read(in.partitions());
        if (in.levels() != null) {
            partitions = partitions.firstLevels(in.levels());
        }
        Activations activations = Activations.read(in.activations(), in.layers())
                .without(in.excluded().keySet());
        return ArtifactSet.align(captions, partitions, activations);
    }

    /** Reads, checks, labels and writes; replaces {@code target} only when the new store is complete. */
    public static Result run(Inputs in, ImportOptions options, Labeller labeller, Path target) throws IOException {
        long t0 = System.nanoTime();
        StoreSwap.recover(target);
        StoreSwap.requireReplaceable(target, "--db");
        ArtifactSet set = load(in);
        long t1 = System.nanoTime();
        Hierarchy hierarchy = Hierarchy.ofPartition(set.labels(), options.syntheticRoot());
        Labelling labelling = Labelling.of(hierarchy, set.captions(), labeller);
        long t2 = System.nanoTime();
        Path fresh = StoreSwap.freshSibling(target);
        GraphWriter.Summary summary;
        try {
            summary = new GraphWriter(set, hierarchy, labelling, options, in.excluded()).write(fresh);
            writeMarker(fresh, summary, options);
            StoreSwap.requireReplaceable(target, "--db");
            StoreSwap.swap(fresh, target);
        } catch (IOException | RuntimeException | Error e) {
            FileTrees.delete(fresh);
            throw e;
        }
        long t3 = System.nanoTime();
        return new Result(target, summary, ms(t1 - t0), ms(t2 - t1), ms(t3 - t0));
    }

    private static void writeMarker(Path home, GraphWriter.Summary summary, ImportOptions options) throws IOException {
        try (Writer w = Files.newBufferedWriter(home.resolve(StoreSwap.MARKER))) {
            w.write("# an hmn graph store: open it with 'hmn cypher --db DIR' or 'hmn serve --db DIR'\n");
            w.write("generation=" + summary.generation() + "\n");
            w.write("images=" + summary.images() + "\n");
            w.write("clusters=" + summary.clusters() + "\n");
            w.write("top=" + options.groups().top() + "\n");
            w.write("support=" + options.groups().support() + "\n");
            w.write("mode=" + options.groups().mode().key() + "\n");
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
