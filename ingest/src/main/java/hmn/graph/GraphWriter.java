package hmn.graph;

import hmn.artifacts.ArtifactSet;
import hmn.group.ActivatedSets;
import hmn.group.GroupConfig;
import hmn.group.Hierarchy;
import hmn.group.HierarchyGroups;
import hmn.group.LayerActivations;
import hmn.io.FloatMatrix;
import hmn.labelling.Labelling;
import hmn.schema.Schema;
import hmn.schema.SchemaStatements;
import hmn.server.Store;
import hmn.validity.DifferenceSummaries;
import hmn.validity.UsesStatistics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import me.tongfei.progressbar.ProgressBar;
import org.neo4j.batchimport.api.input.Input;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;

/**
 * Builds a new graph from an artifact set, its hierarchy and its labels, following cypher/SCHEMA.md: every node and
 * relationship, with the neuron groups and labelled difference sets that {@code hmn.materialize} would write, through
 * Neo4j's offline importer ({@link GraphRecords}, {@link StoreImporter}); then the schema in the opened store. The
 * activated sets (ACTIVATES) and the groups come from core's {@code hmn.group}, the code the procedures run.
 */
public final class GraphWriter {

    private final ArtifactSet set;
    private final Hierarchy hierarchy;
    private final Labelling labelling;
    private final ImportOptions options;
    private final Map<String, String> excluded;
    private final String generation = UUID.randomUUID().toString();

    /** Counts and timings of one import. */
    public record Summary(
            String generation,
            long images,
            long clusters,
            long levels,
            long neurons,
            long activates,
            long contains,
            long captions,
            Map<String, Object> materialize,
            long writeMillis,
            long schemaMillis,
            long materializeMillis) {}

    public GraphWriter(ArtifactSet set, Hierarchy hierarchy, Labelling labelling, ImportOptions options) {
        this(set, hierarchy, labelling, options, Map.of());
    }

    /** @param excluded images the activations hold but the import leaves out, with why: skipped Image nodes */
    public GraphWriter(
            ArtifactSet set,
            Hierarchy hierarchy,
            Labelling labelling,
            ImportOptions options,
            Map<String, String> excluded) {
        this.excluded = excluded;
        this.set = set;
        this.hierarchy = hierarchy;
        this.labelling = labelling;
        this.options = options;
    }

    public static String property(String layer) {
        return Schema.activationProperty(layer);
    }

    /**
     * Builds the graph in {@code home}, a DBMS home that holds no database yet: every node and relationship, the
     * materialised neuron groups and labelled difference sets included, through Neo4j's offline importer; then the
     * schema in the opened store.
     */
    public Summary write(Path home) throws IOException {
        long t0 = System.nanoTime();
        GroupConfig config = options.groups();
        List<String> layers = List.copyOf(set.activations().layers().keySet());
        List<FloatMatrix> matrices = List.copyOf(set.activations().layers().values());
        int[][][] activated = rankedSets(set.size(), matrices, config);
        long groupsStart = System.nanoTime();
        List<LayerActivations> activations = IntStream.range(0, layers.size())
                .mapToObj(l -> activations(layers.get(l), matrices.get(l)))
                .toList();
        HierarchyGroups groups = options.supportCounts() == null
                ? HierarchyGroups.compute(hierarchy, activations, config)
                : HierarchyGroups.compute(hierarchy, activations, config, a -> options.supportCounts()
                        .counts(hierarchy, set.images(), a.name(), a.channels(), config));
        UsesStatistics statistics = UsesStatistics.of(hierarchy, groups);
        DifferenceSummaries summaries = DifferenceSummaries.of(hierarchy, groups);
        long groupsMillis = ms(System.nanoTime() - groupsStart);
        GraphRecords records = new GraphRecords(
                set, hierarchy, labelling, options, generation, excluded, activated, groups, statistics, summaries);
        try (ProgressBar bar = hmn.progress.ProgressBars.of("graph %", 100)) {
            StoreImporter.run(home, records.nodes(), records.relationships(), estimates(records), bar::stepTo);
        }
        long t1 = System.nanoTime();
        try (Store store = Store.open(home)) {
            applySchema(store.db());
        }
        long t2 = System.nanoTime();
        return new Summary(
                generation,
                set.size(),
                records.clusterCount(),
                hierarchy.levelCount(),
                records.neuronCount(),
                records.activatesCount(),
                records.containsCount(),
                records.captionCount(),
                records.materialized(groupsMillis),
                ms(t1 - t0) - groupsMillis,
                ms(t2 - t1),
                groupsMillis);
    }

    /** Each image's activated set per layer, strongest first ({@code [image][layer]}), images in parallel. */
    static int[][][] rankedSets(int images, List<FloatMatrix> matrices, GroupConfig config) {
        int[][][] out = new int[images][matrices.size()][];
        IntStream.range(0, images).parallel().forEach(i -> {
            for (int l = 0; l < matrices.size(); l++) {
                FloatMatrix m = matrices.get(l);
                out[i][l] = ActivatedSets.ranked(m.data(), i * m.cols(), m.cols(), config.k(m.cols()));
            }
        });
        return out;
    }

    private static LayerActivations activations(String layer, FloatMatrix m) {
        return new LayerActivations(layer, m.cols(), m.rows(), m.data());
    }

    /** Sizes the importer plans its memory by; approximate is fine. */
    private Input.Estimates estimates(GraphRecords records) {
        long floatsPerImage = 0;
        for (FloatMatrix m : set.activations().layers().values()) {
            floatsPerImage += m.cols();
        }
        long nodeProperties = records.nodeCount() * 4 + set.size() * 3L;
        long nodePropertyBytes = set.size() * (floatsPerImage * 4 + 200) + records.captionCount() * 150;
        return Input.knownEstimates(
                records.nodeCount(),
                records.relationshipCount(),
                nodeProperties,
                records.activatesCount() * 2,
                nodePropertyBytes,
                records.activatesCount() * 8,
                records.nodeCount());
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Runs the statements of classpath hmn/cypher/schema.cypher and waits for the indexes. */
    static void applySchema(GraphDatabaseService db) {
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

    /** The statements of cypher/schema.cypher, read from the class path ({@link SchemaStatements#RESOURCE}). */
    public static List<String> schemaStatements() {
        try (InputStream in = GraphWriter.class.getClassLoader().getResourceAsStream(SchemaStatements.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SchemaStatements.RESOURCE + " is missing from the class path");
            }
            return SchemaStatements.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SchemaStatements.RESOURCE + ": " + e, e);
        }
    }
}
