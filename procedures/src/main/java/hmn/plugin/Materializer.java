package hmn.plugin;

import hmn.group.GroupConfig;
import hmn.group.Hierarchy;
import hmn.group.LayerGroups;
import hmn.plugin.Results.Materialized;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * replaces every USES and INCLUDES edge, creates missing Neuron nodes (with Layer-[:HAS_NEURON]->), MERGEs
 * DifferenceSet nodes by id keeping an existing description, and records the config on HmnMeta.
 */
public final class Materializer {

    static final RelationshipType USES = RelationshipType.withName("USES");
    static final RelationshipType INCLUDES = RelationshipType.withName("INCLUDES");
    static final RelationshipType AGAINST = RelationshipType.withName("AGAINST");
    static final RelationshipType DIFFERS_BY = RelationshipType.withName("DIFFERS_BY");
    static final RelationshipType HAS_NEURON = RelationshipType.withName("HAS_NEURON");

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

        long[] created = {0};
        String[][] neurons = ensureNeurons(layers, created);
        long deleted = deleteOld(snapshot);
        Map<String, String> differenceSets = nodesById(GraphSnapshot.DIFFERENCE_SET);

        long uses = 0;
        long differenceSetCount = 0;
        long differenceNeurons = 0;
        try (Batch batch = new Batch()) {
        for (int c = 0; c < h.size(); c++) {
            Transaction w = batch.tx();
            Node cluster = w.getNodeByElementId(snapshot.clusterElementId(c));
            int written = 0;
            for (int l = 0; l < layers.size(); l++) {
                String layerName = layers.get(l).name();
                LayerGroups g = groups.get(l);
                for (int n : g.group(c)) {
                    Relationship rel = cluster.createRelationshipTo(w.getNodeByElementId(neurons[l][n]), USES);
                    rel.setProperty("support", g.support(c, n));
                    rel.setProperty("layer", layerName);
                    written++;
                }
            }
            uses += written;
            int parent = h.parent(c);
            if (parent < 0) {
                batch.wrote(written + 1);
                continue;
            }
            String id = h.id(c);
            String existing = differenceSets.get(id);
            Node set = existing != null ? w.getNodeByElementId(existing) : w.createNode(GraphSnapshot.DIFFERENCE_SET);
            set.setProperty("id", id);
            set.setProperty("child", id);
            set.setProperty("parent", h.id(parent));
            int size = 0;
            for (int l = 0; l < layers.size(); l++) {
                for (int n : groups.get(l).difference(c)) {
                    set.createRelationshipTo(w.getNodeByElementId(neurons[l][n]), INCLUDES);
                    size++;
                }
            }
            set.setProperty("size", size);
            for (Relationship against : set.getRelationships(Direction.OUTGOING, AGAINST)) {
                against.delete();
            }
            set.createRelationshipTo(w.getNodeByElementId(snapshot.clusterElementId(parent)), AGAINST);
            Relationship differsBy = null;
            for (Relationship rel : cluster.getRelationships(Direction.OUTGOING, DIFFERS_BY)) {
                if (rel.getEndNode().equals(set) && differsBy == null) {
                    differsBy = rel;
                } else if (rel.getEndNode().hasLabel(GraphSnapshot.DIFFERENCE_SET)) {
                    rel.delete();
                }
            }
            if (differsBy == null) {
                differsBy = cluster.createRelationshipTo(set, DIFFERS_BY);
            }
            differsBy.setProperty("parent", h.id(parent));
            Object description = set.getProperty("description", differsBy.getProperty("description", null));
            if (description != null) {
                set.setProperty("description", description);
                differsBy.setProperty("description", description);
            }
            differenceSetCount++;
            differenceNeurons += size;
            batch.wrote(written + size + 4);
        }
        batch.commit();
        }
        recordConfig(config, layers);
        return new Materialized(h.size(), uses, differenceSetCount, differenceNeurons, created[0], deleted,
                layers.stream().map(GraphSnapshot.Layer::name).toList(), (System.nanoTime() - start) / 1_000_000);
    }

    /** The element ids of every Neuron node of the layers, creating what is missing. */
    private String[][] ensureNeurons(List<GraphSnapshot.Layer> layers, long[] created) {
        Map<String, String> existing = nodesById(GraphSnapshot.NEURON);
        String[][] ids = new String[layers.size()][];
        try (Transaction w = db.beginTx()) {
            for (int l = 0; l < layers.size(); l++) {
                GraphSnapshot.Layer layer = layers.get(l);
                Node layerNode = w.findNode(GraphSnapshot.LAYER, "name", layer.name());
                ids[l] = new String[layer.channels()];
                for (int n = 0; n < layer.channels(); n++) {
                    String id = layer.name() + ":" + n;
                    String elementId = existing.get(id);
                    Node neuron;
                    if (elementId == null) {
                        neuron = w.createNode(GraphSnapshot.NEURON);
                        neuron.setProperty("id", id);
                        neuron.setProperty("layer", layer.name());
                        neuron.setProperty("index", (long) n);
                        created[0]++;
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

    /** Deletes every USES edge of the clusters and INCLUDES edge of the difference sets. */
    private long deleteOld(GraphSnapshot snapshot) {
        List<String> owners = new ArrayList<>();
        for (int c = 0; c < snapshot.hierarchy().size(); c++) {
            owners.add(snapshot.clusterElementId(c));
        }
        owners.addAll(nodesById(GraphSnapshot.DIFFERENCE_SET).values());
        long deleted = 0;
        try (Batch batch = new Batch()) {
        for (String owner : owners) {
            Node node = batch.tx().getNodeByElementId(owner);
            int n = 0;
            for (Relationship rel : node.getRelationships(Direction.OUTGOING, USES, INCLUDES)) {
                rel.delete();
                n++;
            }
            deleted += n;
            batch.wrote(n + 1);
        }
        batch.commit();
        }
        return deleted;
    }

    private Map<String, String> nodesById(Label label) {
        Map<String, String> ids = new HashMap<>();
        try (Transaction r = db.beginTx(); ResourceIterator<Node> it = r.findNodes(label)) {
            while (it.hasNext()) {
                Node node = it.next();
                Object id = node.getProperty("id", null);
                if (id != null) {
                    ids.put(id.toString(), node.getElementId());
                }
            }
        }
        return ids;
    }

    private void recordConfig(GroupConfig config, List<GraphSnapshot.Layer> layers) {
        try (Transaction w = db.beginTx()) {
            Node meta;
            try (ResourceIterator<Node> it = w.findNodes(GraphSnapshot.META)) {
                meta = it.hasNext() ? it.next() : w.createNode(GraphSnapshot.META);
            }
            meta.setProperty("top", config.top());
            meta.setProperty("support", config.support());
            meta.setProperty("mode", config.mode().key());
            meta.setProperty("layers", layers.stream().map(GraphSnapshot.Layer::name).toArray(String[]::new));
            w.commit();
        }
    }

    /** A write transaction committed every {@link #BATCH} changes; closing without commit rolls back the last. */
    private final class Batch implements AutoCloseable {
        private Transaction current;
        private int changes;

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
            if (current != null) {
                current.commit();
                current.close();
                current = null;
            }
            changes = 0;
        }

        @Override
        public void close() {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }
}
