package hmn.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.testing.Fixtures;
import hmn.testing.Neo4jForTests;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Session;

/** The per-database cache: refreshed when the generation changes, consistent under concurrent callers. */
class SnapshotsTest {

    static Neo4jForTests db;

    @BeforeAll
    static void start() {
        db = Neo4jForTests.start();
        Fixtures.small("snapshot-test-1").write(db.neo4j.defaultDatabaseService(), 100);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    static List<Long> neurons(String query) {
        try (Session session = db.driver.session()) {
            return session.run(query).list(r -> r.get("neuron").asLong());
        }
    }

    @Test
    void should_read_the_graph_again_when_the_generation_changes() {
        // given a cached answer
        String query = "CALL hmn.cluster.sharedNeurons('L1-2', {layer: 'layer1', top: 0.25})";
        assertThat(neurons(query)).containsExactly(1L, 7L);

        // when the importer rewrites the activations of L1-2's images and moves the generation on
        try (Session session = db.driver.session()) {
            session.run("MATCH (:Cluster {id: 'L1-2'})-[:CONTAINS]->(i:Image) "
                            + "SET i.act_layer1 = [0.0, 0.0, 0.0, 5.0, 6.0, 0.0, 0.0, 0.0]")
                    .consume();
            session.run("MATCH (m:HmnMeta) SET m.generation = 'snapshot-test-2'")
                    .consume();
        }

        // then
        assertThat(neurons(query)).containsExactly(3L, 4L);
    }

    @Test
    void should_answer_concurrent_callers_with_the_same_groups_as_one_caller() throws Exception {
        // given
        List<String> queries = new ArrayList<>();
        for (String cluster : List.of("L1-0", "L1-1", "L2-0", "L3-0")) {
            for (String config : List.of("{top: 0.25}", "{top: 0.5, mode: 'support'}", "{support: 0.3}", "{}")) {
                queries.add("CALL hmn.cluster.sharedNeurons('" + cluster + "', " + config + ")");
            }
        }
        List<List<Long>> expected = new ArrayList<>();
        for (String query : queries) {
            expected.add(neurons(query));
        }
        Snapshots.clear();

        // when 8 clients ask at once, starting from an empty cache
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<List<List<Long>>>> answers = new ArrayList<>();
        for (int client = 0; client < 8; client++) {
            answers.add(pool.submit(() -> {
                List<List<Long>> got = new ArrayList<>();
                for (String query : queries) {
                    got.add(neurons(query));
                }
                return got;
            }));
        }

        // then
        for (Future<List<List<Long>>> answer : answers) {
            assertThat(answer.get()).isEqualTo(expected);
        }
        pool.shutdown();
    }
}
