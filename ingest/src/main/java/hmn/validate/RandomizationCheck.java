package hmn.validate;

import hmn.activations.ActivationStage;
import hmn.core.BadInputException;
import hmn.group.GroupConfig;
import hmn.group.Hierarchy;
import hmn.group.LayerActivations;
import hmn.group.LayerGroups;
import hmn.group.SupportCounts;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.plugin.GraphSnapshot;
import hmn.runtime.ModelSpec;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.Tensor;
import hmn.runtime.weights.WeightsSource;
import hmn.validity.GroupAblation;
import hmn.validity.GroupStatistics;
import hmn.validity.LinearAblation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sanity check of Adebayo et al. for neuron groups: the same images and captions, the same architecture with
 * seeded random weights. An explanation that does not change when the weights are randomised explains nothing, so
 * per level it measures how far the groups move (mean Jaccard of each cluster's group with its trained group), and
 * how median lift and median ablation z compare. The random weights' activations are computed once into the work
 * directory ({@code randomization-SEED-LAYERS/}, all the run's layers at once) and reused by a rerun.
 */
final class RandomizationCheck {
    private RandomizationCheck() {}

    /** The ablation effects of the layer for given weights, their pooled activations and the replacement values. */
    interface EffectsFactory {
        ModelUnderTest.Effects create(Map<String, Tensor> weights, FloatMatrix pooled, float[] replacement);
    }

    /** One level's figures. */
    record Level(
            int level,
            int clusters,
            double jaccard,
            Double trainedLift,
            Double randomLift,
            Double trainedZ,
            Double randomZ) {}

    /**
     * Runs the check for {@code layer} (one of {@code checkedLayers}, whose random-weight activations are computed
     * together on the first call and reused by the others) and returns the table rows, level by level.
     *
     * @param images the collection, already checked unchanged since ingest ({@link ModelUnderTest#requireImagesUnmoved})
     * @param trained each checked cluster's figures with the trained weights (median lift, ablation z)
     */
    static List<Level> run(
            GraphSnapshot snapshot,
            GraphSnapshot.Layer layer,
            List<String> checkedLayers,
            GroupConfig config,
            ModelSpec model,
            long seed,
            Path images,
            Path work,
            List<Integer> clusters,
            Map<Integer, ValidateCommand.Row> trained,
            int imagesPerCluster,
            int randomSets,
            long ablationSeed,
            boolean zeroAblation,
            EffectsFactory ablations,
            boolean progress) {
        Hierarchy h = snapshot.hierarchy();
        List<String> ids = new ArrayList<>();
        for (int r = 0; r < h.imageCount(); r++) {
            ids.add(snapshot.imageId(r));
        }
        // every layer the run checks, in one pass over the images; a directory per seed and layer set
        List<String> computed = checkedLayers.stream().sorted().distinct().toList();
        Path out = work.resolve("randomization-" + seed + "-" + String.join("+", computed));
        ActivationStage.builder()
                .model(model.name())
                .layers(computed)
                .randomSeed(seed)
                .progress(progress)
                .build()
                .run(images, ids, out);
        FloatMatrix random = aligned(out, layer.name(), ids, layer.channels());
        LayerActivations activations = new LayerActivations(layer.name(), layer.channels(), ids.size(), random.data());
        long[] activated = config.activatedSets(activations);
        SupportCounts counts = SupportCounts.compute(h, activated, layer.channels());
        LayerGroups randomGroups = LayerGroups.compute(counts, config.support(), config.mode());
        int[] randomCollection = GroupStatistics.collectionCounts(activated, ids.size(), layer.channels());
        LayerGroups trainedGroups = snapshot.groups(layer, config);
        Map<String, Tensor> weights =
                WeightsSource.random(ResNetArchitecture.of(model), seed).tensors();
        float[] replacement = zeroAblation ? new float[layer.channels()] : LinearAblation.columnMeans(random);
        Map<Integer, List<double[]>> byLevel = new TreeMap<>();
        try (ModelUnderTest.Effects ablation = ablations.create(weights, random, replacement)) {
            for (int c : clusters) {
                int[] randomGroup = randomGroups.group(c);
                Double randomLift = GroupStatistics.medianLift(
                        GroupStatistics.neurons(counts.row(c), h.imageCount(c), randomCollection, h.imageCount()),
                        randomGroup);
                Double randomZ = GroupAblation.of(
                                h,
                                randomGroups,
                                random.rows(),
                                ablation.effects(),
                                c,
                                imagesPerCluster,
                                randomSets,
                                ablationSeed)
                        .group()
                        .z();
                byLevel.computeIfAbsent(h.level(c), k -> new ArrayList<>()).add(new double[] {
                    GroupStatistics.jaccard(trainedGroups.group(c), randomGroup),
                    orNaN(trained.get(c).medianLift()),
                    orNaN(randomLift),
                    orNaN(trained.get(c).z()),
                    orNaN(randomZ)
                });
            }
        }
        List<Level> levels = new ArrayList<>();
        byLevel.forEach((level, rows) -> levels.add(new Level(
                level,
                rows.size(),
                rows.stream().mapToDouble(r -> r[0]).average().orElse(Double.NaN),
                median(rows, 1),
                median(rows, 2),
                median(rows, 3),
                median(rows, 4))));
        return levels;
    }

    /** The stage's output, rows in the graph's row order. */
    private static FloatMatrix aligned(Path dir, String layer, List<String> ids, int channels) {
        try {
            List<String> order = Files.readAllLines(dir.resolve("images.txt"), StandardCharsets.UTF_8);
            FloatMatrix m = Npy.read(dir.resolve(layer + ".npy"));
            Map<String, Integer> rowOf = new HashMap<>();
            for (int r = 0; r < order.size(); r++) {
                rowOf.put(order.get(r), r);
            }
            float[] out = new float[ids.size() * channels];
            for (int r = 0; r < ids.size(); r++) {
                Integer row = rowOf.get(ids.get(r));
                if (row == null) {
                    throw new BadInputException("--images: " + ids.get(r) + " could not be read with the random"
                            + " weights (see " + dir.resolve("skipped.tsv") + ")");
                }
                System.arraycopy(m.data(), row * channels, out, r * channels, channels);
            }
            return new FloatMatrix(ids.size(), channels, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    private static Double median(List<double[]> rows, int column) {
        return GroupStatistics.median(rows.stream().map(r -> r[column]).toList());
    }

    /** Prints the table and stores it on the Model node (one array per figure, level by level). */
    static void report(PrintWriter out, org.neo4j.graphdb.Node model, String layer, long seed, List<Level> levels) {
        out.printf(
                Locale.ROOT,
                "%nrandomization check, %s, random weights seed %d:%n%5s %8s %8s %12s %12s %9s %9s%n",
                layer,
                seed,
                "level",
                "clusters",
                "jaccard",
                "lift trained",
                "lift random",
                "z trained",
                "z random");
        for (Level l : levels) {
            out.printf(
                    Locale.ROOT,
                    "%5d %8d %8.2f %12s %12s %9s %9s%n",
                    l.level(),
                    l.clusters(),
                    l.jaccard(),
                    f(l.trainedLift()),
                    f(l.randomLift()),
                    f(l.trainedZ()),
                    f(l.randomZ()));
        }
        out.flush();
        String prefix = "randomization_" + layer + "_";
        model.setProperty(prefix + "seed", seed);
        model.setProperty(
                prefix + "levels", levels.stream().mapToLong(Level::level).toArray());
        model.setProperty(
                prefix + "jaccard", levels.stream().mapToDouble(Level::jaccard).toArray());
        model.setProperty(prefix + "liftTrained", array(levels, Level::trainedLift));
        model.setProperty(prefix + "liftRandom", array(levels, Level::randomLift));
        model.setProperty(prefix + "zTrained", array(levels, Level::trainedZ));
        model.setProperty(prefix + "zRandom", array(levels, Level::randomZ));
    }

    private static double[] array(List<Level> levels, java.util.function.Function<Level, Double> figure) {
        return levels.stream()
                .mapToDouble(l -> figure.apply(l) == null ? Double.NaN : figure.apply(l))
                .toArray();
    }

    private static String f(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
