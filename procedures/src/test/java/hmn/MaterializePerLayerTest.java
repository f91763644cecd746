package hmn;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.testing.Neo4jForTests;
import hmn.testing.TestGraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

/** hmn.materialize one layer at a time on a graph of four layers: each call leaves the other layers' edges alone. */
class MaterializePerLayerTest {

    static final List<String> LAYERS = List.of("layer1", "layer2", "layer3", "layer4");

    Neo4jForTests db;

    @BeforeEach
    void start() {
        db = Neo4jForTests.start();
        Map<String, Integer> layers = new LinkedHashMap<>();
        layers.put("layer1", 16);
        layers.put("layer2", 24);
        layers.put("layer3", 32);
        layers.put("layer4", 40);
        TestGraph.random(5, 200, layers, new int[] {16, 4, 2}).write(db.neo4j.defaultDatabaseService(), 100);
    }

    @AfterEach
    void stop() {
        db.close();
    }

    List<Record> run(String query) {
        try (Session session = db.driver.session()) {
            return session.run(query).list();
        }
    }

    /** Every USES and INCLUDES edge, with its properties, as one sorted set of lines. */
    Set<String> edges() {
        Set<String> out = new TreeSet<>();
        for (Record r : run("MATCH (c:Cluster)-[u:USES]->(n:Neuron) "
                + "RETURN 'USES ' + c.id + ' ' + n.id + ' ' + u.layer + ' ' + toString(u.support)")) {
            out.add(r.get(0).asString());
        }
        for (Record r : run("MATCH (c:Cluster)-[:DIFFERS_BY]->(s:DifferenceSet)-[:INCLUDES]->(n:Neuron) "
                + "RETURN 'INCLUDES ' + c.id + ' ' + s.id + ' ' + n.id")) {
            out.add(r.get(0).asString());
        }
        for (Record r : run("MATCH (s:DifferenceSet) RETURN 'SIZE ' + s.id + ' ' + toString(s.size)")) {
            out.add(r.get(0).asString());
        }
        return out;
    }

    @Test
    void should_give_the_same_edges_layer_by_layer_as_all_at_once() {
        // given each layer materialised alone, in turn
        for (String layer : LAYERS) {
            run("CALL hmn.materialize({layer: '" + layer + "'})");
        }
        Set<String> oneByOne = edges();

        // when all layers are materialised in one call
        Record all = run("CALL hmn.materialize({})").get(0);

        // then nothing changes, and every layer has edges
        assertThat(all.get("relationshipsCreated").asLong()).isZero();
        assertThat(all.get("relationshipsDeleted").asLong()).isZero();
        assertThat(edges()).isEqualTo(oneByOne);
        for (String layer : LAYERS) {
            assertThat(oneByOne).anyMatch(line -> line.startsWith("USES ") && line.contains(" " + layer + ":"));
        }
        assertThat(run("MATCH (m:HmnMeta) RETURN m.layers AS layers")
                        .get(0)
                        .get("layers")
                        .asList())
                .containsExactlyElementsOf(LAYERS);
    }

    @Test
    void should_keep_the_other_layers_when_one_layer_is_materialised_again() {
        // given every layer materialised
        run("CALL hmn.materialize({})");
        Set<String> before = edges();

        for (String layer : LAYERS) {
            // when one layer is materialised alone, with the same config
            Record result =
                    run("CALL hmn.materialize({layer: '" + layer + "'})").get(0);

            // then no edge of any layer changes, and the concepts of another layer's neuron still answer
            assertThat(result.get("relationshipsDeleted").asLong()).as(layer).isZero();
            assertThat(edges()).as(layer).isEqualTo(before);
        }
        String other = before.stream()
                .filter(line -> line.startsWith("USES ") && line.contains(" layer4:"))
                .findFirst()
                .orElseThrow()
                .split(" ")[2];
        run("CALL hmn.materialize({layer: 'layer3', top: 0.3})");
        assertThat(run("MATCH (c:Cluster)-[:USES]->(:Neuron {id: '" + other + "'}) RETURN c"))
                .isNotEmpty();
    }
}
