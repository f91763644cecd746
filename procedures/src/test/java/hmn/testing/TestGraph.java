package hmn.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Transaction;

/**
 * An hmn graph as the importer writes it (cypher/SCHEMA.md): Layer, Image (with activation arrays), Level,
 * Cluster (nested partitions, ids "L{level}-{label}"), CONTAINS, HmnMeta. Generated directly for tests and
 * benchmarks.
 *
 * @param labels labels[image][level - 1]: the image's cluster label at each level (nested partitions)
 */
public record TestGraph(List<String> imageIds, Map<String, float[][]> layers, int[][] labels, String generation) {

    static final Label IMAGE = Label.label("Image");
    static final Label CLUSTER = Label.label("Cluster");
    static final Label LEVEL = Label.label("Level");
    static final Label LAYER = Label.label("Layer");
    static final RelationshipType CONTAINS = RelationshipType.withName("CONTAINS");

    public int levels() {
        return labels.length == 0 ? 0 : labels[0].length;
    }

    public static String clusterId(int level, int label) {
        return "L" + level + "-" + label;
    }

    public static String caption(int level, int label) {
        return "concept " + clusterId(level, label);
    }

    /** Writes the graph, committing every {@code batch} images. */
    public void write(GraphDatabaseService db, int batch) {
        try (Transaction tx = db.beginTx()) {
            tx.execute("CREATE CONSTRAINT image_id IF NOT EXISTS FOR (n:Image) REQUIRE n.id IS UNIQUE");
            tx.execute("CREATE CONSTRAINT cluster_id IF NOT EXISTS FOR (n:Cluster) REQUIRE n.id IS UNIQUE");
            tx.execute("CREATE CONSTRAINT neuron_id IF NOT EXISTS FOR (n:Neuron) REQUIRE n.id IS UNIQUE");
            tx.execute("CREATE CONSTRAINT layer_name IF NOT EXISTS FOR (n:Layer) REQUIRE n.name IS UNIQUE");
            tx.execute(
                    "CREATE CONSTRAINT difference_set_id IF NOT EXISTS FOR (n:DifferenceSet) REQUIRE n.id IS UNIQUE");
            tx.commit();
        }
        List<String> imageElements = new ArrayList<>();
        Transaction tx = db.beginTx();
        try {
            for (String name : layers.keySet()) {
                Node layer = tx.createNode(LAYER);
                layer.setProperty("name", name);
                layer.setProperty("channels", (long) layers.get(name)[0].length);
                layer.setProperty("property", "act_" + name);
            }
            for (int i = 0; i < imageIds.size(); i++) {
                Node image = tx.createNode(IMAGE);
                image.setProperty("id", imageIds.get(i));
                image.setProperty("row", (long) i);
                for (Map.Entry<String, float[][]> layer : layers.entrySet()) {
                    image.setProperty("act_" + layer.getKey(), layer.getValue()[i]);
                }
                imageElements.add(image.getElementId());
                if ((i + 1) % batch == 0) {
                    tx.commit();
                    tx.close();
                    tx = db.beginTx();
                }
            }
            // clusters level by level: id -> (label, images)
            List<Map<Integer, List<Integer>>> members = new ArrayList<>();
            for (int level = 1; level <= levels(); level++) {
                Map<Integer, List<Integer>> byLabel = new TreeMap<>();
                for (int i = 0; i < labels.length; i++) {
                    byLabel.computeIfAbsent(labels[i][level - 1], x -> new ArrayList<>())
                            .add(i);
                }
                members.add(byLabel);
            }
            Map<String, String> clusterElements = new LinkedHashMap<>();
            for (int level = levels(); level >= 1; level--) {
                Node levelNode = tx.createNode(LEVEL);
                levelNode.setProperty("number", (long) level);
                levelNode.setProperty("clusters", (long) members.get(level - 1).size());
                int written = 0;
                for (Map.Entry<Integer, List<Integer>> cluster :
                        members.get(level - 1).entrySet()) {
                    int label = cluster.getKey();
                    List<Integer> images = cluster.getValue();
                    Node node = tx.createNode(CLUSTER);
                    node.setProperty("id", clusterId(level, label));
                    node.setProperty("level", (long) level);
                    node.setProperty("label", (long) label);
                    node.setProperty("size", (long) images.size());
                    node.setProperty("caption", caption(level, label));
                    levelNode.createRelationshipTo(node, CONTAINS);
                    if (level < levels()) {
                        int parentLabel = labels[images.get(0)][level];
                        tx.getNodeByElementId(clusterElements.get(clusterId(level + 1, parentLabel)))
                                .createRelationshipTo(node, CONTAINS);
                    }
                    if (level == 1) {
                        for (int image : images) {
                            node.createRelationshipTo(tx.getNodeByElementId(imageElements.get(image)), CONTAINS);
                        }
                    }
                    clusterElements.put(clusterId(level, label), node.getElementId());
                    written += images.size() / 8 + 1;
                    if (written >= batch) {
                        String levelElement = levelNode.getElementId();
                        tx.commit();
                        tx.close();
                        tx = db.beginTx();
                        levelNode = tx.getNodeByElementId(levelElement);
                        written = 0;
                    }
                }
            }
            Node meta = tx.createNode(Label.label("HmnMeta"));
            meta.setProperty("generation", generation);
            tx.commit();
        } finally {
            tx.close();
        }
    }

    /**
     * A random graph with structure: each image's activations are uniform noise plus a boost on the "prototype"
     * channels of each of its clusters, so that groups exist at every level.
     *
     * @param clustersPerLevel the number of clusters at level 1, 2, ... (each a multiple-free partition: the
     *     level-(l+1) label of a level-l cluster j is j % clustersPerLevel[l])
     */
    public static TestGraph random(long seed, int images, Map<String, Integer> layerChannels, int[] clustersPerLevel) {
        Random random = new Random(seed);
        int levels = clustersPerLevel.length;
        int[][] labels = new int[images][levels];
        for (int i = 0; i < images; i++) {
            labels[i][0] = i < clustersPerLevel[0] ? i : random.nextInt(clustersPerLevel[0]);
            for (int l = 1; l < levels; l++) {
                labels[i][l] = labels[i][l - 1] % clustersPerLevel[l];
            }
        }
        Map<String, float[][]> layers = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> layer : layerChannels.entrySet()) {
            int channels = layer.getValue();
            int prototype = Math.max(1, channels / 20);
            int[][][] prototypes = new int[levels][][];
            for (int l = 0; l < levels; l++) {
                prototypes[l] = new int[clustersPerLevel[l]][prototype];
                for (int c = 0; c < clustersPerLevel[l]; c++) {
                    for (int p = 0; p < prototype; p++) {
                        prototypes[l][c][p] = random.nextInt(channels);
                    }
                }
            }
            float[][] values = new float[images][channels];
            for (int i = 0; i < images; i++) {
                for (int ch = 0; ch < channels; ch++) {
                    values[i][ch] = random.nextFloat();
                }
                for (int l = 0; l < levels; l++) {
                    for (int ch : prototypes[l][labels[i][l]]) {
                        values[i][ch] += 0.6f + 0.2f * random.nextFloat();
                    }
                }
            }
            layers.put(layer.getKey(), values);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            ids.add("images/" + i + ".jpg");
        }
        return new TestGraph(ids, layers, labels, "seed-" + seed + "-" + System.nanoTime());
    }
}
