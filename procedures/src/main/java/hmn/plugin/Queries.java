package hmn.plugin;

import hmn.group.GroupConfig;
import hmn.group.Hierarchy;
import hmn.group.LayerGroups;
import hmn.group.SupportCounts;
import hmn.plugin.Results.ComparedNeuron;
import hmn.plugin.Results.Concept;
import hmn.plugin.Results.DifferenceNeuron;
import hmn.plugin.Results.NeuronStat;
import hmn.plugin.Results.SharedNeuron;
import hmn.plugin.Results.TopImage;
import hmn.plugin.Results.Validity;
import hmn.schema.Schema;
import hmn.schema.Schema.Key;
import hmn.validity.DifferenceStatistics;
import hmn.validity.GroupStatistics;
import hmn.validity.NeuronStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;

/** The read procedures' work, one method each: validate the arguments, query the cached groups, map to rows. */
public final class Queries {

    private final GraphDatabaseService db;
    private final Transaction tx;

    public Queries(GraphDatabaseService db, Transaction tx) {
        this.db = db;
        this.tx = tx;
    }

    public Stream<SharedNeuron> sharedNeurons(Object cluster, Map<String, Object> configMap) {
        GroupConfig config = GroupConfig.of(configMap);
        GraphSnapshot snapshot = Snapshots.of(db, tx);
        int c = snapshot.cluster(clusterId(cluster, "cluster"));
        List<SharedNeuron> rows = new ArrayList<>();
        for (GraphSnapshot.Layer layer : snapshot.layers(config)) {
            LayerGroups groups = snapshot.groups(layer, config);
            for (int n : groups.group(c)) {
                rows.add(new SharedNeuron(layer.name(), n, groups.support(c, n)));
            }
        }
        return rows.stream();
    }

    public Stream<DifferenceNeuron> differenceNeurons(Object cluster, Map<String, Object> configMap) {
        GroupConfig config = GroupConfig.of(configMap);
        GraphSnapshot snapshot = Snapshots.of(db, tx);
        int c = snapshot.cluster(clusterId(cluster, "cluster"));
        int parent = snapshot.hierarchy().parent(c);
        if (parent < 0) {
            snapshot.layers(config); // still validates the layer
            return Stream.empty();
        }
        Hierarchy h = snapshot.hierarchy();
        String parentId = h.id(parent);
        List<DifferenceNeuron> rows = new ArrayList<>();
        for (GraphSnapshot.Layer layer : snapshot.layers(config)) {
            int[] difference = snapshot.groups(layer, config).difference(c);
            if (difference.length == 0) {
                continue;
            }
            SupportCounts counts = snapshot.counts(layer, config);
            List<DifferenceStatistics> stats = GroupStatistics.difference(
                    counts.row(c), h.imageCount(c), counts.row(parent), h.imageCount(parent));
            for (int n : difference) {
                rows.add(new DifferenceNeuron(
                        layer.name(),
                        n,
                        parentId,
                        stats.get(n).contrast(),
                        stats.get(n).p()));
            }
        }
        return rows.stream();
    }

    /** Every channel's statistics in the cluster (or only its group's, with {@code groupOnly: true}). */
    public Stream<NeuronStat> stats(Object cluster, Map<String, Object> configMap) {
        boolean groupOnly = flag(configMap, "groupOnly");
        GroupConfig config = GroupConfig.of(without(configMap, "groupOnly"));
        GraphSnapshot snapshot = Snapshots.of(db, tx);
        int c = snapshot.cluster(clusterId(cluster, "cluster"));
        List<NeuronStat> rows = new ArrayList<>();
        for (GraphSnapshot.Layer layer : snapshot.layers(config)) {
            List<NeuronStatistics> stats = statistics(snapshot, layer, config, c);
            int[] neurons = groupOnly
                    ? snapshot.groups(layer, config).group(c)
                    : java.util.stream.IntStream.range(0, layer.channels()).toArray();
            for (int n : neurons) {
                NeuronStatistics s = stats.get(n);
                rows.add(new NeuronStat(layer.name(), n, s.support(), s.baseRate(), s.lift(), s.p(), s.q()));
            }
        }
        return rows.stream();
    }

    /**
     * The cluster's group validity per layer: size, median lift, held-out precision and bootstrap stability (seed
     * {@code VALIDITY_SEED}), and the ablation figures that {@code hmn validate} stored on the Cluster node
     * ({@code ablationEffect_<layer>}, {@code ablationZ_<layer>}, {@code specificity_<layer>}), null until then.
     */
    public Stream<Validity> validity(Object cluster, Map<String, Object> configMap) {
        GroupConfig config = GroupConfig.of(configMap);
        GraphSnapshot snapshot = Snapshots.of(db, tx);
        int c = snapshot.cluster(clusterId(cluster, "cluster"));
        int[] rows = snapshot.hierarchy().rows(c);
        Node node = tx.getNodeByElementId(snapshot.clusterElementId(c));
        List<Validity> out = new ArrayList<>();
        for (GraphSnapshot.Layer layer : snapshot.layers(config)) {
            int[] group = snapshot.groups(layer, config).group(c);
            long[] activated = snapshot.activatedSets(layer, config);
            out.add(new Validity(
                    layer.name(),
                    group.length,
                    GroupStatistics.medianLift(statistics(snapshot, layer, config, c), group),
                    GroupStatistics.heldOutPrecision(activated, layer.channels(), rows, config.support()),
                    rows.length == 0
                            ? null
                            : GroupStatistics.stability(
                                    activated,
                                    layer.channels(),
                                    rows,
                                    config.support(),
                                    VALIDITY_SEED,
                                    GroupStatistics.BOOTSTRAP_RESAMPLES),
                    number(node, "ablationEffect_" + layer.name()),
                    number(node, "ablationZ_" + layer.name()),
                    number(node, "specificity_" + layer.name())));
        }
        return out.stream();
    }

    /** The bootstrap's seed: the same stability on every call. */
    static final long VALIDITY_SEED = 42;

    private static List<NeuronStatistics> statistics(
            GraphSnapshot snapshot, GraphSnapshot.Layer layer, GroupConfig config, int c) {
        Hierarchy h = snapshot.hierarchy();
        return GroupStatistics.neurons(
                snapshot.counts(layer, config).row(c),
                h.imageCount(c),
                snapshot.collectionCounts(layer, config),
                h.imageCount());
    }

    private static Double number(Node node, String key) {
        return node.getProperty(key, null) instanceof Number n ? n.doubleValue() : null;
    }

    /** A boolean config key that is not part of {@link GroupConfig}; false when absent. */
    static boolean flag(Map<String, Object> config, String key) {
        Object value = config == null ? null : config.get(key);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException(key + " must be true or false, got " + value);
        }
        return b;
    }

    static Map<String, Object> without(Map<String, Object> config, String key) {
        if (config == null || !config.containsKey(key)) {
            return config;
        }
        Map<String, Object> copy = new java.util.HashMap<>(config);
        copy.remove(key);
        return copy;
    }

    public Stream<ComparedNeuron> compare(Object clusterA, Object clusterB, Map<String, Object> configMap) {
        GroupConfig config = GroupConfig.of(configMap);
        GraphSnapshot snapshot = Snapshots.of(db, tx);
        int a = snapshot.cluster(clusterId(clusterA, "clusterA"));
        int b = snapshot.cluster(clusterId(clusterB, "clusterB"));
        List<ComparedNeuron> rows = new ArrayList<>();
        for (GraphSnapshot.Layer layer : snapshot.layers(config)) {
            LayerGroups.Comparison comparison = snapshot.groups(layer, config).compare(a, b);
            List<ComparedNeuron> layerRows = new ArrayList<>();
            for (int n : comparison.both()) {
                layerRows.add(new ComparedNeuron(layer.name(), n, "both"));
            }
            for (int n : comparison.onlyA()) {
                layerRows.add(new ComparedNeuron(layer.name(), n, "a"));
            }
            for (int n : comparison.onlyB()) {
                layerRows.add(new ComparedNeuron(layer.name(), n, "b"));
            }
            layerRows.sort((x, y) -> Long.compare(x.neuron, y.neuron));
            rows.addAll(layerRows);
        }
        return rows.stream();
    }

    public Stream<Concept> concepts(String layerName, long neuron, Map<String, Object> configMap) {
        GroupConfig config = GroupConfig.of(configMap);
        if (layerName == null) {
            throw new IllegalArgumentException("layer must be a layer name, got null");
        }
        if (config.layer() != null && !config.layer().equals(layerName)) {
            throw new IllegalArgumentException("config layer '" + config.layer() + "' differs from the layer argument '"
                    + layerName + "'; leave layer out of the config");
        }
        GraphSnapshot snapshot = Snapshots.of(db, tx);
        GraphSnapshot.Layer layer = snapshot.layer(layerName);
        int n = neuronIndex(layer, neuron);
        LayerGroups groups = snapshot.groups(layer, config);
        Hierarchy h = snapshot.hierarchy();
        int[] clusters = groups.clustersUsing(n);
        List<Concept> rows = new ArrayList<>(clusters.length);
        for (int c : clusters) {
            rows.add(new Concept(h.id(c), h.level(c), h.caption(c), groups.support(c, n)));
        }
        return rows.stream();
    }

    public Stream<TopImage> topImages(String layerName, long neuron, long k) {
        if (layerName == null) {
            throw new IllegalArgumentException("layer must be a layer name, got null");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        GraphSnapshot snapshot = Snapshots.of(db, tx);
        GraphSnapshot.Layer layer = snapshot.layer(layerName);
        int n = neuronIndex(layer, neuron);
        int[] rows = layer.activations().topRows(n, (int) Math.min(k, Integer.MAX_VALUE));
        List<TopImage> out = new ArrayList<>(rows.length);
        for (int row : rows) {
            out.add(new TopImage(snapshot.imageId(row), layer.activations().value(row, n)));
        }
        return out.stream();
    }

    static int neuronIndex(GraphSnapshot.Layer layer, long neuron) {
        if (neuron < 0 || neuron >= layer.channels()) {
            throw new IllegalArgumentException("neuron must be in [0, " + (layer.channels() - 1) + "] for layer '"
                    + layer.name() + "', got " + neuron);
        }
        return (int) neuron;
    }

    /** A cluster argument: a Cluster node or its id string. */
    static String clusterId(Object cluster, String argument) {
        if (cluster instanceof String id) {
            return id;
        }
        if (cluster instanceof Node node) {
            Object id = node.hasLabel(GraphSnapshot.CLUSTER) ? node.getProperty(Key.ID, null) : null;
            if (id == null) {
                List<String> labels = new ArrayList<>();
                node.getLabels().forEach(label -> labels.add(label.name()));
                throw new IllegalArgumentException(argument + " must be a Cluster node or its id string, got a node "
                        + "with labels " + labels + (labels.contains(Schema.CLUSTER) ? " and no id" : ""));
            }
            return id.toString();
        }
        throw new IllegalArgumentException(
                argument + " must be a Cluster node or its id string, got " + (cluster == null ? "null" : cluster));
    }
}
