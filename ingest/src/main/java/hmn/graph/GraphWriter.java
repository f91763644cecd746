package hmn.graph;

import hmn.artifacts.ArtifactSet;
import hmn.io.FloatMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.TransientFailureException;

/**
 * Writes an artifact set, its hierarchy and its labels into an empty database, following cypher/SCHEMA.md, then
 * materialises the neuron groups and difference sets with {@code hmn.materialize}. Nodes and relationships are
 * created through the embedded API in large transactions; nodes are kept by internal id between transactions.
 */
public final class GraphWriter {
    static final org.neo4j.graphdb.Label IMAGE = org.neo4j.graphdb.Label.label("Image");
    static final org.neo4j.graphdb.Label CAPTION = org.neo4j.graphdb.Label.label("Caption");
    static final org.neo4j.graphdb.Label CLUSTER = org.neo4j.graphdb.Label.label("Cluster");
    static final org.neo4j.graphdb.Label LEVEL = org.neo4j.graphdb.Label.label("Level");
    static final org.neo4j.graphdb.Label LAYER = org.neo4j.graphdb.Label.label("Layer");
    static final org.neo4j.graphdb.Label NEURON = org.neo4j.graphdb.Label.label("Neuron");
    static final org.neo4j.graphdb.Label MODEL = org.neo4j.graphdb.Label.label("Model");
    static final org.neo4j.graphdb.Label META = org.neo4j.graphdb.Label.label("HmnMeta");
    static final RelationshipType CONTAINS = RelationshipType.withName("CONTAINS");
    static final RelationshipType ACTIVATES = RelationshipType.withName("ACTIVATES");
    static final RelationshipType HAS_CAPTION = RelationshipType.withName("HAS_CAPTION");
    static final RelationshipType HAS_NEURON = RelationshipType.withName("HAS_NEURON");

    /** Operations (nodes, relationships, properties) per transaction. */
    static final int BATCH_OPERATIONS = 60_000;

    /**
     * Threads writing images at once (at most the cores). One: on two cores, concurrent writers measured slower
     * (transaction application is serial, and the collector needs the other core).
     */
    static final int WRITERS = 1;

    private final GraphDatabaseService db;
    private final ArtifactSet set;
    private final Hierarchy hierarchy;
    private final Labelling labelling;
    private final ImportOptions options;
    private final List<String> layers;
    private final String generation = UUID.randomUUID().toString();

    /** Counts and timings of one import. */
    public record Summary(String generation, long images, long clusters, long levels, long neurons, long activates,
            long contains, long captions, Map<String, Object> materialize, long writeMillis, long schemaMillis,
            long materializeMillis, long labelMillis) {}

    public GraphWriter(GraphDatabaseService db, ArtifactSet set, Hierarchy hierarchy, Labelling labelling,
            ImportOptions options) {
        this.db = db;
        this.set = set;
        this.hierarchy = hierarchy;
        this.labelling = labelling;
        this.options = options;
        this.layers = List.copyOf(set.activations().layers().keySet());
    }

    public static String property(String layer) {
        return "act_" + layer;
    }

    /** Writes everything; the database must be empty. */
    public Summary write() {
        long t0 = System.nanoTime();
        long[][] neurons = writeVocabulary();
        long[] images = writeImages(neurons);
        long[] counts = writeClusters(images);
        long t1 = System.nanoTime();
        applySchema();
        long t2 = System.nanoTime();
        Map<String, Object> materialized = materialize();
        long t3 = System.nanoTime();
        writeDifferenceLabels();
        long t4 = System.nanoTime();
        long neuronCount = 0;
        for (long[] layer : neurons) {
            neuronCount += layer.length;
        }
        long activates = 0;
        for (FloatMatrix m : set.activations().layers().values()) {
            activates += (long) set.size() * Math.min(m.cols(), TopK.k(options.top(), m.cols()));
        }
        return new Summary(generation, images.length, counts[0], hierarchy.levels().size(), neuronCount, activates,
                counts[1], counts[2] + images.length, materialized, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2),
                ms(t4 - t3));
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private long[][] writeVocabulary() {
        long[][] neurons = new long[layers.size()][];
        try (Transaction tx = db.beginTx()) {
            Node meta = tx.createNode(META);
            meta.setProperty("generation", generation);
            meta.setProperty("top", options.top());
            meta.setProperty("support", options.support());
            meta.setProperty("mode", options.mode());
            meta.setProperty("layers", layers.toArray(new String[0]));
            meta.setProperty("images", set.size());
            meta.setProperty("levels", hierarchy.levels().size());
            meta.setProperty("createdAt", java.time.Instant.now().toString());
            Node model = tx.createNode(MODEL);
            ModelRun run = ModelRun.of(set.activations().dir(), options.model());
            model.setProperty("name", run.name());
            model.setProperty("weights", run.weights());
            model.setProperty("randomWeights", run.randomWeights());
            for (String[] skipped : run.skipped()) {
                Node image = tx.createNode(IMAGE);
                image.setProperty("id", skipped[0]);
                image.setProperty("skipped", skipped[1]);
            }
            for (int l = 0; l < layers.size(); l++) {
                String name = layers.get(l);
                int channels = set.activations().layers().get(name).cols();
                Node layer = tx.createNode(LAYER);
                layer.setProperty("name", name);
                layer.setProperty("channels", channels);
                layer.setProperty("property", property(name));
                layer.setProperty("model", options.model());
                neurons[l] = new long[channels];
                for (int c = 0; c < channels; c++) {
                    Node neuron = tx.createNode(NEURON);
                    neuron.setProperty("id", name + ":" + c);
                    neuron.setProperty("layer", name);
                    neuron.setProperty("index", c);
                    layer.createRelationshipTo(neuron, HAS_NEURON);
                    neurons[l][c] = neuron.getId();
                }
            }
            for (Hierarchy.Level level : hierarchy.levels()) {
                Node node = tx.createNode(LEVEL);
                node.setProperty("number", level.number());
                node.setProperty("clusters", level.clusters().size());
                node.setProperty("synthetic", level.synthetic());
            }
            tx.commit();
        }
        return neurons;
    }

    /** Each image's activated set per layer, strongest first, computed in parallel. */
    private int[][][] activatedSets() {
        List<FloatMatrix> matrices = new ArrayList<>(set.activations().layers().values());
        int[][][] out = new int[set.size()][matrices.size()][];
        IntStream.range(0, set.size()).parallel().forEach(i -> {
            for (int l = 0; l < matrices.size(); l++) {
                FloatMatrix m = matrices.get(l);
                out[i][l] = TopK.activated(m.data(), i * m.cols(), m.cols(), TopK.k(options.top(), m.cols()));
            }
        });
        return out;
    }

    private long[] writeImages(long[][] neuronIds) {
        int n = set.size();
        int[][][] activated = activatedSets();
        int perImage = 20;
        for (int[] a : activated[0]) {
            perImage += a.length * 3;
        }
        int batch = Math.max(1, BATCH_OPERATIONS / perImage);
        long[] ids = new long[n];
        int writers = Math.max(1, Math.min(WRITERS, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(writers, r -> {
            Thread t = new Thread(r, "hmn-graph-writer");
            t.setDaemon(true);
            return t;
        });
        try (ProgressBar bar = Progress.bar("images", n)) {
            List<Future<?>> chunks = new ArrayList<>();
            for (int start = 0; start < n; start += batch) {
                int from = start;
                int to = Math.min(n, start + batch);
                chunks.add(pool.submit(() -> {
                    writeImageChunk(from, to, activated, neuronIds, ids);
                    bar.stepBy(to - from);
                }));
            }
            for (Future<?> chunk : chunks) {
                try {
                    chunk.get();
                } catch (ExecutionException e) {
                    for (Future<?> other : chunks) {
                        other.cancel(true);
                    }
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException("writing images failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while writing images", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return ids;
    }

    /**
     * Writes images {@code [from, to)} in one transaction; concurrent chunks only share Neuron nodes, whose
     * relationships Neo4j inserts concurrently. A transient failure (e.g. a deadlock) retries the chunk.
     */
    /** The image captions' source: the captioner's kind ("blip", "openai", ...), or "import". */
    private String captionSource() {
        String model = options.captionSource();
        return model.contains(":") && !model.startsWith("import:") ? model.substring(0, model.indexOf(':')) : "import";
    }

    private void writeImageChunk(int from, int to, int[][][] activated, long[][] neuronIds, long[] ids) {
        List<FloatMatrix> matrices = new ArrayList<>(set.activations().layers().values());
        String[] properties = layers.stream().map(GraphWriter::property).toArray(String[]::new);
        for (int attempt = 1; ; attempt++) {
            try (Transaction tx = db.beginTx()) {
                Node[][] neurons = new Node[neuronIds.length][];
                for (int l = 0; l < neuronIds.length; l++) {
                    neurons[l] = new Node[neuronIds[l].length];
                }
                for (int i = from; i < to; i++) {
                    Node image = tx.createNode(IMAGE);
                    String id = set.images().get(i);
                    image.setProperty("id", id);
                    image.setProperty("row", i);
                    image.setProperty("caption", set.captions()[i]);
                    for (int l = 0; l < matrices.size(); l++) {
                        image.setProperty(properties[l], matrices.get(l).row(i));
                    }
                    Node caption = tx.createNode(CAPTION);
                    caption.setProperty("id", "image:" + id);
                    caption.setProperty("text", set.captions()[i]);
                    caption.setProperty("kind", "image");
                    caption.setProperty("source", captionSource());
                    caption.setProperty("model", options.captionSource());
                    caption.setProperty("promptVersion", "none");
                    caption.setProperty("offlineDefault", false);
                    image.createRelationshipTo(caption, HAS_CAPTION);
                    for (int l = 0; l < matrices.size(); l++) {
                        int[] channels = activated[i][l];
                        FloatMatrix m = matrices.get(l);
                        for (int r = 0; r < channels.length; r++) {
                            int c = channels[r];
                            Node neuron = neurons[l][c];
                            if (neuron == null) {
                                neuron = tx.getNodeById(neuronIds[l][c]);
                                neurons[l][c] = neuron;
                            }
                            var rel = image.createRelationshipTo(neuron, ACTIVATES);
                            rel.setProperty("value", m.get(i, c));
                            rel.setProperty("rank", r + 1);
                        }
                    }
                    ids[i] = image.getId();
                }
                tx.commit();
                return;
            } catch (TransientFailureException e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    /** Writes levels' clusters and CONTAINS edges; returns {clusters, contains, captions}. */
    private long[] writeClusters(long[] imageIds) {
        Map<String, Long> clusterIds = new HashMap<>();
        long contains = 0;
        long captions = 0;
        Transaction tx = db.beginTx();
        int ops = 0;
        try {
            for (Hierarchy.Level level : hierarchy.levels()) {
                Node levelNode = tx.findNode(LEVEL, "number", level.number());
                String kind = level.number() == 1 ? "representative" : "generalisation";
                for (Hierarchy.Cluster c : level.clusters()) {
                    hmn.label.Label label = labelling.clusters().get(c.id());
                    Node cluster = tx.createNode(CLUSTER);
                    cluster.setProperty("id", c.id());
                    cluster.setProperty("level", c.level());
                    cluster.setProperty("label", c.label());
                    cluster.setProperty("size", c.rows().length);
                    cluster.setProperty("caption", label.text());
                    cluster.setProperty("synthetic", c.synthetic());
                    levelNode.createRelationshipTo(cluster, CONTAINS);
                    Node caption = captionNode(tx, "cluster:" + c.id(), kind, label);
                    cluster.createRelationshipTo(caption, HAS_CAPTION);
                    captions++;
                    contains++;
                    ops += 14;
                    if (level.number() == 1) {
                        for (int row : c.rows()) {
                            cluster.createRelationshipTo(tx.getNodeById(imageIds[row]), CONTAINS);
                        }
                        contains += c.rows().length;
                        ops += c.rows().length;
                    } else {
                        for (String child : c.children()) {
                            cluster.createRelationshipTo(tx.getNodeById(clusterIds.get(child)), CONTAINS);
                        }
                        contains += c.children().size();
                        ops += c.children().size();
                    }
                    clusterIds.put(c.id(), cluster.getId());
                    if (ops >= BATCH_OPERATIONS) {
                        tx.commit();
                        tx.close();
                        tx = db.beginTx();
                        levelNode = tx.findNode(LEVEL, "number", level.number());
                        ops = 0;
                    }
                }
            }
            tx.commit();
        } finally {
            tx.close();
        }
        return new long[] {clusterIds.size(), contains, captions};
    }

    static Node captionNode(Transaction tx, String id, String kind, hmn.label.Label label) {
        Node caption = tx.createNode(CAPTION);
        caption.setProperty("id", id);
        caption.setProperty("text", label.text());
        caption.setProperty("kind", kind);
        caption.setProperty("source", label.source());
        caption.setProperty("model", label.model());
        caption.setProperty("promptVersion", label.promptVersion());
        caption.setProperty("offlineDefault", label.offlineDefault());
        return caption;
    }

    /** Runs the statements of classpath hmn/cypher/schema.cypher and waits for the indexes. */
    void applySchema() {
        for (String statement : schemaStatements()) {
            try (Transaction tx = db.beginTx()) {
                tx.execute(statement).close();
                tx.commit();
            }
        }
        try (Transaction tx = db.beginTx()) {
            tx.schema().awaitIndexesOnline(10, TimeUnit.MINUTES);
        }
    }

    public static List<String> schemaStatements() {
        String text;
        try (InputStream in = GraphWriter.class.getClassLoader().getResourceAsStream("hmn/cypher/schema.cypher")) {
            if (in == null) {
                throw new IllegalStateException("hmn/cypher/schema.cypher is missing from the class path");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read hmn/cypher/schema.cypher: " + e, e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("//")) {
                continue;
            }
            current.append(s).append(' ');
            if (s.endsWith(";")) {
                statements.add(current.substring(0, current.lastIndexOf(";")).strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private Map<String, Object> materialize() {
        Map<String, Object> config = Map.of("top", options.top(), "support", options.support(), "mode", options.mode());
        Map<String, Object> result = new HashMap<>();
        try (Transaction tx = db.beginTx()) {
            try (var rows = tx.execute("CALL hmn.materialize($config)", Map.of("config", config))) {
                while (rows.hasNext()) {
                    result.putAll(rows.next());
                }
            }
            tx.commit();
        }
        return result;
    }

    /**
     * Labels every difference set: the description goes on the DifferenceSet, on its DIFFERS_BY edge and on a Caption
     * node. A child without a difference set from the materialisation gets an empty one, so every child is labelled.
     */
    private void writeDifferenceLabels() {
        org.neo4j.graphdb.Label differenceSet = org.neo4j.graphdb.Label.label("DifferenceSet");
        RelationshipType differsBy = RelationshipType.withName("DIFFERS_BY");
        RelationshipType against = RelationshipType.withName("AGAINST");
        List<Hierarchy.Cluster> children = new ArrayList<>();
        for (Hierarchy.Level level : hierarchy.levels()) {
            for (Hierarchy.Cluster c : level.clusters()) {
                if (c.parent() != null) {
                    children.add(c);
                }
            }
        }
        int chunk = 5_000;
        for (int s = 0; s < children.size(); s += chunk) {
            try (Transaction tx = db.beginTx()) {
                for (Hierarchy.Cluster c : children.subList(s, Math.min(children.size(), s + chunk))) {
                    hmn.label.Label label = labelling.differences().get(c.id());
                    Node cluster = tx.findNode(CLUSTER, "id", c.id());
                    Node set = tx.findNode(differenceSet, "id", c.id());
                    if (set == null) {
                        set = tx.createNode(differenceSet);
                        set.setProperty("id", c.id());
                        set.setProperty("child", c.id());
                        set.setProperty("parent", c.parent());
                        set.setProperty("size", 0);
                        set.createRelationshipTo(tx.findNode(CLUSTER, "id", c.parent()), against);
                    }
                    set.setProperty("description", label.text());
                    org.neo4j.graphdb.Relationship edge = null;
                    for (org.neo4j.graphdb.Relationship r : cluster.getRelationships(
                            org.neo4j.graphdb.Direction.OUTGOING, differsBy)) {
                        if (r.getEndNode().equals(set)) {
                            edge = r;
                        }
                    }
                    if (edge == null) {
                        edge = cluster.createRelationshipTo(set, differsBy);
                    }
                    edge.setProperty("parent", c.parent());
                    edge.setProperty("description", label.text());
                    set.createRelationshipTo(captionNode(tx, "difference:" + c.id(), "difference", label), HAS_CAPTION);
                }
                tx.commit();
            }
        }
    }
}
