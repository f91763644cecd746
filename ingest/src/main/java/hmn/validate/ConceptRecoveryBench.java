package hmn.validate;

import static hmn.validity.GroupStatistics.median;

import hmn.activations.ActivationStage;
import hmn.core.BadInputException;
import hmn.demo.ConceptSceneSet;
import hmn.demo.ConceptScenes;
import hmn.format.ConceptsFile;
import hmn.graph.GraphImport;
import hmn.graph.ImportOptions;
import hmn.group.GroupConfig;
import hmn.group.Hierarchy;
import hmn.group.LayerGroups;
import hmn.group.Mode;
import hmn.group.Rank;
import hmn.images.CollectionFiles;
import hmn.io.FileTrees;
import hmn.io.FloatMatrix;
import hmn.labels.ExtractiveLabeller;
import hmn.language.options.BlipOptions;
import hmn.language.options.LanguageOptions;
import hmn.pipeline.Pipeline;
import hmn.pipeline.WorkDir;
import hmn.plugin.GraphSnapshot;
import hmn.plugin.Snapshots;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.Tensor;
import hmn.runtime.weights.WeightsSource;
import hmn.server.Store;
import hmn.validity.AblationEffects;
import hmn.validity.Auc;
import hmn.validity.LinearAblation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.neo4j.graphdb.Transaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hmn bench validity}: does the method recover concepts a model is known to have? Draws a held-out set of
 * concept scenes (a seed never used for training), ingests it with its true captions for the trained
 * {@code scenes-resnet18} and for the same architecture with seeded random weights, and measures per concept c, for
 * {@code rank} raw (the paper's) and zscore: the concept-selective layer4 neurons S_c (AUC >= 0.8 of the pooled
 * activation for images with c against images without), the enrichment of S_c in the groups of concept clusters
 * (>= 90% of their images show c, c's base rate <= 50%), the share of S_c in the difference sets of children that gain
 * c over their parent, and the drop of logit c when a concept cluster's group is mean-ablated, with z against random
 * sets of the same size.
 */
@Command(
        name = "validity",
        mixinStandardHelpOptions = true,
        description = "Concept recovery on held-out concept scenes: the trained scenes-resnet18 against random weights,"
                + " ranks raw and zscore.")
public final class ConceptRecoveryBench implements Callable<Integer> {
    static final double SELECTIVE_AUC = 0.8;

    @Spec
    CommandSpec spec;

    @Option(names = "--images", defaultValue = "2000", description = "Held-out scenes (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(
            names = "--seed",
            defaultValue = "3",
            description = "Their seed; training used 1 and 2 (default:" + " ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--random-weights",
            defaultValue = "7",
            paramLabel = "SEED",
            description = "Seed of the random weights compared (default: ${DEFAULT-VALUE}).")
    long randomSeed;

    @Option(
            names = "--images-per-cluster",
            defaultValue = "64",
            paramLabel = "M",
            description = "Images per concept cluster for the ablation (default: ${DEFAULT-VALUE}).")
    int imagesPerCluster;

    @Option(
            names = "--random-sets",
            defaultValue = "20",
            paramLabel = "R",
            description = "Random sets per ablation (default: ${DEFAULT-VALUE}).")
    int randomSets;

    @Option(
            names = "--work",
            paramLabel = "DIR",
            description = "Where the scenes and graphs go (default: a temporary" + " directory, deleted at the end).")
    Path work;

    @Option(
            names = "--collection",
            paramLabel = "DIR",
            description = "Measure on these images instead of drawn scenes (with --concepts and --captions).")
    Path collection;

    @Option(
            names = "--concepts",
            paramLabel = "FILE",
            description = "The collection's concepts: CSV image,concepts, concepts separated by ';'.")
    Path conceptsFile;

    @Option(names = "--captions", paramLabel = "FILE", description = "The collection's captions (image,caption).")
    Path captionsFile;

    @Override
    public Integer call() throws Exception {
        if (images < 100) {
            throw new BadInputException("--images must be >= 100, got " + images);
        }
        if (collection != null && (conceptsFile == null || captionsFile == null)) {
            throw new BadInputException(
                    "--collection needs --concepts FILE (image,concepts) and --captions FILE" + " (image,caption)");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dir = work != null ? work : Files.createTempDirectory("hmn-bench-validity");
        try {
            Path scenes = collection != null ? collection : dir.resolve("scenes");
            Path captions = collection != null ? captionsFile : scenes.resolve(ConceptSceneSet.TRUE_CAPTIONS);
            long t = System.nanoTime();
            Map<String, List<String>> concepts = new HashMap<>();
            if (collection != null) {
                concepts.putAll(ConceptsFile.read(
                        conceptsFile,
                        new java.util.HashSet<>(CollectionFiles.ids(collection)),
                        ConceptScenes.CONCEPTS));
                images = concepts.size();
            } else {
                ConceptSceneSet.write(scenes, images, seed, 128).forEach(s -> concepts.put(s.name(), s.concepts()));
            }
            out.printf(
                    Locale.ROOT,
                    "%d held-out scenes (seed %d) in %.1f s%n",
                    images,
                    seed,
                    (System.nanoTime() - t) / 1e9);
            for (boolean trained : new boolean[] {true, false}) {
                Path db = dir.resolve(trained ? "db-trained" : "db-random");
                t = System.nanoTime();
                ingest(scenes, captions, db, trained ? null : randomSeed);
                out.printf(
                        Locale.ROOT,
                        "%nweights: %s (ingest %.1f s)%n",
                        trained ? "trained scenes-resnet18" : "random (seed " + randomSeed + ")",
                        (System.nanoTime() - t) / 1e9);
                ModelSpec model = ModelCatalogue.get("scenes-resnet18");
                Map<String, Tensor> weights = trained
                        ? WeightsSource.builder()
                                .progress(false)
                                .build()
                                .published(model)
                                .tensors()
                        : WeightsSource.random(ResNetArchitecture.of(model), randomSeed)
                                .tensors();
                Tensor fc = weights.get("fc.weight");
                FloatMatrix w = new FloatMatrix((int) fc.shape()[0], (int) fc.shape()[1], fc.data());
                try (Store store = Store.open(db);
                        Transaction tx = store.db().beginTx()) {
                    GraphSnapshot snapshot = Snapshots.of(store.db(), tx);
                    for (Rank rank : Rank.values()) {
                        report(
                                out,
                                snapshot,
                                concepts,
                                rank,
                                w,
                                weights.get("fc.bias").data());
                    }
                }
            }
        } finally {
            if (work == null) {
                FileTrees.delete(dir);
            }
        }
        return 0;
    }

    /** The ingest pipeline on the scenes with their true captions: scenes-resnet18's layer4, trained or random. */
    private static void ingest(Path scenes, Path captions, Path db, Long randomWeights) throws Exception {
        LanguageOptions language = new LanguageOptions();
        language.noProgress = true;
        language.noCache = true;
        ActivationStage activations = ActivationStage.builder()
                .model("scenes-resnet18")
                .layers(List.of("layer4"))
                .randomSeed(randomWeights)
                .progress(false)
                .build();
        Pipeline.Settings settings = new Pipeline.Settings(
                hmn.images.ImageSource.folder(scenes),
                WorkDir.besideStore(db),
                captions,
                null,
                null,
                null,
                "blip",
                "minilm",
                true,
                activations,
                language,
                new BlipOptions(),
                null,
                false);
        Pipeline.Artifacts artifacts = new Pipeline(settings).run();
        GraphImport.run(
                new GraphImport.Inputs(
                        scenes,
                        artifacts.captions(),
                        artifacts.partitions(),
                        artifacts.activations(),
                        List.of("layer4"),
                        null),
                new ImportOptions(GroupConfig.DEFAULTS, true, "scenes-resnet18", artifacts.captionModel()),
                ExtractiveLabeller.builder().build(),
                db);
    }

    /** One concept's figures under one (weights, rank). */
    record ConceptRow(
            String concept,
            int selective,
            int conceptClusters,
            Double enrichment,
            int gains,
            Double differenceShare,
            Double logitDrop,
            Double z) {}

    private void report(
            PrintWriter out,
            GraphSnapshot snapshot,
            Map<String, List<String>> concepts,
            Rank rank,
            FloatMatrix weight,
            float[] bias) {
        Hierarchy h = snapshot.hierarchy();
        GraphSnapshot.Layer layer4 = snapshot.layer("layer4");
        int n = layer4.activations().rows();
        int channels = layer4.channels();
        FloatMatrix pooled = new FloatMatrix(n, channels, layer4.activations().values());
        GroupConfig config =
                new GroupConfig(null, GroupConfig.DEFAULT_TOP, GroupConfig.DEFAULT_SUPPORT, Mode.INTERSECTION, rank);
        LayerGroups groups = snapshot.groups(layer4, config);
        LinearAblation ablation = new LinearAblation(weight, bias, LinearAblation.columnMeans(pooled));
        List<ConceptRow> rows = new ArrayList<>();
        for (int c = 0; c < ConceptScenes.CONCEPTS.size(); c++) {
            String concept = ConceptScenes.CONCEPTS.get(c);
            boolean[] has = new boolean[n];
            int count = 0;
            for (int r = 0; r < n; r++) {
                has[r] = concepts.getOrDefault(snapshot.imageId(r), List.of()).contains(concept);
                count += has[r] ? 1 : 0;
            }
            double baseRate = count / (double) n;
            boolean[] selective = new boolean[channels];
            int selectiveCount = 0;
            for (int j = 0; j < channels; j++) {
                double[] scores = new double[n];
                for (int r = 0; r < n; r++) {
                    scores[r] = pooled.get(r, j);
                }
                selective[j] = Auc.of(scores, has) >= SELECTIVE_AUC;
                selectiveCount += selective[j] ? 1 : 0;
            }
            List<Double> enrichments = new ArrayList<>();
            List<Double> drops = new ArrayList<>();
            List<Double> zs = new ArrayList<>();
            List<Double> shares = new ArrayList<>();
            int conceptClusters = 0;
            int gains = 0;
            for (int k = 0; k < h.size(); k++) {
                int[] rowsOfK = h.rows(k);
                if (rowsOfK.length < 2) {
                    continue;
                }
                double inside = fraction(rowsOfK, has);
                if (inside >= 0.9 && baseRate <= 0.5) {
                    conceptClusters++;
                    int[] group = groups.group(k);
                    Double e = enrichment(group, selective);
                    if (e != null) {
                        enrichments.add(e);
                    }
                    if (group.length > 0) {
                        double[] dropAndZ = logitDrop(ablation, pooled, rowsOfK, group, c, k);
                        drops.add(dropAndZ[0]);
                        if (!Double.isNaN(dropAndZ[1])) {
                            zs.add(dropAndZ[1]);
                        }
                    }
                }
                int parent = h.parent(k);
                if (parent >= 0 && inside >= 0.9) {
                    int[] parentRows = h.rows(parent);
                    int[] others = Arrays.stream(parentRows)
                            .filter(r -> Arrays.binarySearch(rowsOfK, r) < 0)
                            .toArray();
                    if (others.length > 0 && fraction(others, has) <= 0.5) {
                        gains++;
                        int[] difference = groups.difference(k);
                        if (difference.length > 0) {
                            shares.add(Arrays.stream(difference)
                                            .filter(j -> selective[j])
                                            .count()
                                    / (double) difference.length);
                        }
                    }
                }
            }
            rows.add(new ConceptRow(
                    concept,
                    selectiveCount,
                    conceptClusters,
                    median(enrichments),
                    gains,
                    median(shares),
                    median(drops),
                    median(zs)));
        }
        out.printf(
                Locale.ROOT,
                "rank %s%n  %-11s %6s %9s %10s %6s %10s %10s %9s%n",
                rank.key(),
                "concept",
                "|S_c|",
                "clusters",
                "enrichment",
                "gains",
                "diff in S",
                "logit drop",
                "ablation z");
        for (ConceptRow r : rows) {
            out.printf(
                    Locale.ROOT,
                    "  %-11s %6d %9d %10s %6d %10s %10s %9s%n",
                    r.concept(),
                    r.selective(),
                    r.conceptClusters(),
                    f(r.enrichment()),
                    r.gains(),
                    f(r.differenceShare()),
                    f(r.logitDrop()),
                    f(r.z()));
        }
        out.printf(
                Locale.ROOT,
                "  %-11s %6s %9s %10s %6s %10s %10s %9s%n",
                "median",
                "",
                "",
                f(median(rows.stream().map(ConceptRow::enrichment).toList())),
                "",
                f(median(rows.stream().map(ConceptRow::differenceShare).toList())),
                f(median(rows.stream().map(ConceptRow::logitDrop).toList())),
                f(median(rows.stream().map(ConceptRow::z).toList())));
        out.flush();
    }

    /**
     * The drop of logit c (mean over the cluster's first M images) when the group is mean-ablated, and its z against
     * R random sets of the same size.
     */
    private double[] logitDrop(LinearAblation ablation, FloatMatrix pooled, int[] rows, int[] group, int c, int k) {
        int[] first = Arrays.copyOf(rows, Math.min(rows.length, imagesPerCluster));
        double drop = ablation.meanOutputChange(pooled, first, group, c);
        SplittableRandom random = new SplittableRandom(seed * 31 + k);
        double[] baseline = new double[randomSets];
        for (int s = 0; s < randomSets; s++) {
            baseline[s] = ablation.meanOutputChange(
                    pooled, first, AblationEffects.randomSet(random, pooled.cols(), group.length), c);
        }
        Double z = AblationEffects.zScore(drop, baseline);
        return new double[] {drop, z == null ? Double.NaN : z};
    }

    /**
     * (|G ∩ S_c| / |G|) / (|S_c| / C): how much more often the group's neurons are concept-selective than the
     * layer's neurons are; null when the group or S_c is empty.
     */
    static Double enrichment(int[] group, boolean[] selective) {
        long inS = 0;
        for (boolean b : selective) {
            inS += b ? 1 : 0;
        }
        if (group.length == 0 || inS == 0) {
            return null;
        }
        long hits = Arrays.stream(group).filter(j -> selective[j]).count();
        return (hits / (double) group.length) / (inS / (double) selective.length);
    }

    private static double fraction(int[] rows, boolean[] has) {
        int count = 0;
        for (int r : rows) {
            count += has[r] ? 1 : 0;
        }
        return count / (double) rows.length;
    }

    private static String f(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
