package hmn.plugin;

import hmn.group.GroupConfig;
import hmn.group.Hierarchy;
import hmn.group.LayerGroups;
import hmn.plugin.Results.ComparedNeuron;
import hmn.plugin.Results.Concept;
import hmn.plugin.Results.DifferenceNeuron;
import hmn.plugin.Results.SharedNeuron;
import hmn.plugin.Results.TopImage;
import hmn.schema.Schema;
import hmn.schema.Schema.Key;
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
        String parentId = snapshot.hierarchy().id(parent);
        List<DifferenceNeuron> rows = new ArrayList<>();
        for (GraphSnapshot.Layer layer : snapshot.layers(config)) {
            for (int n : snapshot.groups(layer, config).difference(c)) {
                rows.add(new DifferenceNeuron(layer.name(), n, parentId));
            }
        }
        return rows.stream();
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
