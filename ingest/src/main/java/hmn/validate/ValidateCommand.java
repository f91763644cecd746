package hmn.validate;

import static hmn.validity.GroupStatistics.median;

import hmn.cli.shared.ExistingStoreOption;
import hmn.core.BadInputException;
import hmn.group.GroupConfig;
import hmn.group.Hierarchy;
import hmn.group.LayerGroups;
import hmn.io.FloatMatrix;
import hmn.plugin.GraphSnapshot;
import hmn.plugin.Snapshots;
import hmn.progress.ProgressBars;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.onnx.MaskedOnnxModel;
import hmn.runtime.onnx.SplitResNet;
import hmn.schema.Schema;
import hmn.server.Store;
import hmn.validity.AblationEffects;
import hmn.validity.GroupAblation;
import hmn.validity.GroupStatistics;
import hmn.validity.LinearAblation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ProgressBar;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hmn validate}: does the model use the groups? Ablates each selected cluster's neuron group and difference
 * set in the model recorded for the graph (DESIGN.md, "Validity") and stores effect, z and specificity on the Cluster
 * and DifferenceSet nodes, where {@code hmn.cluster.validity} reads them; ends with a table per level.
 *
 * <p>The ablation is exact and needs no forward pass for layers that the output reads linearly (the catalogue
 * ResNets' layer4: logits = fc(avgpool(layer4))); it uses the activations stored in the graph and the model's fc
 * weights, which must be the ones recorded on the Model node. An earlier stage of a catalogue ResNet is ablated by
 * running the network after it ({@link SplitResNet}), and any layer of a user's ONNX model by running the model with
 * the layer's readers edited ({@link MaskedOnnxModel}); both on the images, through {@link ForwardAblation}. A killed run leaves complete results for the
 * clusters it finished (written in batches); a rerun with the same settings does only the rest.
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Ablates each selected cluster's neuron group and difference set in the graph's model and stores"
                + " effect, z (against random sets of the same size) and specificity in the graph.")
public final class ValidateCommand implements Callable<Integer> {

    private static final int BATCH = 100;

    @Spec
    CommandSpec spec;

    @Mixin
    ExistingStoreOption storeDir;

    /** The store directory, once checked. */
    private Path db;

    @Option(
            names = "--levels",
            paramLabel = "RANGE",
            description = "Levels to check: N, N.., ..M or N..M (default:" + " every level).")
    String levels;

    @Option(names = "--clusters", split = ",", paramLabel = "ID", description = "Only these clusters, e.g. L1-3,L2-0.")
    List<String> clusters;

    @Option(
            names = "--layers",
            split = ",",
            defaultValue = "layer4",
            paramLabel = "LAYER",
            description =
                    "Layers whose groups are ablated (default: ${DEFAULT-VALUE}, exact from the graph; layer1..layer3"
                            + " of a catalogue ResNet, and any layer of an ONNX model, run the model on --images).")
    List<String> layers;

    @Option(
            names = "--ablation",
            defaultValue = "mean",
            paramLabel = "KIND",
            description =
                    "mean (each channel set to its mean over the collection) or zero (default: ${DEFAULT-VALUE}).")
    String ablationKind;

    @Option(
            names = "--random-sets",
            defaultValue = "20",
            paramLabel = "R",
            description = "Random sets of the same size per group, for z (default: ${DEFAULT-VALUE}).")
    int randomSets;

    @Option(
            names = "--images-per-cluster",
            defaultValue = "64",
            paramLabel = "M",
            description = "Images of each cluster the effect is measured on, first in collection order (default:"
                    + " ${DEFAULT-VALUE}).")
    int imagesPerCluster;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random sets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--weights",
            paramLabel = "FILE",
            description = "The model's weights, when they are not in the"
                    + " cache (their sha256 must be the one recorded on the Model node).")
    Path weightsFile;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "The ONNX file, for a graph built from a user's ONNX model (its sha256 must be the recorded"
                    + " one); every layer's ablation then runs the model on --images.")
    Path modelFile;

    @Option(
            names = "--randomization",
            paramLabel = "SEED",
            description = "Also run the sanity check: the same images"
                    + " with seeded random weights of the same architecture; how far the groups move (Jaccard), and how lift"
                    + " and ablation z drop, per level. Needs --images.")
    Long randomization;

    @Option(
            names = "--images",
            paramLabel = "DIR",
            description = "The image collection the graph was built from (for --randomization and for layers ablated"
                    + " by running the model; checked against the ingest's inventory).")
    Path images;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        requireOptions();
        db = storeDir.require();
        try (Store store = Store.open(db)) {
            ModelUnderTest model = ModelUnderTest.of(
                    ModelUnderTest.Recorded.read(store),
                    new ModelUnderTest.Given(
                            modelFile,
                            weightsFile,
                            images,
                            randomization != null,
                            hmn.pipeline.WorkDir.besideStore(db).root().resolve("inventory.tsv"),
                            !noProgress),
                    layers);
            List<Row> rows = new ArrayList<>();
            for (String layerName : layers) {
                rows.addAll(validateLayer(store, model, layerName, out));
            }
            printSummary(out, rows);
        }
        return 0;
    }

    private void requireOptions() {
        if (randomSets < 2) {
            throw new BadInputException("--random-sets must be >= 2 (z needs a spread), got " + randomSets);
        }
        if (imagesPerCluster < 1) {
            throw new BadInputException("--images-per-cluster must be >= 1, got " + imagesPerCluster);
        }
        if (randomization != null && images == null) {
            throw new BadInputException("--randomization needs --images DIR, the collection the graph was built from");
        }
        if (images != null && !java.nio.file.Files.isDirectory(images)) {
            throw new BadInputException(
                    "--images " + images + ": no such directory; give the collection the graph was" + " built from");
        }
        if (!ablationKind.equals("mean") && !ablationKind.equals("zero")) {
            throw new BadInputException("--ablation must be mean or zero, got '" + ablationKind + "'");
        }
    }

    /** One cluster's figures in one layer, for the summary. */
    record Row(
            String layer,
            int level,
            int groupSize,
            Double medianLift,
            Double heldOutPrecision,
            Double z,
            Double randomJaccard) {
        Row withRandomJaccard(Double jaccard) {
            return new Row(layer, level, groupSize, medianLift, heldOutPrecision, z, jaccard);
        }
    }

    private List<Row> validateLayer(Store store, ModelUnderTest model, String layerName, PrintWriter out) {
        List<Row> rows = new ArrayList<>();
        try (Transaction read = store.db().beginTx()) {
            GraphSnapshot snapshot = Snapshots.of(store.db(), read);
            GraphSnapshot.Layer layer;
            try {
                layer = snapshot.layer(layerName);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(
                        "--layers " + layerName + ": the graph has no activations for it (" + e.getMessage() + ")");
            }
            GroupConfig config = config(read).allLayers();
            FloatMatrix pooled = new FloatMatrix(
                    layer.activations().rows(),
                    layer.channels(),
                    layer.activations().values());
            float[] replacement =
                    ablationKind.equals("mean") ? LinearAblation.columnMeans(pooled) : new float[layer.channels()];
            try (ModelUnderTest.Effects effects =
                    model.effects(snapshot, layer, model.weights(), replacement, pooled)) {
                validateLayer(store, model, snapshot, layer, config, effects.effects(), pooled.rows(), rows, out);
            }
        }
        return rows;
    }

    private void validateLayer(
            Store store,
            ModelUnderTest model,
            GraphSnapshot snapshot,
            GraphSnapshot.Layer layer,
            GroupConfig config,
            AblationEffects ablation,
            int collectionSize,
            List<Row> rows,
            PrintWriter out) {
        String layerName = layer.name();
        Hierarchy h = snapshot.hierarchy();
        LayerGroups groups = snapshot.groups(layer, config);
        List<Integer> selected = select(h);
        String run = String.format(
                Locale.ROOT,
                "%s R=%d M=%d seed=%d top=%s support=%s mode=%s weights=%s",
                ablationKind,
                randomSets,
                imagesPerCluster,
                seed,
                config.top(),
                config.support(),
                config.mode().key(),
                model.provenance());
        Map<Integer, Boolean> done = alreadyDone(store, snapshot, selected, layerName, run);
        long todo = done.values().stream().filter(d -> !d).count();
        out.printf(
                Locale.ROOT,
                "validate %s: %d clusters (%d already done with the same settings), %s ablation," + " R = %d, M = %d%n",
                layerName,
                selected.size(),
                selected.size() - todo,
                ablationKind,
                randomSets,
                imagesPerCluster);
        out.flush();
        List<GroupAblation.Outcome> pending = new ArrayList<>();
        long start = System.nanoTime();
        try (ProgressBar bar = ProgressBars.optional(!noProgress, "validate " + layerName, todo, " clusters")) {
            for (int c : selected) {
                if (!done.get(c)) {
                    pending.add(GroupAblation.of(
                            h, groups, collectionSize, ablation, c, imagesPerCluster, randomSets, seed));
                    ProgressBars.step(bar, 1);
                    if (pending.size() == BATCH) {
                        write(store, snapshot, pending, layerName, run);
                        pending.clear();
                    }
                }
            }
            write(store, snapshot, pending, layerName, run);
        }
        if (todo > 0) {
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(
                    Locale.ROOT,
                    "validate %s: %d clusters ablated and stored in %.1f s (%.1f ms a cluster)%n",
                    layerName,
                    todo,
                    seconds,
                    1000 * seconds / todo);
        }
        long[] activated = snapshot.activatedSets(layer, config);
        Map<Integer, Row> byCluster = new HashMap<>();
        try (Transaction tx = store.db().beginTx()) {
            for (int c : selected) {
                Node node = tx.getNodeByElementId(snapshot.clusterElementId(c));
                int[] group = groups.group(c);
                Double lift = GroupStatistics.medianLift(
                        GroupStatistics.neurons(
                                snapshot.counts(layer, config).row(c), h.imageCount(c),
                                snapshot.collectionCounts(layer, config), h.imageCount()),
                        group);
                Double hp = GroupStatistics.heldOutPrecision(activated, layer.channels(), h.rows(c), config.support());
                Double z =
                        node.getProperty("ablationZ_" + layerName, null) instanceof Number n ? n.doubleValue() : null;
                Row row = new Row(layerName, h.level(c), group.length, lift, hp, z, null);
                byCluster.put(c, row);
                rows.add(row);
            }
        }
        if (randomization != null) {
            model.requireImagesUnmoved(snapshot);
            List<RandomizationCheck.Level> levels = RandomizationCheck.run(
                    snapshot,
                    layer,
                    layers,
                    config,
                    ModelCatalogue.get(model.name()),
                    randomization,
                    images,
                    hmn.pipeline.WorkDir.besideStore(db).root(),
                    selected,
                    byCluster,
                    imagesPerCluster,
                    randomSets,
                    seed,
                    ablationKind.equals("zero"),
                    (randomWeights, randomPooled, randomReplacement) ->
                            model.effects(snapshot, layer, randomWeights, randomReplacement, randomPooled),
                    !noProgress);
            try (Transaction tx = store.db().beginTx();
                    var it = tx.findNodes(org.neo4j.graphdb.Label.label(Schema.MODEL))) {
                RandomizationCheck.report(out, it.next(), layerName, randomization, levels);
                tx.commit();
            }
            Map<Integer, Double> jaccard = new HashMap<>();
            levels.forEach(l -> jaccard.put(l.level(), l.jaccard()));
            rows.replaceAll(r -> r.layer().equals(layerName) ? r.withRandomJaccard(jaccard.get(r.level())) : r);
        }
    }

    /** The group config the graph was materialised with (HmnMeta), else the defaults. */
    private static GroupConfig config(Transaction tx) {
        try (var it = tx.findNodes(org.neo4j.graphdb.Label.label(Schema.META))) {
            if (!it.hasNext()) {
                return GroupConfig.DEFAULTS;
            }
            Node meta = it.next();
            Map<String, Object> map = new HashMap<>();
            for (String key : List.of(Schema.Key.TOP, Schema.Key.SUPPORT, Schema.Key.MODE)) {
                Object value = meta.getProperty(key, null);
                if (value != null) {
                    map.put(key, value);
                }
            }
            return GroupConfig.of(map);
        }
    }

    /** The selected clusters' indices, by --levels and --clusters; bad values are bad input. */
    private List<Integer> select(Hierarchy h) {
        int maxLevel = 0;
        for (int c = 0; c < h.size(); c++) {
            maxLevel = Math.max(maxLevel, h.level(c));
        }
        int[] range = levelRange(levels, maxLevel);
        Set<Integer> chosen = new LinkedHashSet<>();
        if (clusters != null && !clusters.isEmpty()) {
            for (String id : clusters) {
                int c = h.find(id.strip())
                        .orElseThrow(() -> new BadInputException(
                                "--clusters " + id + ": no such cluster in the graph (ids look like L1-3)"));
                chosen.add(c);
            }
        } else {
            for (int c = 0; c < h.size(); c++) {
                chosen.add(c);
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int c : chosen) {
            if (h.level(c) >= range[0] && h.level(c) <= range[1]) {
                out.add(c);
            }
        }
        out.sort((a, b) -> h.level(a) != h.level(b)
                ? Integer.compare(h.level(a), h.level(b))
                : h.id(a).compareTo(h.id(b)));
        return out;
    }

    /** Parses N, N.., ..M, N..M against the graph's levels 1..max. */
    static int[] levelRange(String text, int max) {
        if (text == null || text.isBlank()) {
            return new int[] {1, max};
        }
        Matcher m = Pattern.compile("^\\s*(\\d*)\\s*(\\.\\.)?\\s*(\\d*)\\s*$").matcher(text);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(3).isEmpty())) {
            throw new BadInputException("--levels must be N, N.., ..M or N..M (e.g. 2..), got '" + text + "'");
        }
        int from = m.group(1).isEmpty() ? 1 : Integer.parseInt(m.group(1));
        int to = m.group(2) == null ? from : m.group(3).isEmpty() ? max : Integer.parseInt(m.group(3));
        if (from < 1 || to > max || from > to) {
            throw new BadInputException("--levels " + text + " is outside the graph's levels 1.." + max);
        }
        return new int[] {from, to};
    }

    private static Map<Integer, Boolean> alreadyDone(
            Store store, GraphSnapshot snapshot, List<Integer> selected, String layer, String run) {
        Map<Integer, Boolean> done = new HashMap<>();
        try (Transaction tx = store.db().beginTx()) {
            for (int c : selected) {
                Node node = tx.getNodeByElementId(snapshot.clusterElementId(c));
                done.put(c, run.equals(node.getProperty("ablationRun_" + layer, null)));
            }
        }
        return done;
    }

    /** Stores a batch of outcomes in one transaction: a cluster's figures are all there or not at all. */
    private static void write(
            Store store, GraphSnapshot snapshot, List<GroupAblation.Outcome> outcomes, String layer, String run) {
        if (outcomes.isEmpty()) {
            return;
        }
        try (Transaction tx = store.db().beginTx()) {
            for (GroupAblation.Outcome o : outcomes) {
                Node cluster = tx.getNodeByElementId(snapshot.clusterElementId(snapshot.cluster(o.cluster())));
                put(cluster, layer, o.group());
                if (o.difference() != null) {
                    try (var rels = cluster.getRelationships(
                                    org.neo4j.graphdb.Direction.OUTGOING,
                                    org.neo4j.graphdb.RelationshipType.withName(Schema.DIFFERS_BY))
                            .iterator()) {
                        while (rels.hasNext()) {
                            put(rels.next().getEndNode(), layer, o.difference());
                        }
                    }
                }
                cluster.setProperty("ablationRun_" + layer, run);
            }
            tx.commit();
        }
    }

    private static void put(Node node, String layer, AblationEffects.Result r) {
        node.setProperty("ablationEffect_" + layer, r.effect());
        set(node, "ablationZ_" + layer, r.z());
        set(node, "specificity_" + layer, r.specificity());
    }

    private static void set(Node node, String key, Double value) {
        if (value == null) {
            node.removeProperty(key);
        } else {
            node.setProperty(key, value);
        }
    }

    /** The table per level: clusters, median group size, median lift, share with hp >= 0.8, median ablation z. */
    static void printSummary(PrintWriter out, List<Row> rows) {
        Map<String, List<Row>> byLevel = new TreeMap<>();
        for (Row r : rows) {
            byLevel.computeIfAbsent(
                            r.layer() + " " + String.format(Locale.ROOT, "%03d", r.level()), k -> new ArrayList<>())
                    .add(r);
        }
        out.printf(
                Locale.ROOT,
                "%n%-8s %5s %8s %10s %11s %12s %9s %13s%n",
                "layer",
                "level",
                "clusters",
                "group size",
                "median lift",
                "hp >= 0.8",
                "median z",
                "rand. jaccard");
        for (List<Row> level : byLevel.values()) {
            Row first = level.get(0);
            double hpShare = level.stream()
                            .filter(r -> r.heldOutPrecision() != null && r.heldOutPrecision() >= 0.8)
                            .count()
                    / (double) level.size();
            out.printf(
                    Locale.ROOT,
                    "%-8s %5d %8d %10s %11s %11.0f%% %9s %13s%n",
                    first.layer(),
                    first.level(),
                    level.size(),
                    format(median(
                            level.stream().map(r -> (double) r.groupSize()).toList())),
                    format(median(level.stream().map(Row::medianLift).toList())),
                    100 * hpShare,
                    format(median(level.stream().map(Row::z).toList())),
                    format(median(level.stream().map(Row::randomJaccard).toList())));
        }
        out.flush();
    }

    private static String format(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
