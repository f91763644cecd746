package hmn.graph;

import hmn.artifacts.ArtifactSet;
import hmn.io.FloatMatrix;
import hmn.schema.Schema;
import hmn.schema.SchemaStatements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import org.neo4j.batchimport.api.input.Input;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;

/**
 * Builds a new graph from an artifact set, its hierarchy and its labels, following cypher/SCHEMA.md: every node and
 * relationship, with the neuron groups and labelled difference sets that {@code hmn.materialize} would write, through
 * Neo4j's offline importer ({@link GraphRecords}, {@link StoreImporter}); then the schema in the opened store.
 */
public final class GraphWriter {

    private final ArtifactSet set;
    private final Hierarchy hierarchy;
    private final Labelling labelling;
    private final ImportOptions options;
    private final Map<String, String> excluded;
    private final String generation = UUID.randomUUID().toString();

    /** Counts and timings of one import. */
    public record Summary(String generation, long images, long clusters, long levels, long neurons, long activates,
            long contains, long captions, Map<String, Object> materialize, long writeMillis, long schemaMillis,
            long materializeMillis) {}

    public GraphWriter(ArtifactSet set, Hierarchy hierarchy, Labelling labelling, ImportOptions options) {
        this(set, hierarchy, labelling, options, Map.of());
    }

    /** @param excluded images the activations hold but the import leaves out, with why: skipped Image nodes */
    public GraphWriter(ArtifactSet set, Hierarchy hierarchy, Labelling labelling, ImportOptions options,
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
        GraphRecords records = new GraphRecords(set, hierarchy, labelling, options, generation, excluded);
        try (ProgressBar bar = hmn.progress.ProgressBars.of("graph %", 100)) {
            StoreImporter.run(home, records.nodes(), records.relationships(), estimates(records), bar::stepTo);
        }
        long t1 = System.nanoTime();
        try (Store store = Store.open(home)) {
            applySchema(store.db());
        }
        long t2 = System.nanoTime();
        return new Summary(generation, set.size(), records.clusterCount(), hierarchy.levels().size(),
                records.neuronCount(), records.activatesCount(), records.containsCount(), records.captionCount(),
                records.materialized(), ms(t1 - t0) - records.materializeMillis(), ms(t2 - t1),
                records.materializeMillis());
    }

    /** Sizes the importer plans its memory by; approximate is fine. */
    private Input.Estimates estimates(GraphRecords records) {
        long floatsPerImage = 0;
        for (FloatMatrix m : set.activations().layers().values()) {
            floatsPerImage += m.cols();
        }
        long nodeProperties = records.nodeCount() * 4 + set.size() * 3L;
        long nodePropertyBytes = set.size() * (floatsPerImage * 4 + 200) + records.captionCount() * 150;
        return Input.knownEstimates(records.nodeCount(), records.relationshipCount(), nodeProperties,
                records.activatesCount() * 2, nodePropertyBytes, records.activatesCount() * 8, records.nodeCount());
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
