package hmn.remote;

import hmn.schema.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;

/**
 * Copies a graph built in a local embedded store into a Neo4j server over Bolt, replacing the server's previous hmn
 * graph. The copy is staged: new nodes carry only the label {@code HmnStaging} (their real labels in a property)
 * and are invisible to hmn's queries until the last step, which deletes the old graph and gives the new nodes their
 * labels. A copy that fails before that step leaves the old graph as it was; its staged nodes are removed by the
 * next copy.
 */
public final class ServerCopy {
    /** The labels of an hmn graph (cypher/SCHEMA.md). */
    public static final Set<String> HMN_LABELS = Set.of(
            Schema.IMAGE,
            Schema.CAPTION,
            Schema.CLUSTER,
            Schema.LEVEL,
            Schema.LAYER,
            Schema.NEURON,
            Schema.DIFFERENCE_SET,
            Schema.MODEL,
            Schema.META);

    private static final String STAGING = "HmnStaging";
    private static final String KEY = "_hmnCopyId";
    private static final String LABELS = "_hmnLabels";
    private static final int BATCH = 5_000;

    /** Counts of what was copied. */
    public record Result(long nodes, long relationships, long millis) {}

    private final Driver driver;
    private final String database;
    private final Set<String> labelSets = new TreeSet<>();

    public ServerCopy(Driver driver, String database) {
        this.driver = driver;
        this.database = database;
    }

    /** Applies the schema statements (idempotent: {@code IF NOT EXISTS}). */
    public void applySchema(List<String> statements) {
        try (Session session = session()) {
            for (String statement : statements) {
                session.run(statement).consume();
            }
        }
    }

    public Result copy(GraphDatabaseService source, LongConsumer progress) {
        long start = System.nanoTime();
        try (Session session = session()) {
            session.run("CREATE INDEX hmn_staging_key IF NOT EXISTS FOR (n:" + STAGING + ") ON (n." + KEY + ")")
                    .consume();
            session.run("CALL db.awaitIndexes(300)").consume();
        }
        deleteInBatches("MATCH (n:" + STAGING + ")");
        long nodes = copyNodes(source, progress);
        long relationships = copyRelationships(source, progress);
        String oldGraph = String.join(
                " OR ", HMN_LABELS.stream().map(l -> "n:" + l).sorted().toList());
        deleteInBatches("MATCH (n) WHERE (" + oldGraph + ") AND NOT n:" + STAGING);
        try (Session session = session()) {
            for (String labels : labelSets) {
                String set = labels.isEmpty() ? "" : "SET n:" + String.join(":", quoteAll(labels.split(":"))) + " ";
                long done;
                do {
                    done = session.executeWrite(tx -> tx.run(
                                    "MATCH (n:" + STAGING + " {" + LABELS + ": $labels}) "
                                            + "WITH n LIMIT $batch " + set + "REMOVE n:" + STAGING + ", n." + KEY
                                            + ", n." + LABELS
                                            + " RETURN count(*) AS c",
                                    Map.of("labels", labels, "batch", BATCH))
                            .single()
                            .get("c")
                            .asLong());
                } while (done > 0);
            }
        }
        return new Result(nodes, relationships, (System.nanoTime() - start) / 1_000_000);
    }

    private long copyNodes(GraphDatabaseService source, LongConsumer progress) {
        Map<String, List<Map<String, Object>>> byLabels = new HashMap<>();
        long count = 0;
        try (Transaction tx = source.beginTx();
                Session session = session()) {
            for (Node node : tx.getAllNodes()) {
                Set<String> labels = new TreeSet<>();
                for (Label label : node.getLabels()) {
                    labels.add(label.name());
                }
                String key = String.join(":", labels);
                labelSets.add(key);
                List<Map<String, Object>> rows = byLabels.computeIfAbsent(key, k -> new ArrayList<>());
                Map<String, Object> props = new LinkedHashMap<>(node.getAllProperties());
                rows.add(Map.of("id", node.getElementId(), "props", props));
                if (rows.size() == BATCH) {
                    count += writeNodes(session, key, rows);
                    rows.clear();
                    progress.accept(count);
                }
            }
            for (Map.Entry<String, List<Map<String, Object>>> e : byLabels.entrySet()) {
                if (!e.getValue().isEmpty()) {
                    count += writeNodes(session, e.getKey(), e.getValue());
                    progress.accept(count);
                }
            }
        }
        return count;
    }

    private long writeNodes(Session session, String labels, List<Map<String, Object>> rows) {
        // staged nodes carry only the staging label (the real labels would clash with the old graph's unique ids)
        String query = "UNWIND $rows AS row CREATE (n:" + STAGING + ") SET n = row.props, n." + KEY + " = row.id, n."
                + LABELS + " = $labels";
        List<Map<String, Object>> copy = List.copyOf(rows);
        session.executeWrite(
                tx -> tx.run(query, Map.of("rows", copy, "labels", labels)).consume());
        return rows.size();
    }

    private long copyRelationships(GraphDatabaseService source, LongConsumer progress) {
        Map<String, List<Map<String, Object>>> byType = new HashMap<>();
        long count = 0;
        try (Transaction tx = source.beginTx();
                Session session = session()) {
            for (Relationship rel : tx.getAllRelationships()) {
                String type = rel.getType().name();
                List<Map<String, Object>> rows = byType.computeIfAbsent(type, k -> new ArrayList<>());
                rows.add(Map.of(
                        "from",
                        rel.getStartNode().getElementId(),
                        "to",
                        rel.getEndNode().getElementId(),
                        "props",
                        rel.getAllProperties()));
                if (rows.size() == BATCH) {
                    count += writeRelationships(session, type, rows);
                    rows.clear();
                    progress.accept(count);
                }
            }
            for (Map.Entry<String, List<Map<String, Object>>> e : byType.entrySet()) {
                if (!e.getValue().isEmpty()) {
                    count += writeRelationships(session, e.getKey(), e.getValue());
                    progress.accept(count);
                }
            }
        }
        return count;
    }

    private static long writeRelationships(Session session, String type, List<Map<String, Object>> rows) {
        String query = "UNWIND $rows AS row MATCH (a:" + STAGING + " {" + KEY + ": row.from}) "
                + "MATCH (b:" + STAGING + " {" + KEY + ": row.to}) CREATE (a)-[r:" + quote(type) + "]->(b) "
                + "SET r = row.props";
        List<Map<String, Object>> copy = List.copyOf(rows);
        session.executeWrite(tx -> tx.run(query, Map.of("rows", copy)).consume());
        return rows.size();
    }

    private void deleteInBatches(String match) {
        try (Session session = session()) {
            long deleted;
            do {
                deleted = session.executeWrite(tx -> tx.run(
                                match + " WITH n LIMIT $batch DETACH DELETE n RETURN " + "count(*) AS c",
                                Map.of("batch", BATCH))
                        .single()
                        .get("c")
                        .asLong());
            } while (deleted > 0);
        }
    }

    private Session session() {
        return driver.session(SessionConfig.forDatabase(database));
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String[] quoteAll(String[] names) {
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = quote(names[i]);
        }
        return out;
    }
}
