package hmn.validate;

import static hmn.validity.GroupStatistics.median;

import hmn.core.BadInputException;
import hmn.graph.StoreSwap;
import hmn.group.GroupConfig;
import hmn.group.Hierarchy;
import hmn.group.LayerGroups;
import hmn.images.ImageDecoder;
import hmn.images.ImageNetPreprocessing;
import hmn.images.UnreadableImageException;
import hmn.io.FloatMatrix;
import hmn.plugin.GraphSnapshot;
import hmn.plugin.Snapshots;
import hmn.progress.ProgressBars;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import hmn.runtime.onnx.AblatableNetwork;
import hmn.runtime.onnx.MaskedOnnxModel;
import hmn.runtime.onnx.SplitResNet;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.Tensor;
import hmn.runtime.weights.WeightsSource;
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
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ProgressBar;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;
import picocli.CommandLine.Command;
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
    /** Layers whose ablation the output reads linearly, for the catalogue ResNets. */
    static final Set<String> LINEAR_LAYERS = Set.of("layer4");
    /** Layers whose ablation runs the rest of the network ({@link ForwardAblation}). */
    static final Set<String> FORWARD_LAYERS = Set.of("layer1", "layer2", "layer3");
    /** Memory for the feature maps that forward ablation keeps. */
    private static final long FEATURE_CACHE_BYTES = 512L << 20;

    private static final int BATCH = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--db", required = true, paramLabel = "DIR", description = "The store directory.")
    Path db;

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

    /** The graph's model, once read. */
    private String modelName;
    /** The user's ONNX file, for a graph built from one. */
    private Path onnxFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        requireOptions();
        StoreSwap.requireStore(db, "--db");
        try (Store store = Store.open(db)) {
            Recorded model = recordedModel(store);
            modelName = model.name();
            Map<String, Tensor> weights = null;
            if (model.weights().startsWith("onnx:")) {
                onnxFile = onnxFile(model);
            } else if (model.weights().startsWith("torchscript:")) {
                throw new BadInputException("the graph was built from the TorchScript model " + model.name() + ";"
                        + " hmn validate ablates catalogue ResNets and ONNX files: export the model with"
                        + " torch.onnx.export, ingest that, and validate with --model FILE.onnx");
            } else {
                requireCatalogueLayers();
                weights = weights(model);
            }
            List<Row> rows = new ArrayList<>();
            for (String layerName : layers) {
                rows.addAll(validateLayer(store, model, weights, layerName, out));
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

    /** A catalogue ResNet's layers: layer4 (exact, from the graph) and layer1..layer3 (forward, needing images). */
    private void requireCatalogueLayers() {
        if (modelFile != null) {
            throw new BadInputException("--model " + modelFile + ": the graph was built with the catalogue model '"
                    + modelName + "'; leave --model out (use --weights for its weights file)");
        }
        for (String layer : layers) {
            if (!LINEAR_LAYERS.contains(layer) && !FORWARD_LAYERS.contains(layer)) {
                throw new BadInputException("--layers " + layer + ": hmn validate ablates the stages of the catalogue"
                        + " ResNets (layer1, layer2, layer3, layer4); give one of them");
            }
            if (FORWARD_LAYERS.contains(layer) && images == null) {
                throw new BadInputException("--layers " + layer + " needs --images DIR (the collection the graph was"
                        + " built from): its ablation runs the rest of the network on the images");
            }
        }
    }

    /**
     * The user's ONNX file the graph was built from: given with --model, with the recorded sha256; every layer's
     * ablation runs the model on the images.
     */
    private Path onnxFile(Recorded model) {
        if (modelFile == null) {
            throw new BadInputException("the graph was built from the ONNX model " + model.name() + "; give it with"
                    + " --model FILE (and the images with --images DIR)");
        }
        if (!java.nio.file.Files.isRegularFile(modelFile)) {
            throw new BadInputException(
                    "--model " + modelFile + ": no such file; give the ONNX file the graph was" + " built from");
        }
        if (weightsFile != null || randomization != null) {
            throw new BadInputException((weightsFile != null ? "--weights" : "--randomization") + " applies to"
                    + " catalogue models; an ONNX file carries its own weights and its architecture is not known");
        }
        if (images == null) {
            throw new BadInputException("--model " + modelFile + " needs --images DIR (the collection the graph was"
                    + " built from): ablations inside an ONNX model run it on the images");
        }
        Matcher recorded = SHA.matcher(model.weights());
        String got = WeightsSource.sha256(modelFile);
        if (!recorded.find()
                || !(got.startsWith(recorded.group(1)) || recorded.group(1).startsWith(got))) {
            throw new BadInputException("--model " + modelFile + " (sha256 " + got + ") is not the model the graph"
                    + " was built with (" + model.weights() + "); give that file");
        }
        return modelFile;
    }

    /** The Model node's name and weights provenance. */
    record Recorded(String name, String weights, boolean random) {}

    private static Recorded recordedModel(Store store) {
        try (Transaction tx = store.db().beginTx();
                var it = tx.findNodes(org.neo4j.graphdb.Label.label(Schema.MODEL))) {
            if (!it.hasNext()) {
                throw new BadInputException("the graph in --db has no Model node; it was not built from a model's"
                        + " activations, so there is nothing to ablate");
            }
            Node node = it.next();
            return new Recorded(
                    String.valueOf(node.getProperty("name", "")),
                    String.valueOf(node.getProperty("weights", "")),
                    Boolean.TRUE.equals(node.getProperty("randomWeights", false)));
        }
    }

    private static final Pattern SEED = Pattern.compile("^random:seed=(-?\\d+)");
    private static final Pattern SHA = Pattern.compile("sha256=([0-9a-f]{8,64})");

    /** The recorded model's weights, checked against the recorded provenance. */
    private Map<String, Tensor> weights(Recorded model) {
        ModelSpec modelSpec;
        try {
            modelSpec = ModelCatalogue.get(model.name());
        } catch (BadInputException e) {
            throw new BadInputException("the graph's model '" + model.name() + "' is not in the catalogue; hmn validate"
                    + " ablates catalogue ResNets (" + String.join(", ", ModelCatalogue.names()) + ")");
        }
        Matcher seedMatch = SEED.matcher(model.weights());
        if (seedMatch.find()) {
            if (weightsFile != null) {
                throw new BadInputException("--weights " + weightsFile + ": the graph was built with " + model.weights()
                        + ", which hmn regenerates; leave --weights out");
            }
            return WeightsSource.random(ResNetArchitecture.of(modelSpec), Long.parseLong(seedMatch.group(1)))
                    .tensors();
        }
        Matcher recorded = SHA.matcher(model.weights());
        if (!recorded.find()) {
            throw new BadInputException("the graph's Model node records weights '" + model.weights() + "' without a"
                    + " checksum; hmn validate cannot tell which weights made the activations");
        }
        WeightsSource.Loaded loaded = weightsFile != null
                ? WeightsSource.file(weightsFile)
                : WeightsSource.builder().progress(!noProgress).build().published(modelSpec);
        Matcher got = SHA.matcher(loaded.provenance());
        if (!got.find()
                || !(got.group(1).startsWith(recorded.group(1))
                        || recorded.group(1).startsWith(got.group(1)))) {
            throw new BadInputException("the weights (" + loaded.provenance() + ") differ from the ones the graph was"
                    + " built with (" + model.weights() + "); pass those with --weights FILE");
        }
        return loaded.tensors();
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

    private List<Row> validateLayer(
            Store store, Recorded model, Map<String, Tensor> weights, String layerName, PrintWriter out) {
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
            try (ClosableEffects effects = effects(snapshot, layer, weights, replacement, pooled)) {
                validateLayer(store, model, snapshot, layer, config, effects.effects(), pooled.rows(), rows, out);
            }
        }
        return rows;
    }

    /** Ablation effects of one layer and what to close when done. */
    record ClosableEffects(AblationEffects effects, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * layer4's exact ablation from the pooled activations and fc, or an earlier stage's by running the rest of the
     * network on the images (checked unchanged since ingest).
     */
    private ClosableEffects effects(
            GraphSnapshot snapshot,
            GraphSnapshot.Layer layer,
            Map<String, Tensor> weights,
            float[] replacement,
            FloatMatrix pooled) {
        if (onnxFile == null && LINEAR_LAYERS.contains(layer.name())) {
            Tensor fc = weights.get("fc.weight");
            FloatMatrix w = new FloatMatrix((int) fc.shape()[0], (int) fc.shape()[1], fc.data());
            if (layer.channels() != w.cols()) {
                throw new BadInputException("--layers " + layer.name() + " has " + layer.channels() + " channels but"
                        + " the model's fc reads " + w.cols() + "; the graph was not built with this model");
            }
            LinearAblation linear = new LinearAblation(w, weights.get("fc.bias").data(), replacement);
            return new ClosableEffects(linear.on(pooled), null);
        }
        AblatableNetwork net;
        ImageNetPreprocessing preprocessing;
        if (onnxFile != null) {
            preprocessing = ImageNetPreprocessing.IMAGENET;
            net = MaskedOnnxModel.load(onnxFile, layer.name(), preprocessing.crop(), 0);
        } else {
            ModelSpec spec = ModelCatalogue.get(modelName);
            preprocessing = spec.preprocessing().toTransform();
            net = SplitResNet.of(spec, weights, layer.name(), 0);
        }
        if (net.channels() != layer.channels()) {
            net.close();
            throw new BadInputException("--layers " + layer.name() + " has " + layer.channels() + " channels in the"
                    + " graph but " + net.channels() + " in the model; the graph was not built with this model");
        }
        List<String> ids = new ArrayList<>();
        for (int r = 0; r < pooled.rows(); r++) {
            ids.add(snapshot.imageId(r));
        }
        try {
            RandomizationCheck.requireUnmoved(
                    images, ids, hmn.pipeline.WorkDir.besideStore(db).root().resolve("inventory.tsv"));
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        ImageDecoder decoder = ImageDecoder.defaults();
        IntFunction<float[]> image = row -> {
            Path file = images.resolve(ids.get(row));
            try {
                return preprocessing.apply(decoder.decode(file));
            } catch (UnreadableImageException e) {
                throw new BadInputException("--images: " + file + " cannot be read (" + e.getMessage() + ")", e);
            }
        };
        ForwardAblation forward = new ForwardAblation(net, image, replacement, FEATURE_CACHE_BYTES);
        return new ClosableEffects(forward, forward);
    }

    private void validateLayer(
            Store store,
            Recorded model,
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
                model.weights());
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
            List<RandomizationCheck.Level> levels = RandomizationCheck.run(
                    snapshot,
                    layer,
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
                            effects(snapshot, layer, randomWeights, randomReplacement, randomPooled),
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
