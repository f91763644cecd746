package hmn.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.testing.Fixtures;
import hmn.testing.Neo4jForTests;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.exceptions.ClientException;

class ClusterProceduresTest {

    static Neo4jForTests db;

    @BeforeAll
    static void start() {
        db = Neo4jForTests.start();
        Fixtures.small("cluster-test").write(db.neo4j.defaultDatabaseService(), 100);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    static List<String> rows(String query, Map<String, Object> parameters, String... columns) {
        return db.rows(query, parameters, columns);
    }

    @Test
    void should_yield_a_level1_group_with_its_support() {
        assertThat(rows(
                        "CALL hmn.cluster.sharedNeurons('L1-0', {top: 0.25, layer: 'layer1'})",
                        Map.of(),
                        "layer",
                        "neuron",
                        "support"))
                .containsExactly("layer1 0 0.75", "layer1 1 0.5");
    }

    @Test
    void should_accept_a_cluster_node() {
        assertThat(rows(
                        "MATCH (c:Cluster {id: 'L1-0'}) "
                                + "CALL hmn.cluster.sharedNeurons(c, {top: 0.25, layer: 'layer1'}) YIELD neuron "
                                + "RETURN neuron",
                        Map.of(),
                        "neuron"))
                .containsExactly("0", "1");
    }

    @Test
    void should_yield_every_analysed_layer_without_a_layer() {
        assertThat(rows("CALL hmn.cluster.sharedNeurons('L1-0', {top: 0.25})", Map.of(), "layer", "neuron"))
                .containsExactly("layer1 0", "layer1 1", "layer2 0");
    }

    @Test
    void should_intersect_the_children_groups_by_default() {
        assertThat(rows(
                        "CALL hmn.cluster.sharedNeurons('L2-0', {top: 0.25, layer: 'layer1'})",
                        Map.of(),
                        "neuron",
                        "support"))
                .containsExactly("1 " + 4 / 7.0);
    }

    @Test
    void should_count_over_all_images_in_support_mode() {
        assertThat(rows(
                        "CALL hmn.cluster.sharedNeurons('L2-0', {top: 0.25, layer: 'layer1', mode: 'support'})",
                        Map.of(),
                        "neuron"))
                .containsExactly("0", "1");
    }

    @Test
    void should_apply_any_support_threshold() {
        assertThat(rows(
                        "CALL hmn.cluster.sharedNeurons('L1-0', {top: 0.25, layer: 'layer1', support: 0.51})",
                        Map.of(),
                        "neuron"))
                .containsExactly("0");
    }

    @Test
    void should_use_the_default_top_when_none_is_given() {
        // given top = 0.10: k = max(1, floor(0.8)) = 1 in layer1, so each image activates its strongest channel
        assertThat(rows("CALL hmn.cluster.sharedNeurons('L1-2', {layer: 'layer1'})", Map.of(), "neuron", "support"))
                .containsExactly("7 1.0");
    }

    @Test
    void should_yield_the_difference_neurons_with_the_parent() {
        assertThat(rows(
                        "CALL hmn.cluster.differenceNeurons('L1-1', {top: 0.25})",
                        Map.of(),
                        "layer",
                        "neuron",
                        "parent"))
                .containsExactly("layer1 5 L2-0", "layer2 1 L2-0");
    }

    @Test
    void should_yield_no_difference_neurons_for_a_top_cluster() {
        assertThat(rows("CALL hmn.cluster.differenceNeurons('L3-0', {top: 0.25})", Map.of(), "neuron"))
                .isEmpty();
    }

    @Test
    void should_compare_two_clusters_by_side() {
        assertThat(rows(
                        "CALL hmn.cluster.compare('L1-0', 'L1-1', {top: 0.25, layer: 'layer1'})",
                        Map.of(),
                        "neuron",
                        "side"))
                .containsExactly("0 a", "1 both", "5 b");
    }

    @Test
    void should_name_key_value_and_range_for_a_bad_top() {
        assertError("CALL hmn.cluster.sharedNeurons('L1-0', {top: 1.5})", "top must be in (0, 1], got 1.5");
    }

    @Test
    void should_name_key_value_and_range_for_a_bad_support() {
        assertError("CALL hmn.cluster.differenceNeurons('L1-0', {support: 0})", "support must be in (0, 1], got 0");
    }

    @Test
    void should_name_the_allowed_modes() {
        assertError(
                "CALL hmn.cluster.compare('L1-0', 'L1-1', {mode: 'x'})",
                "mode must be one of [intersection, support], got 'x'");
    }

    @Test
    void should_reject_an_unknown_config_key() {
        assertError(
                "CALL hmn.cluster.sharedNeurons('L1-0', {suport: 0.5})",
                "unknown config key 'suport'; allowed keys: [layer, top, support, mode, rank]");
    }

    @Test
    void should_name_the_known_layers_for_an_unknown_layer() {
        assertError(
                "CALL hmn.cluster.sharedNeurons('L1-0', {layer: 'layer9'})",
                "layer 'layer9' is not analysed; known layers: [layer1, layer2]");
    }

    @Test
    void should_reject_an_unknown_cluster() {
        assertError("CALL hmn.cluster.sharedNeurons('L1-99999')", "cluster 'L1-99999' not found");
        assertError("CALL hmn.cluster.compare('L1-0', 'L9-0')", "cluster 'L9-0' not found");
    }

    @Test
    void should_reject_a_node_that_is_not_a_cluster() {
        assertError(
                "MATCH (i:Image {id: 'img/0.jpg'}) CALL hmn.cluster.sharedNeurons(i) YIELD neuron RETURN neuron",
                "cluster must be a Cluster node or its id string, got a node with labels [Image]");
    }

    static void assertError(String query, String message) {
        assertThatThrownBy(() -> rows(query, Map.of()))
                .isInstanceOf(ClientException.class)
                .hasMessageEndingWith(message);
    }
}
