package hmn.plugin;

import hmn.group.GroupConfig;
import hmn.group.Hierarchy;
import hmn.group.LayerActivations;
import hmn.group.LayerGroups;
import hmn.group.SupportCounts;
import hmn.schema.Schema;
import hmn.schema.Schema.Key;
import hmn.validity.GroupStatistics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;
import org.neo4j.internal.kernel.api.Read;
import org.neo4j.internal.kernel.api.TokenRead;
import org.neo4j.kernel.api.KernelTransaction;
import org.neo4j.kernel.impl.coreapi.InternalTransaction;
import org.neo4j.token.api.TokenConstants;

/**
 * What the procedures read from one graph generation, loaded once: the analysed layers with their activation
 * matrices, the images, the cluster hierarchy, plus memoised activated sets, support counts and neuron groups for
 * each config asked for. Thread-safe.
 */
public final class GraphSnapshot {

    static final Label IMAGE = Label.label(Schema.IMAGE);
    static final Label CLUSTER = Label.label(Schema.CLUSTER);
    static final Label LAYER = Label.label(Schema.LAYER);
    static final Label NEURON = Label.label(Schema.NEURON);
    static final Label META = Label.label(Schema.META);
    static final Label DIFFERENCE_SET = Label.label(Schema.DIFFERENCE_SET);
    static final RelationshipType CONTAINS = RelationshipType.withName(Schema.CONTAINS);

    /** Memo entries kept per kind before the oldest configs are dropped. */
    private static final int MEMO_LIMIT = 64;

    private final String fingerprint;
    private final Map<String, Layer> layers;
    private final List<String> layerNames;
    private final Hierarchy hierarchy;
    private final String[] imageIds;
    private final String[] clusterElementIds;
    private final Map<String, long[]> activated = new ConcurrentHashMap<>();
    private final Map<String, SupportCounts> counts = new ConcurrentHashMap<>();
    private final Map<String, LayerGroups> groups = new ConcurrentHashMap<>();
    private final Map<String, int[]> collection = new ConcurrentHashMap<>();

    /** A layer as the graph describes it: its Layer node and activation matrix. */
    public record Layer(String name, int channels, String property, LayerActivations activations) {}

    private GraphSnapshot(
            String fingerprint,
            Map<String, Layer> layers,
            Hierarchy hierarchy,
            String[] imageIds,
            String[] clusterElementIds) {
        this.fingerprint = fingerprint;
        this.layers = layers;
        this.layerNames = List.copyOf(layers.keySet());
        this.hierarchy = hierarchy;
        this.imageIds = imageIds;
        this.clusterElementIds = clusterElementIds;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public Hierarchy hierarchy() {
        return hierarchy;
    }

    /** The analysed layers, by name. */
    public List<String> layerNames() {
        return layerNames;
    }

    public String imageId(int row) {
        return imageIds[row];
    }

    public String clusterElementId(int cluster) {
        return clusterElementIds[cluster];
    }

    public Layer layer(String name) {
        Layer layer = layers.get(name);
        if (layer == null) {
            throw new IllegalArgumentException("layer '" + name + "' is not analysed; known layers: " + layerNames);
        }
        return layer;
    }

    /** The layers a config asks for: its layer, or all of them. */
    public List<Layer> layers(GroupConfig config) {
        return config.layerName().map(name -> List.of(layer(name))).orElseGet(() -> List.copyOf(layers.values()));
    }

    public int cluster(String id) {
        return hierarchy.find(id).orElseThrow(() -> new IllegalArgumentException("cluster '" + id + "' not found"));
    }

    /** The neuron groups of every cluster for one layer and config (memoised). */
    public LayerGroups groups(Layer layer, GroupConfig config) {
        String groupsKey = setsKey(layer, config) + "|" + config.support() + "|" + config.mode();
        LayerGroups cached = groups.get(groupsKey);
        if (cached != null) {
            return cached;
        }
        SupportCounts supportCounts = counts(layer, config);
        return memo(groups, groupsKey, key -> LayerGroups.compute(supportCounts, config.support(), config.mode()));
    }

    /** How many of each cluster's images activate each neuron of the layer at the config's top (memoised). */
    public SupportCounts counts(Layer layer, GroupConfig config) {
        return memo(
                counts,
                setsKey(layer, config),
                key -> SupportCounts.compute(hierarchy, activatedSets(layer, config), layer.channels()));
    }

    /** Every image's activated set in the layer at the config's top ({@code Bits.words(channels)} longs a row). */
    public long[] activatedSets(Layer layer, GroupConfig config) {
        return memo(activated, setsKey(layer, config), key -> config.activatedSets(layer.activations()));
    }

    /** K_j: how many images of the collection activate each neuron of the layer at the config's top (memoised). */
    public int[] collectionCounts(Layer layer, GroupConfig config) {
        return memo(
                collection,
                setsKey(layer, config),
                key -> GroupStatistics.collectionCounts(
                        activatedSets(layer, config), hierarchy.imageCount(), layer.channels()));
    }

    /** What the activated sets of a layer depend on: its k and the ranking. */
    private static String setsKey(Layer layer, GroupConfig config) {
        return layer.name() + "|" + config.k(layer.channels()) + "|"
                + config.rank().key();
    }

    private static <V> V memo(Map<String, V> map, String key, Function<String, V> compute) {
        V value = map.get(key);
        if (value != null) {
            return value;
        }
        if (map.size() >= MEMO_LIMIT) {
            map.clear();
        }
        return map.computeIfAbsent(key, compute);
    }

    /** Reads a snapshot of the graph in the caller's transaction. */
    static GraphSnapshot read(Transaction tx, String fingerprint) {
        Map<String, Object[]> layerNodes = new HashMap<>();
        try (ResourceIterator<Node> it = tx.findNodes(LAYER)) {
            while (it.hasNext()) {
                Node node = it.next();
                String name = (String) node.getProperty(Key.NAME, null);
                if (name == null) {
                    continue;
                }
                Object channels = node.getProperty(Key.CHANNELS, null);
                if (!(channels instanceof Number number) || number.intValue() < 1) {
                    throw new IllegalStateException(
                            "Layer '" + name + "' needs a positive integer property channels, got " + channels);
                }
                String property = (String) node.getProperty(Key.PROPERTY, Schema.activationProperty(name));
                layerNodes.put(name, new Object[] {number.intValue(), property});
            }
        }
        List<String> names = layerNodes.keySet().stream().sorted().toList();

        // images that hold an activation vector for every analysed layer, ordered by row, then id
        record ImageRow(String elementId, String id, long row, float[][] values) {}
        List<ImageRow> images = new ArrayList<>();
        try (ResourceIterator<Node> it = tx.findNodes(IMAGE)) {
            while (it.hasNext()) {
                Node node = it.next();
                String id = String.valueOf(node.getProperty(Key.ID, node.getElementId()));
                float[][] values = new float[names.size()][];
                boolean complete = true;
                for (int l = 0; l < names.size() && complete; l++) {
                    Object[] layer = layerNodes.get(names.get(l));
                    Object raw = node.getProperty((String) layer[1], null);
                    values[l] = floats(raw);
                    if (values[l] == null) {
                        complete = false;
                    } else if (values[l].length != (int) layer[0]) {
                        throw new IllegalStateException("Image '" + id + "' property " + layer[1] + " has "
                                + values[l].length + " values; Layer '" + names.get(l) + "' has " + layer[0]
                                + " channels");
                    }
                }
                if (complete) {
                    Object row = node.getProperty(Key.ROW, null);
                    images.add(new ImageRow(
                            node.getElementId(), id, row instanceof Number n ? n.longValue() : Long.MAX_VALUE, values));
                }
            }
        }
        images.sort(Comparator.comparingLong(ImageRow::row).thenComparing(ImageRow::id));
        int n = images.size();
        String[] imageIds = new String[n];
        Map<String, Integer> rowOfElement = new HashMap<>(n * 2);
        for (int r = 0; r < n; r++) {
            imageIds[r] = images.get(r).id();
            rowOfElement.put(images.get(r).elementId(), r);
        }
        Map<String, Layer> layers = new LinkedHashMap<>();
        for (int l = 0; l < names.size(); l++) {
            int channels = (int) layerNodes.get(names.get(l))[0];
            float[] matrix = new float[n * channels];
            for (int r = 0; r < n; r++) {
                System.arraycopy(images.get(r).values()[l], 0, matrix, r * channels, channels);
            }
            String name = names.get(l);
            layers.put(
                    name,
                    new Layer(
                            name,
                            channels,
                            (String) layerNodes.get(name)[1],
                            new LayerActivations(name, channels, n, matrix)));
        }
        images.clear();

        Hierarchy.Builder builder = Hierarchy.builder().images(n);
        List<String> elementIds = new ArrayList<>();
        List<Node> clusters = new ArrayList<>();
        try (ResourceIterator<Node> it = tx.findNodes(CLUSTER)) {
            while (it.hasNext()) {
                Node node = it.next();
                Object id = node.getProperty(Key.ID, null);
                if (id == null) {
                    continue;
                }
                Object level = node.getProperty(Key.LEVEL, null);
                Object caption = node.getProperty(Key.CAPTION, null);
                builder.cluster(
                        id.toString(),
                        level instanceof Number l ? l.intValue() : 0,
                        caption == null ? null : caption.toString());
                elementIds.add(node.getElementId());
                clusters.add(node);
            }
        }
        for (Node node : clusters) {
            String id = node.getProperty(Key.ID).toString();
            for (Relationship rel : node.getRelationships(Direction.OUTGOING, CONTAINS)) {
                Node end = rel.getEndNode();
                if (end.hasLabel(CLUSTER)) {
                    Object childId = end.getProperty(Key.ID, null);
                    if (childId != null) {
                        builder.child(id, childId.toString());
                    }
                } else if (end.hasLabel(IMAGE)) {
                    Integer row = rowOfElement.get(end.getElementId());
                    if (row != null) {
                        builder.image(id, row);
                    }
                }
            }
        }
        return new GraphSnapshot(fingerprint, layers, builder.build(), imageIds, elementIds.toArray(String[]::new));
    }

    private static float[] floats(Object raw) {
        if (raw instanceof float[] f) {
            return f;
        }
        if (raw instanceof double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        if (raw instanceof long[] l) {
            float[] f = new float[l.length];
            for (int i = 0; i < l.length; i++) {
                f[i] = l[i];
            }
            return f;
        }
        return null;
    }

    /**
     * What identifies the graph the snapshot was read from: {@code HmnMeta.generation} (which the importer changes
     * whenever it rebuilds the graph) plus the numbers of Image, Cluster and Layer nodes and CONTAINS edges (from
     * Neo4j's count store: constant time), so that an import still in progress or a graph without HmnMeta is
     * not mistaken for the one cached.
     */
    static String fingerprint(Transaction tx) {
        Object generation = null;
        try (ResourceIterator<Node> it = tx.findNodes(META)) {
            if (it.hasNext()) {
                generation = it.next().getProperty(Key.GENERATION, null);
            }
        }
        return generation + "|" + counts(tx);
    }

    private static String counts(Transaction tx) {
        if (tx instanceof InternalTransaction internal) {
            KernelTransaction ktx = internal.kernelTransaction();
            TokenRead tokens = ktx.tokenRead();
            Read read = ktx.dataRead();
            StringBuilder out = new StringBuilder();
            for (Label label : List.of(IMAGE, CLUSTER, LAYER)) {
                int id = tokens.nodeLabel(label.name());
                out.append(id == TokenConstants.NO_TOKEN ? 0 : read.countsForNode(id))
                        .append('/');
            }
            int contains = tokens.relationshipType(CONTAINS.name());
            out.append(
                    contains == TokenConstants.NO_TOKEN
                            ? 0
                            : read.countsForRelationship(TokenConstants.ANY_LABEL, contains, TokenConstants.ANY_LABEL));
            return out.toString();
        }
        try (var result = tx.execute("CALL { MATCH (n:Image) RETURN count(n) AS images } "
                + "CALL { MATCH (n:Cluster) RETURN count(n) AS clusters } "
                + "CALL { MATCH (n:Layer) RETURN count(n) AS layers } "
                + "CALL { MATCH ()-[r:CONTAINS]->() RETURN count(r) AS contains } "
                + "RETURN images, clusters, layers, contains")) {
            Map<String, Object> row = result.next();
            return row.get("images") + "/" + row.get("clusters") + "/" + row.get("layers") + "/" + row.get("contains");
        }
    }
}
