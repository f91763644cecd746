package hmn.report;

import hmn.group.GroupConfig;
import hmn.group.LayerGroups;
import hmn.plugin.GraphSnapshot;
import hmn.plugin.Snapshots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;

/**
 * What the report reads from an hmn graph: the hierarchy, captions and their provenance, layers, the model, each
 * neuron's base rate (from ACTIVATES edges), and on demand the procedures' groups, difference neurons, concepts and
 * top images. The hierarchy is read once; per-cluster and per-neuron rows are read when asked.
 */
public final class ReportGraph {
    /** Cluster properties shown as validity figures when a cluster has them. */
    static final List<String> VALIDITY =
            List.of("medianLift", "heldOutPrecision", "stability", "ablationEffect", "ablationZ", "specificity");

    private final GraphDatabaseService db;
    private final Map<String, Cluster> clusters = new LinkedHashMap<>();
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, int[]> activatedCounts = new HashMap<>();
    private final Map<String, float[][]> histogramCache = new ConcurrentHashMap<>();
    /** Groups and difference neurons by cluster and layer, when {@link #readGroups} has read them all at once. */
    private final Map<String, List<Neuron>> groupCache = new ConcurrentHashMap<>();

    private final Map<String, List<Integer>> differenceCache = new ConcurrentHashMap<>();
    private final Model model;
    private final int images;

    /** A cluster with its parent, children (by id), caption provenance and first images (by row). */
    public record Cluster(
            String id,
            int level,
            long size,
            String caption,
            boolean synthetic,
            String parent,
            List<String> children,
            Map<String, Object> provenance,
            String difference,
            Map<String, Double> validity,
            List<String> images) {}

    public record Layer(String name, int channels, String property) {}

    public record Model(String name, String weights, Boolean randomWeights, String engine) {}

    public record Neuron(int neuron, double support) {}

    public record Concept(String cluster, long level, String caption, double support) {}

    public record TopImage(String image, double activation) {}

    private ReportGraph(GraphDatabaseService db, int imagesPerCluster) {
        this.db = db;
        rows(
                        "MATCH (l:Layer) RETURN l.name AS name, l.channels AS channels, l.property AS property ORDER BY name",
                        Map.of())
                .forEach(r -> layers.add(new Layer(
                        (String) r.get("name"), ((Number) r.get("channels")).intValue(), (String) r.get("property"))));
        List<Map<String, Object>> m = rows(
                "MATCH (m:Model) RETURN m.name AS name, m.weights AS weights,"
                        + " m.randomWeights AS random, m.engine AS engine LIMIT 1",
                Map.of());
        this.model = m.isEmpty()
                ? null
                : new Model(
                        (String) m.get(0).get("name"),
                        (String) m.get(0).get("weights"),
                        (Boolean) m.get(0).get("random"),
                        (String) m.get(0).get("engine"));
        this.images = ((Number) rows("MATCH (i:Image) WHERE i.row IS NOT NULL RETURN count(i) AS n", Map.of())
                        .get(0)
                        .get("n"))
                .intValue();
        Map<String, List<Object[]>> leafImages = new HashMap<>();
        for (Map<String, Object> r : rows(
                "MATCH (c:Cluster {level: 1})-[:CONTAINS]->(i:Image) WHERE i.row IS NOT NULL"
                        + " RETURN c.id AS c, i.id AS i, i.row AS row",
                Map.of())) {
            leafImages
                    .computeIfAbsent((String) r.get("c"), k -> new ArrayList<>())
                    .add(new Object[] {r.get("i"), ((Number) r.get("row")).longValue()});
        }
        Map<String, List<String>> children = new HashMap<>();
        for (Map<String, Object> r : rows(
                "MATCH (p:Cluster)-[:CONTAINS]->(c:Cluster) RETURN p.id AS p, c.id AS c" + " ORDER BY c.id",
                Map.of())) {
            children.computeIfAbsent((String) r.get("p"), k -> new ArrayList<>())
                    .add((String) r.get("c"));
        }
        Map<String, Map<String, Object>> provenance = new HashMap<>();
        for (Map<String, Object> r : rows(
                "MATCH (c:Cluster)-[:HAS_CAPTION]->(k:Caption) RETURN c.id AS c,"
                        + " k.kind AS kind, k.source AS source, k.model AS model, k.promptVersion AS promptVersion,"
                        + " k.offlineDefault AS offlineDefault",
                Map.of())) {
            Map<String, Object> p = new LinkedHashMap<>(r);
            p.remove("c");
            p.values().removeIf(v -> v == null);
            provenance.put((String) r.get("c"), p);
        }
        Map<String, String> differences = new HashMap<>();
        rows("MATCH (c:Cluster)-[:DIFFERS_BY]->(d:DifferenceSet) RETURN c.id AS c, d.description AS d", Map.of())
                .forEach(r -> differences.put((String) r.get("c"), (String) r.get("d")));
        Map<String, String> parents = new HashMap<>();
        children.forEach((p, cs) -> cs.forEach(c -> parents.put(c, p)));
        List<Map<String, Object>> all = rows(
                "MATCH (c:Cluster) RETURN c.id AS id, c.level AS level, c.size AS size,"
                        + " c.caption AS caption, coalesce(c.synthetic, false) AS synthetic, properties(c) AS props"
                        + " ORDER BY c.level DESC, c.size DESC, c.id",
                Map.of());
        // images of higher clusters: their children's first images merged by row (children come first: sorted by level)
        Map<String, List<Object[]>> firstImages = new HashMap<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            String id = (String) all.get(i).get("id");
            List<Object[]> own = new ArrayList<>(leafImages.getOrDefault(id, List.of()));
            for (String c : children.getOrDefault(id, List.of())) {
                own.addAll(firstImages.getOrDefault(c, List.of()));
            }
            own.sort(Comparator.comparingLong(o -> (Long) o[1]));
            firstImages.put(id, List.copyOf(own.subList(0, Math.min(imagesPerCluster, own.size()))));
        }
        for (Map<String, Object> r : all) {
            String id = (String) r.get("id");
            @SuppressWarnings("unchecked")
            Map<String, Object> props = (Map<String, Object>) r.get("props");
            Map<String, Double> validity = new LinkedHashMap<>();
            for (String key : VALIDITY) {
                if (props.get(key) instanceof Number n) {
                    validity.put(key, n.doubleValue());
                }
            }
            clusters.put(
                    id,
                    new Cluster(
                            id,
                            ((Number) r.get("level")).intValue(),
                            r.get("size") == null ? 0 : ((Number) r.get("size")).longValue(),
                            (String) r.get("caption"),
                            Boolean.TRUE.equals(r.get("synthetic")),
                            parents.get(id),
                            children.getOrDefault(id, List.of()),
                            provenance.getOrDefault(id, Map.of()),
                            differences.get(id),
                            validity,
                            firstImages.get(id).stream().map(o -> (String) o[0]).toList()));
        }
        for (Layer layer : layers) {
            activatedCounts.put(layer.name(), new int[layer.channels()]);
        }
        for (Map<String, Object> r : rows(
                "MATCH (:Image)-[:ACTIVATES]->(n:Neuron) RETURN n.layer AS layer," + " n.index AS index, count(*) AS k",
                Map.of())) {
            int[] counts = activatedCounts.get((String) r.get("layer"));
            int index = ((Number) r.get("index")).intValue();
            if (counts != null && index >= 0 && index < counts.length) {
                counts[index] = ((Number) r.get("k")).intValue();
            }
        }
    }

    /** Reads the hierarchy, layers, model and base rates of the graph in {@code db}. */
    public static ReportGraph read(GraphDatabaseService db, int imagesPerCluster) {
        return new ReportGraph(db, imagesPerCluster);
    }

    public Map<String, Cluster> clusters() {
        return clusters;
    }

    public List<Layer> layers() {
        return layers;
    }

    public Model model() {
        return model;
    }

    /** Images with activations (the collection's N). */
    public int images() {
        return images;
    }

    /** Fraction of all images whose ACTIVATES edges include the neuron (DESIGN.md's b_j). */
    public double baseRate(String layer, int neuron) {
        int[] counts = activatedCounts.get(layer);
        return counts == null || images == 0 ? 0 : (double) counts[neuron] / images;
    }

    /** support / base rate, or null when no image activates the neuron. */
    public Double lift(String layer, int neuron, double support) {
        double b = baseRate(layer, neuron);
        return b == 0 ? null : support / b;
    }

    /**
     * Reads every cluster's group and difference neurons of every layer (the procedures' defaults) in one pass over
     * the procedures' in-memory snapshot of the graph ({@code hmn.plugin.GraphSnapshot}), the same rows
     * {@code hmn.cluster.sharedNeurons} and {@code hmn.cluster.differenceNeurons} give one call at a time; the
     * pages then read them from memory. For the whole report.
     */
    public void readGroups() {
        try (Transaction tx = db.beginTx()) {
            GraphSnapshot snapshot = Snapshots.of(db, tx);
            for (Layer layer : layers) {
                GroupConfig config = GroupConfig.of(Map.of("layer", layer.name()));
                LayerGroups groups = snapshot.groups(snapshot.layer(layer.name()), config);
                for (String id : clusters.keySet()) {
                    int c = snapshot.cluster(id);
                    List<Neuron> group = new ArrayList<>();
                    for (int n : groups.group(c)) {
                        group.add(new Neuron(n, groups.support(c, n)));
                    }
                    group.sort(Comparator.comparingDouble(Neuron::support)
                            .reversed()
                            .thenComparingInt(Neuron::neuron));
                    groupCache.put(key(id, layer.name()), List.copyOf(group));
                    List<Integer> difference = new ArrayList<>();
                    if (snapshot.hierarchy().parent(c) >= 0) {
                        for (int n : groups.difference(c)) {
                            difference.add(n);
                        }
                        difference.sort(null);
                    }
                    differenceCache.put(key(id, layer.name()), List.copyOf(difference));
                }
            }
            tx.commit();
        }
    }

    private static String key(String cluster, String layer) {
        return cluster + '\u0000' + layer;
    }

    public List<Neuron> sharedNeurons(String cluster, String layer) {
        List<Neuron> cached = groupCache.get(key(cluster, layer));
        if (cached != null) {
            return cached;
        }
        return rows(
                        "CALL hmn.cluster.sharedNeurons($c, {layer: $l}) YIELD neuron, support"
                                + " RETURN neuron, support ORDER BY support DESC, neuron",
                        Map.of("c", cluster, "l", layer))
                .stream()
                .map(r -> new Neuron(((Number) r.get("neuron")).intValue(), ((Number) r.get("support")).doubleValue()))
                .toList();
    }

    public List<Integer> differenceNeurons(String cluster, String layer) {
        List<Integer> cached = differenceCache.get(key(cluster, layer));
        if (cached != null) {
            return cached;
        }
        return rows(
                        "CALL hmn.cluster.differenceNeurons($c, {layer: $l}) YIELD neuron RETURN neuron ORDER BY neuron",
                        Map.of("c", cluster, "l", layer))
                .stream()
                .map(r -> ((Number) r.get("neuron")).intValue())
                .toList();
    }

    public List<Concept> concepts(String layer, int neuron) {
        return rows(
                        "CALL hmn.neuron.concepts($l, $n, {}) YIELD cluster, level, caption, support"
                                + " RETURN cluster, level, caption, support",
                        Map.of("l", layer, "n", neuron))
                .stream()
                .map(r -> new Concept(
                        (String) r.get("cluster"),
                        ((Number) r.get("level")).longValue(),
                        (String) r.get("caption"),
                        ((Number) r.get("support")).doubleValue()))
                .toList();
    }

    public List<TopImage> topImages(String layer, int neuron, int k) {
        return rows(
                        "CALL hmn.neuron.topImages($l, $n, $k) YIELD image, activation RETURN image, activation",
                        Map.of("l", layer, "n", neuron, "k", k))
                .stream()
                .map(r -> new TopImage((String) r.get("image"), ((Number) r.get("activation")).doubleValue()))
                .toList();
    }

    /**
     * Histograms of every channel of {@code layer} over the collection, from the Image nodes' activation arrays:
     * per channel {@code {min, max, count_0, ..., count_(bins-1)}}; read once per layer.
     */
    public float[][] histograms(Layer layer, int bins) {
        return histogramCache.computeIfAbsent(layer.name(), k -> {
            List<float[]> vectors = new ArrayList<>();
            db.executeTransactionally(
                    "MATCH (i:Image) WHERE i[$p] IS NOT NULL RETURN i[$p] AS v",
                    Map.of("p", layer.property()),
                    result -> {
                        result.forEachRemaining(r -> vectors.add(floats(r.get("v"))));
                        return null;
                    });
            float[][] out = new float[layer.channels()][bins + 2];
            for (int c = 0; c < layer.channels(); c++) {
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                for (float[] v : vectors) {
                    min = Math.min(min, v[c]);
                    max = Math.max(max, v[c]);
                }
                out[c][0] = vectors.isEmpty() ? 0 : min;
                out[c][1] = vectors.isEmpty() ? 0 : max;
                for (float[] v : vectors) {
                    int bin = max > min ? (int) Math.min(bins - 1, (v[c] - min) / (max - min) * bins) : 0;
                    out[c][2 + bin]++;
                }
            }
            return out;
        });
    }

    private static float[] floats(Object value) {
        if (value instanceof float[] f) {
            return f;
        }
        if (value instanceof double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        throw new IllegalStateException(
                "an activation array of type " + value.getClass().getSimpleName());
    }

    private List<Map<String, Object>> rows(String query, Map<String, Object> params) {
        return db.executeTransactionally(query, params, result -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            result.forEachRemaining(rows::add);
            return rows;
        });
    }
}
