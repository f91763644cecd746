package hmn.neuron;

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

class NeuronProceduresTest {

    static Neo4jForTests db;

    @BeforeAll
    static void start() {
        db = Neo4jForTests.start();
        Fixtures.small("neuron-test").write(db.neo4j.defaultDatabaseService(), 100);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    static List<String> rows(String query, String... columns) {
        return db.rows(query, Map.of(), columns);
    }

    @Test
    void should_list_the_concepts_using_a_neuron_with_caption_and_support() {
        assertThat(rows("CALL hmn.neuron.concepts('layer1', 7, {top: 0.25})", "cluster", "level", "caption", "support"))
                .containsExactly("L1-2 1 concept L1-2 1.0", "L2-1 2 concept L2-1 1.0");
    }

    @Test
    void should_order_concepts_by_level_then_support() {
        assertThat(rows("CALL hmn.neuron.concepts('layer1', 1, {top: 0.25})", "cluster"))
                .containsExactly("L1-1", "L1-2", "L1-0", "L2-1", "L2-0", "L3-0");
    }

    @Test
    void should_find_the_concepts_of_support_mode() {
        assertThat(rows("CALL hmn.neuron.concepts('layer1', 0, {top: 0.25, mode: 'support'})", "cluster"))
                .containsExactly("L1-0", "L2-0");
    }

    @Test
    void should_give_the_images_that_excite_a_neuron_most() {
        assertThat(rows("CALL hmn.neuron.topImages('layer1', 1, 3) YIELD image RETURN image", "image"))
                .containsExactly("img/8.jpg", "img/7.jpg", "img/6.jpg");
        assertThat(rows("CALL hmn.neuron.topImages('layer1', 7, 1)", "activation"))
                .containsExactly(String.valueOf((double) (8 + 9 / 100f)));
    }

    @Test
    void should_give_ten_images_by_default() {
        assertThat(rows("CALL hmn.neuron.topImages('layer2', 0)", "image"))
                .hasSize(10)
                .startsWith("img/3.jpg");
    }

    @Test
    void should_reject_a_neuron_out_of_range() {
        assertError("CALL hmn.neuron.topImages('layer1', 8, 3)", "neuron must be in [0, 7] for layer 'layer1', got 8");
        assertError("CALL hmn.neuron.concepts('layer2', -1)", "neuron must be in [0, 3] for layer 'layer2', got -1");
    }

    @Test
    void should_reject_k_below_one() {
        assertError("CALL hmn.neuron.topImages('layer1', 1, 0)", "k must be >= 1, got 0");
    }

    @Test
    void should_name_the_known_layers_for_an_unknown_layer() {
        assertError(
                "CALL hmn.neuron.concepts('layer9', 1)",
                "layer 'layer9' is not analysed; known layers: [layer1, layer2]");
        assertError(
                "CALL hmn.neuron.topImages('fc', 1, 1)", "layer 'fc' is not analysed; known layers: [layer1, layer2]");
    }

    @Test
    void should_reject_a_config_layer_that_differs_from_the_argument() {
        assertError(
                "CALL hmn.neuron.concepts('layer1', 1, {layer: 'layer2'})",
                "config layer 'layer2' differs from the layer argument 'layer1'; leave layer out of the config");
    }

    @Test
    void should_reject_a_bad_top() {
        assertError("CALL hmn.neuron.concepts('layer1', 1, {top: 2})", "top must be in (0, 1], got 2");
    }

    static void assertError(String query, String message) {
        assertThatThrownBy(() -> rows(query))
                .isInstanceOf(ClientException.class)
                .hasMessageEndingWith(message);
    }
}
