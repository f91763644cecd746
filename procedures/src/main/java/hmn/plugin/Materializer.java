package hmn.plugin;

import hmn.group.GroupConfig;
import hmn.group.Hierarchy;
import hmn.group.LayerGroups;
import hmn.group.SupportCounts;
import hmn.plugin.Results.Materialized;
import hmn.schema.Schema;
import hmn.schema.Schema.Key;
import hmn.validity.GroupStatistics;
import hmn.validity.NeuronStatistics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;

/**
 * Writes the neuron groups and difference sets of one config as edges, in batches of their own transactions:
 * replaces the USES and INCLUDES edges to the neurons of the config's layers (edges to other layers' neurons stay
 * as they were), creates missing Neuron nodes (with Layer-[:HAS_NEURON]->), MERGEs DifferenceSet nodes by id keeping
 * an existing description, and records the config on each materialised Layer node and on HmnMeta.
 */
public final class Materializer {

    static final RelationshipType USES = RelationshipType.withName(Schema.USES);
    static final RelationshipType INCLUDES = RelationshipType.withName(Schema.INCLUDES);
    static final RelationshipType AGAINST = RelationshipType.withName(Schema.AGAINST);
    static final RelationshipType DIFFERS_BY = RelationshipType.withName(Schema.DIFFERS_BY);
    static final RelationshipType HAS_NEURON = RelationshipType.withName(Schema.HAS_NEURON);

    /** Relationships written or deleted per transaction. */
    private static final int BATCH = 20_000;

    private final GraphDatabaseService db;
    private final Transaction tx;

    public Materializer(GraphDatabaseService db, Transaction tx) {
        this.db = db;
        this.tx = tx;
    }

    public Materialized materialize(Map<String, Object> configMap) {
        long start = System.nanoTime();
        GroupConfig config = GroupConfig.of(configMap);
        GraphSnapshot snapshot = Snapshots.of(db, tx);
        List<GraphSnapshot.Layer> layers = snapshot.layers(config);
        List<LayerGroups> groups = new ArrayList<>();
        for (GraphSnapshot.Layer layer : layers) {
            groups.add(snapshot.groups(layer, config));
        }
        Hierarchy h = snapshot.hierarchy();

        Counts counts = new Counts();
        String[][] neurons = ensureNeurons(layers, counts);
        Set<String> owned = neuronElementIds(neurons);
        Map<String, String> differenceSets = nodesById(GraphSnapshot.DIFFERENCE_SET);
        try (Batch batch = new Batch()) {
            for (int c = 0; c < h.size(); c++) {
                Transaction w = batch.tx();
                Node cluster = w.getNodeByElementId(snapshot.clusterElementId(c));
                List<Edge> uses = new ArrayList<>();
                for (int l = 0; l < layers.size(); l++) {
                    LayerGroups g = groups.get(l);
                    int[] group = g.group(c);
                    if (group.length == 0) {
                        continue;
                    }
                    GraphSnapshot.Layer layer = layers.get(l);
                    List<NeuronStatistics> stats = GroupStatistics.neurons(
                            snapshot.counts(layer, config).row(c),
                            h.imageCount(c),
                            snapshot.collectionCounts(layer, config),
                            h.imageCount());
                    for (int n : group) {
                        uses.add(new Edge(neurons[l][n], g.support(c, n), layer.name(), stats.get(n)));
                    }
                }
                int changes = sync(batch, cluster, USES, uses, owned, counts);
                counts.uses += uses.size();
                int parent = h.parent(c);
                if (parent >= 0) {
                    String id = h.id(c);
                    String existing = differenceSets.remove(id);
                    Node set = existing != null
                            ? w.getNodeByElementId(existing)
                            : w.createNode(GraphSnapshot.DIFFERENCE_SET);
                    List<Edge> includes = new ArrayList<>();
                    for (int l = 0; l < layers.size(); l++) {
                        for (int n : groups.get(l).difference(c)) {
                            includes.add(new Edge(neurons[l][n], null, null, null));
                        }
                    }
                    changes += sync(batch, set, INCLUDES, includes, owned, counts);
                    Map<String, Double> summary = new java.util.LinkedHashMap<>();
                    for (int l = 0; l < layers.size(); l++) {
                        GraphSnapshot.Layer layer = layers.get(l);
                        SupportCounts layerCounts = snapshot.counts(layer, config);
                        double[] s = GroupStatistics.differenceSummary(
                                layerCounts.row(c),
                                h.imageCount(c),
                                layerCounts.row(parent),
                                h.imageCount(parent),
                                groups.get(l).difference(c));
                        summary.put(Key.MEAN_CONTRAST + "_" + layer.name(), s[0]);
                        summary.put(Key.MIN_P + "_" + layer.name(), s[1]);
                    }
                    changes += linkDifferenceSet(
                            w, cluster, set, id, h.id(parent), snapshot.clusterElementId(parent), summary);
                    counts.differenceSets++;
                    counts.differenceNeurons += includes.size();
                }
                batch.wrote(changes + 1);
            }
            // difference sets of clusters that have no parent any more: their neurons go with the old config
            for (String stale : differenceSets.values()) {
                Node set = batch.node(stale);
                int changes = sync(batch, set, INCLUDES, List.of(), owned, counts);
                long size = set.getDegree(INCLUDES, Direction.OUTGOING);
                batch.wrote(changes + setIfChanged(set, Key.SIZE, size) + 1);
            }
            batch.commit();
        }
        recordConfig(config, layers, snapshot.layerNames());
        return new Materialized(
                h.size(),
                counts.uses,
                counts.differenceSets,
                counts.differenceNeurons,
                counts.neuronsCreated,
                counts.created,
                counts.deleted,
                layers.stream().map(GraphSnapshot.Layer::name).toList(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** A wanted edge to a neuron; support and layer are null for INCLUDES. */
    private record Edge(String neuron, Double support, String layer, NeuronStatistics stats) {}

    private static final class Counts {
        long uses;
        long differenceSets;
        long differenceNeurons;
        long neuronsCreated;
        long created;
        long deleted;
    }

    /**
     * Makes the node's outgoing edges of the type to the {@code owned} neurons (those of the layers being
     * materialised) exactly the wanted ones: keeps those already there (updating their properties), creates the
     * missing ones, deletes the rest. Edges to other nodes are left alone. Returns the number of changes.
     */
    private static int sync(
            Batch batch, Node from, RelationshipType type, List<Edge> wanted, Set<String> owned, Counts counts) {
        Map<String, Relationship> existing = new HashMap<>();
        int changes = 0;
        for (Relationship rel : from.getRelationships(Direction.OUTGOING, type)) {
            String end = rel.getEndNode().getElementId();
            if (!owned.contains(end)) {
                continue;
            }
            if (existing.putIfAbsent(end, rel) != null) {
                rel.delete(); // a duplicate
                counts.deleted++;
                changes++;
            }
        }
        for (Edge edge : wanted) {
            Relationship rel = existing.remove(edge.neuron());
            if (rel == null) {
                rel = from.createRelationshipTo(batch.node(edge.neuron()), type);
                counts.created++;
                changes++;
            }
            if (edge.support() != null && !edge.support().equals(rel.getProperty(Key.SUPPORT, null))) {
                rel.setProperty(Key.SUPPORT, edge.support());
                changes++;
            }
            if (edge.layer() != null && !edge.layer().equals(rel.getProperty(Key.LAYER, null))) {
                rel.setProperty(Key.LAYER, edge.layer());
                changes++;
            }
            if (edge.stats() != null) {
                NeuronStatistics s = edge.stats();
                changes += setIfChanged(rel, Key.BASE_RATE, s.baseRate());
                changes += s.lift() == null ? removeIfPresent(rel, Key.LIFT) : setIfChanged(rel, Key.LIFT, s.lift());
                changes += setIfChanged(rel, Key.P, s.p());
                changes += setIfChanged(rel, Key.Q, s.q());
            }
        }
        for (Relationship rel : existing.values()) {
            rel.delete();
            counts.deleted++;
            changes++;
        }
        return changes;
    }

    /**
     * Sets the difference set's properties (its size counts the INCLUDES edges of every layer) and its DIFFERS_BY
     * and AGAINST edges; keeps any description.
     */
    private static int linkDifferenceSet(
            Transaction w,
            Node cluster,
            Node set,
            String id,
            String parentId,
            String parentElementId,
            Map<String, Double> summary) {
        int changes = 0;
        changes += setIfChanged(set, Key.ID, id);
        changes += setIfChanged(set, Key.CHILD, id);
        changes += setIfChanged(set, Key.PARENT, parentId);
        changes += setIfChanged(set, Key.SIZE, (long) set.getDegree(INCLUDES, Direction.OUTGOING));
        boolean against = false;
        for (Relationship rel : set.getRelationships(Direction.OUTGOING, AGAINST)) {
            if (!against && rel.getEndNode().getElementId().equals(parentElementId)) {
                against = true;
            } else {
                rel.delete();
                changes++;
            }
        }
        if (!against) {
            set.createRelationshipTo(w.getNodeByElementId(parentElementId), AGAINST);
            changes++;
        }
        Relationship differsBy = null;
        for (Relationship rel : cluster.getRelationships(Direction.OUTGOING, DIFFERS_BY)) {
            if (differsBy == null && rel.getEndNode().equals(set)) {
                differsBy = rel;
            } else if (rel.getEndNode().hasLabel(GraphSnapshot.DIFFERENCE_SET)) {
                rel.delete();
                changes++;
            }
        }
        if (differsBy == null) {
            differsBy = cluster.createRelationshipTo(set, DIFFERS_BY);
            changes++;
        }
        changes += setIfChanged(differsBy, Key.PARENT, parentId);
        for (Map.Entry<String, Double> e : summary.entrySet()) {
            changes += Double.isNaN(e.getValue())
                    ? removeIfPresent(differsBy, e.getKey())
                    : setIfChanged(differsBy, e.getKey(), e.getValue());
        }
        Object description = set.getProperty(Key.DESCRIPTION, differsBy.getProperty(Key.DESCRIPTION, null));
        if (description != null) {
            changes += setIfChanged(set, Key.DESCRIPTION, description);
            changes += setIfChanged(differsBy, Key.DESCRIPTION, description);
        }
        return changes;
    }

    private static int removeIfPresent(org.neo4j.graphdb.Entity entity, String key) {
        if (!entity.hasProperty(key)) {
            return 0;
        }
        entity.removeProperty(key);
        return 1;
    }

    private static int setIfChanged(org.neo4j.graphdb.Entity entity, String key, Object value) {
        if (value.equals(entity.getProperty(key, null))) {
            return 0;
        }
        entity.setProperty(key, value);
        return 1;
    }

    /** The element ids of every Neuron node of the layers, creating what is missing. */
    private String[][] ensureNeurons(List<GraphSnapshot.Layer> layers, Counts counts) {
        Map<String, String> existing = nodesById(GraphSnapshot.NEURON);
        String[][] ids = new String[layers.size()][];
        try (Transaction w = db.beginTx()) {
            for (int l = 0; l < layers.size(); l++) {
                GraphSnapshot.Layer layer = layers.get(l);
                Node layerNode = w.findNode(GraphSnapshot.LAYER, Key.NAME, layer.name());
                ids[l] = new String[layer.channels()];
                for (int n = 0; n < layer.channels(); n++) {
                    String id = Schema.neuronId(layer.name(), n);
                    String elementId = existing.get(id);
                    Node neuron;
                    if (elementId == null) {
                        neuron = w.createNode(GraphSnapshot.NEURON);
                        neuron.setProperty(Key.ID, id);
                        neuron.setProperty(Key.LAYER, layer.name());
                        neuron.setProperty(Key.INDEX, (long) n);
                        counts.neuronsCreated++;
                    } else {
                        neuron = w.getNodeByElementId(elementId);
                    }
                    if (layerNode != null && !neuron.hasRelationship(Direction.INCOMING, HAS_NEURON)) {
                        layerNode.createRelationshipTo(neuron, HAS_NEURON);
                    }
                    ids[l][n] = neuron.getElementId();
                }
            }
            w.commit();
        }
        return ids;
    }

    private static Set<String> neuronElementIds(String[][] neurons) {
        Set<String> ids = new HashSet<>();
        for (String[] layer : neurons) {
            ids.addAll(Arrays.asList(layer));
        }
        return ids;
    }

    private Map<String, String> nodesById(Label label) {
        Map<String, String> ids = new HashMap<>();
        try (Transaction r = db.beginTx();
                ResourceIterator<Node> it = r.findNodes(label)) {
            while (it.hasNext()) {
                Node node = it.next();
                Object id = node.getProperty(Key.ID, null);
                if (id != null) {
                    ids.put(id.toString(), node.getElementId());
                }
            }
        }
        return ids;
    }

    /**
     * Records the config on each materialised Layer node ({@code groupTop}, {@code groupSupport}, {@code groupMode})
     * and on HmnMeta: {@code top}, {@code support}, {@code mode} of this call, {@code layers} every layer that now has
     * materialised edges (this call's and earlier calls', in the graph's layer order).
     */
    private void recordConfig(GroupConfig config, List<GraphSnapshot.Layer> layers, List<String> allLayers) {
        try (Transaction w = db.beginTx()) {
            Set<String> materialised = new HashSet<>();
            for (String name : allLayers) {
                Node layerNode = w.findNode(GraphSnapshot.LAYER, Key.NAME, name);
                if (layerNode != null && layerNode.hasProperty(Key.GROUP_TOP)) {
                    materialised.add(name);
                }
            }
            for (GraphSnapshot.Layer layer : layers) {
                Node layerNode = w.findNode(GraphSnapshot.LAYER, Key.NAME, layer.name());
                if (layerNode != null) {
                    layerNode.setProperty(Key.GROUP_TOP, config.top());
                    layerNode.setProperty(Key.GROUP_SUPPORT, config.support());
                    layerNode.setProperty(Key.GROUP_MODE, config.mode().key());
                    layerNode.setProperty(Key.GROUP_RANK, config.rank().key());
                }
                materialised.add(layer.name());
            }
            Node meta;
            try (ResourceIterator<Node> it = w.findNodes(GraphSnapshot.META)) {
                meta = it.hasNext() ? it.next() : w.createNode(GraphSnapshot.META);
            }
            if (meta.getProperty(Key.LAYERS, null) instanceof String[] earlier) {
                materialised.addAll(Arrays.asList(earlier));
            }
            meta.setProperty(Key.TOP, config.top());
            meta.setProperty(Key.SUPPORT, config.support());
            meta.setProperty(Key.MODE, config.mode().key());
            meta.setProperty(Key.RANK, config.rank().key());
            meta.setProperty(
                    Key.LAYERS,
                    allLayers.stream().filter(materialised::contains).toArray(String[]::new));
            w.commit();
        }
    }

    /** A write transaction committed every {@link #BATCH} changes; closing without commit rolls back the last. */
    private final class Batch implements AutoCloseable {
        private Transaction current;
        private int changes;
        private final Map<String, Node> nodes = new HashMap<>();

        /** A node of the current transaction, by element id (looked up once per transaction). */
        Node node(String elementId) {
            return nodes.computeIfAbsent(elementId, id -> tx().getNodeByElementId(id));
        }

        Transaction tx() {
            if (current == null) {
                current = db.beginTx();
            }
            return current;
        }

        void wrote(int n) {
            changes += n;
            if (changes >= BATCH) {
                commit();
            }
        }

        void commit() {
            nodes.clear();
            if (current != null) {
                current.commit();
                current.close();
                current = null;
            }
            changes = 0;
        }

        @Override
        public void close() {
            nodes.clear();
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }
}
