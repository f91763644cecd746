package hmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.testing.Neo4jForTests;
import hmn.testing.TestGraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.ClientException;

/** hmn.materialize on a random 3-level graph; the tests run in any order, each materialising what it checks. */
class MaterializeProcedureTest {

    static Neo4jForTests db;

    @BeforeAll
    static void start() {
        db = Neo4jForTests.start();
        Map<String, Integer> layers = new LinkedHashMap<>();
        layers.put("layer3", 64);
        layers.put("layer4", 40);
        TestGraph.random(11, 300, layers, new int[] {24, 6, 2}).write(db.neo4j.defaultDatabaseService(), 100);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    static List<Record> run(String query) {
        try (Session session = db.driver.session()) {
            return session.run(query).list();
        }
    }

    static Set<String> set(String query) {
        Set<String> out = new TreeSet<>();
        for (Record r : run(query)) {
            out.add(r.get(0).asString());
        }
        return out;
    }

    @Test
    void should_write_the_groups_that_the_procedures_compute_for_the_defaults() {
        // when
        Record result = run("CALL hmn.materialize({})").get(0);

        // then every USES edge matches sharedNeurons, with the same support
        Set<String> materialised = set("MATCH (c:Cluster)-[u:USES]->(n:Neuron) "
                + "RETURN c.id + ' ' + n.id + ' ' + u.layer + ' ' + toString(u.support)");
        Set<String> onDemand = set("MATCH (c:Cluster) CALL hmn.cluster.sharedNeurons(c) YIELD layer, neuron, support "
                + "RETURN c.id + ' ' + layer + ':' + toString(neuron) + ' ' + layer + ' ' + toString(support)");
        assertThat(materialised).isNotEmpty().isEqualTo(onDemand);
        assertThat(result.get("uses").asLong()).isEqualTo(materialised.size());
        assertThat(result.get("clusters").asLong()).isEqualTo(24 + 6 + 2);
        assertThat(result.get("layers").asList()).containsExactly("layer3", "layer4");
        // and every USES edge carries the neuron's statistics in its cluster, as hmn.cluster.stats gives them
        Set<String> edgeStats = set("MATCH (c:Cluster)-[u:USES]->(n:Neuron) RETURN c.id + ' ' + n.id + ' ' "
                + "+ toString(u.baseRate) + ' ' + coalesce(toString(u.lift), '-') + ' ' + toString(u.p) + ' ' "
                + "+ toString(u.q)");
        Set<String> onDemandStats = set("MATCH (c:Cluster) CALL hmn.cluster.stats(c, {groupOnly: true}) "
                + "YIELD layer, neuron, baseRate, lift, p, q RETURN c.id + ' ' + layer + ':' + toString(neuron) + ' ' "
                + "+ toString(baseRate) + ' ' + coalesce(toString(lift), '-') + ' ' + toString(p) + ' ' "
                + "+ toString(q)");
        assertThat(edgeStats).isEqualTo(onDemandStats);
    }

    @Test
    void should_write_the_difference_sets_that_the_procedures_compute_for_the_defaults() {
        // when
        Record result = run("CALL hmn.materialize()").get(0);

        // then
        Set<String> materialised = set("MATCH (c:Cluster)-[d:DIFFERS_BY]->(s:DifferenceSet)-[:INCLUDES]->(n:Neuron), "
                + "(s)-[:AGAINST]->(p:Cluster) WHERE d.parent = p.id AND s.parent = p.id AND s.child = c.id "
                + "RETURN c.id + ' ' + n.id + ' ' + p.id");
        Set<String> onDemand = set("MATCH (c:Cluster) CALL hmn.cluster.differenceNeurons(c) "
                + "YIELD layer, neuron, parent RETURN c.id + ' ' + layer + ':' + toString(neuron) + ' ' + parent");
        assertThat(materialised).isNotEmpty().isEqualTo(onDemand);
        assertThat(result.get("differenceSets").asLong()).isEqualTo(24 + 6);
        assertThat(result.get("differenceNeurons").asLong()).isEqualTo(materialised.size());
        assertThat(run("MATCH (s:DifferenceSet) WHERE s.size <> COUNT { (s)-[:INCLUDES]->() } RETURN s"))
                .isEmpty();
    }

    @Test
    void should_replace_the_edges_of_the_layer_whose_config_changes_and_keep_the_others() {
        // given
        run("CALL hmn.materialize({})");
        Set<String> layer3Before = set("MATCH (c:Cluster)-[u:USES]->(n:Neuron {layer: 'layer3'}) "
                + "RETURN c.id + ' ' + n.id + ' ' + toString(u.support)");
        Set<String> layer3DifferencesBefore =
                set("MATCH (s:DifferenceSet)-[:INCLUDES]->(n:Neuron {layer: 'layer3'}) " + "RETURN s.id + ' ' + n.id");

        // when
        run("CALL hmn.materialize({layer: 'layer4', top: 0.2, support: 0.6, mode: 'support'})");

        // then layer4's edges follow the new config
        Set<String> materialised =
                set("MATCH (c:Cluster)-[u:USES]->(n:Neuron {layer: 'layer4'}) RETURN c.id + ' ' + n.id");
        Set<String> onDemand = set("MATCH (c:Cluster) CALL hmn.cluster.sharedNeurons(c, "
                + "{layer: 'layer4', top: 0.2, support: 0.6, mode: 'support'}) YIELD layer, neuron "
                + "RETURN c.id + ' ' + layer + ':' + toString(neuron)");
        assertThat(materialised).isEqualTo(onDemand);
        // and layer3's are as they were
        assertThat(set("MATCH (c:Cluster)-[u:USES]->(n:Neuron {layer: 'layer3'}) "
                        + "RETURN c.id + ' ' + n.id + ' ' + toString(u.support)"))
                .isNotEmpty()
                .isEqualTo(layer3Before);
        assertThat(set("MATCH (s:DifferenceSet)-[:INCLUDES]->(n:Neuron {layer: 'layer3'}) RETURN s.id + ' ' + n.id"))
                .isEqualTo(layer3DifferencesBefore);
        assertThat(run("MATCH (s:DifferenceSet) WHERE s.size <> COUNT { (s)-[:INCLUDES]->() } RETURN s"))
                .isEmpty();
        Record meta = run("MATCH (m:HmnMeta) RETURN m").get(0);
        assertThat(meta.get("m").get("top").asDouble()).isEqualTo(0.2);
        assertThat(meta.get("m").get("support").asDouble()).isEqualTo(0.6);
        assertThat(meta.get("m").get("mode").asString()).isEqualTo("support");
        assertThat(meta.get("m").get("layers").asList()).containsExactly("layer3", "layer4");
        Record layer4 = run("MATCH (l:Layer {name: 'layer4'}) RETURN l").get(0);
        assertThat(layer4.get("l").get("groupTop").asDouble()).isEqualTo(0.2);
        assertThat(layer4.get("l").get("groupMode").asString()).isEqualTo("support");
        Record layer3 = run("MATCH (l:Layer {name: 'layer3'}) RETURN l").get(0);
        assertThat(layer3.get("l").get("groupTop").asDouble()).isEqualTo(0.1);
    }

    @Test
    void should_leave_the_edges_in_place_when_the_config_is_the_same() {
        // given
        Record first = run("CALL hmn.materialize({})").get(0);
        String before =
                set("MATCH (c)-[r:USES|INCLUDES]->(n) RETURN elementId(r)").toString();

        // when
        Record again = run("CALL hmn.materialize({})").get(0);

        // then
        assertThat(again.get("relationshipsCreated").asLong()).isZero();
        assertThat(again.get("relationshipsDeleted").asLong()).isZero();
        assertThat(again.get("uses").asLong()).isEqualTo(first.get("uses").asLong());
        assertThat(set("MATCH (c)-[r:USES|INCLUDES]->(n) RETURN elementId(r)").toString())
                .isEqualTo(before);
    }

    @Test
    void should_create_every_neuron_of_the_layers_once() {
        // when
        run("CALL hmn.materialize({})");
        run("CALL hmn.materialize({})");

        // then
        assertThat(run("MATCH (l:Layer)-[:HAS_NEURON]->(n:Neuron) WHERE n.layer = l.name "
                        + "AND n.id = l.name + ':' + toString(n.index) RETURN n"))
                .hasSize(64 + 40);
        assertThat(run("MATCH (n:Neuron) RETURN n")).hasSize(64 + 40);
        assertThat(run("MATCH (s:DifferenceSet) RETURN s")).hasSize(24 + 6);
        assertThat(run("MATCH (c:Cluster)-[d:DIFFERS_BY]->(:DifferenceSet) WITH c, count(d) AS n WHERE n > 1 RETURN c"))
                .isEmpty();
    }

    @Test
    void should_keep_an_existing_description() {
        // given
        run("CALL hmn.materialize({})");
        run("MATCH (s:DifferenceSet {id: 'L1-3'}) SET s.description = 'snowy forest'");

        // when
        run("CALL hmn.materialize({support: 0.4})");

        // then
        Record r = run("MATCH (:Cluster {id: 'L1-3'})-[d:DIFFERS_BY]->(s:DifferenceSet) RETURN d, s")
                .get(0);
        assertThat(r.get("s").get("description").asString()).isEqualTo("snowy forest");
        assertThat(r.get("d").get("description").asString()).isEqualTo("snowy forest");
    }

    @Test
    void should_reject_a_bad_config_before_writing() {
        assertThatThrownBy(() -> run("CALL hmn.materialize({top: 0})"))
                .isInstanceOf(ClientException.class)
                .hasMessageEndingWith("top must be in (0, 1], got 0");
    }
}
