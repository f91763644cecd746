package hmn.cli;

import hmn.graph.GraphImport;
import hmn.graph.ImportOptions;
import hmn.label.ExtractiveLabeller;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hmn ingest}: builds the graph of an image collection from its captions, partition and activations. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Builds the hmn graph in an embedded Neo4j store: images, captions, the cluster hierarchy with its labels,"
                    + " neurons and activations, with the shared neuron groups and difference sets materialised.",
            "Every input is checked before the store is touched; the new store is built next to --db and swapped in"
                    + " only when complete."
        })
public final class IngestCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGES_DIR", description = "The image collection; image paths in the"
            + " artifacts are relative to it, with '/' separators.")
    Path images;

    @Option(names = "--db", required = true, paramLabel = "DIR", description = "The store directory (created or"
            + " replaced).")
    Path db;

    @Option(names = "--captions", paramLabel = "FILE", description = "Image captions: CSV 'image,caption' or JSON"
            + " Lines {\"image\":...,\"caption\":...}.")
    Path captions;

    @Option(names = "--partitions", paramLabel = "FILE", description = "Nested partition: CSV"
            + " 'image,level_1,...,level_L'.")
    Path partitions;

    @Option(names = "--activations", paramLabel = "DIR", description = "Directory with images.txt and one"
            + " <layer>.npy (N x C float32) per layer.")
    Path activations;

    @Option(names = "--layers", split = ",", paramLabel = "LAYER", description = "Layers to import (default: every"
            + " .npy in --activations).")
    List<String> layers = List.of();

    @Option(names = "--top", paramLabel = "FRACTION", defaultValue = "0.10", description = "Fraction of a layer's"
            + " channels in an image's activated set, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double top;

    @Option(names = "--support", paramLabel = "FRACTION", defaultValue = "0.5", description = "Fraction of a"
            + " cluster's images that must activate a neuron for its group, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double support;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "intersection", description = "Groups above level"
            + " 1: intersection (of the children's groups, the paper's) or support (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--levels", paramLabel = "N", description = "Keep only the first N partition levels.")
    Integer levels;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "resnet18", description = "The model the"
            + " activations come from (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--synthetic-root", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Add a synthetic root level (one cluster, marked synthetic) when the top level has more"
                    + " than one cluster (default: on; --no-synthetic-root turns it off).")
    boolean syntheticRoot;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ImportOptions options = options(top, support, mode, syntheticRoot, model,
                captions == null ? "import" : captions.getFileName().toString());
        GraphImport.Inputs inputs = inputs(images, captions, partitions, activations, layers, levels);
        GraphImport.Result result = GraphImport.run(inputs, options,
                ExtractiveLabeller.builder().build(), db);
        printSummary(out, result);
        return Hmn.OK;
    }

    static GraphImport.Inputs inputs(Path images, Path captions, Path partitions, Path activations,
            List<String> layers, Integer levels) {
        if (captions == null) {
            throw new BadInputException("--captions FILE is required: give the image captions (CSV image,caption"
                    + " or JSON Lines)");
        }
        if (partitions == null) {
            throw new BadInputException("--partitions FILE is required: give the nested partition (CSV"
                    + " image,level_1,...,level_L)");
        }
        if (activations == null) {
            throw new BadInputException("--activations DIR is required: give the directory with images.txt and"
                    + " <layer>.npy files");
        }
        if (levels != null && levels < 1) {
            throw new BadInputException("--levels must be at least 1, got " + levels);
        }
        return new GraphImport.Inputs(images, captions, partitions, activations, layers, levels);
    }

    static ImportOptions options(double top, double support, String mode, boolean syntheticRoot, String model,
            String captionSource) {
        if (!(top > 0 && top <= 1)) {
            throw new BadInputException("--top must be in (0, 1], got " + top);
        }
        if (!(support > 0 && support <= 1)) {
            throw new BadInputException("--support must be in (0, 1], got " + support);
        }
        String m = mode.toLowerCase(Locale.ROOT);
        if (!m.equals("intersection") && !m.equals("support")) {
            throw new BadInputException("--mode must be one of [intersection, support], got '" + mode + "'");
        }
        return new ImportOptions(top, support, m, syntheticRoot, model, captionSource);
    }

    static void printSummary(PrintWriter out, GraphImport.Result r) {
        var s = r.summary();
        out.printf(Locale.ROOT, "ingested %,d images into %s (generation %s)%n", s.images(), r.store(),
                s.generation());
        out.printf(Locale.ROOT, "  levels %d, clusters %,d, neurons %,d, ACTIVATES %,d, CONTAINS %,d, captions %,d%n",
                s.levels(), s.clusters(), s.neurons(), s.activates(), s.contains(), s.captions());
        if (!s.materialize().isEmpty()) {
            out.println("  materialised: " + new java.util.TreeMap<>(s.materialize()));
        }
        out.printf(Locale.ROOT, "  time: read+check %.1f s, label %.1f s, write %.1f s, schema %.1f s,"
                        + " materialise %.1f s, difference labels %.1f s, total %.1f s%n",
                r.readMillis() / 1e3, r.labelMillis() / 1e3, s.writeMillis() / 1e3, s.schemaMillis() / 1e3,
                s.materializeMillis() / 1e3, s.labelMillis() / 1e3, r.totalMillis() / 1e3);
        out.flush();
    }
}
