package hmn.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import hmn.testing.Neo4jForTests;
import hmn.testing.TestGraph;
import hmn.validity.ExactHypergeometric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.ClientException;

/**
 * hmn.cluster.stats, hmn.cluster.validity and the difference columns on a random graph, against values computed in
 * the test from the graph's own activations by another route: a sort for the activated sets, loops for the counts,
 * exact integer sums for p.
 */
class ClusterStatsTest {
    static final int IMAGES = 240;
    static final int CHANNELS = 40;
    static Neo4jForTests db;
    static TestGraph graph;

    @BeforeAll
    static void start() {
        db = Neo4jForTests.start();
        Map<String, Integer> layers = new LinkedHashMap<>();
        layers.put("layer4", CHANNELS);
        graph = TestGraph.random(23, IMAGES, layers, new int[] {10, 3});
        graph.write(db.neo4j.defaultDatabaseService(), 100);
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

    /** The k = floor(0.1 * 40) = 4 strongest channels of each image, ties to the lower index, by sorting. */
    static boolean[][] activated() {
        float[][] values = graph.layers().get("layer4");
        boolean[][] out = new boolean[IMAGES][CHANNELS];
        for (int i = 0; i < IMAGES; i++) {
            float[] v = values[i];
            List<Integer> order =
                    new ArrayList<>(IntStream.range(0, CHANNELS).boxed().toList());
            order.sort(Comparator.<Integer>comparingDouble(c -> -v[c]).thenComparing(c -> c));
            for (int r = 0; r < 4; r++) {
                out[i][order.get(r)] = true;
            }
        }
        return out;
    }

    static int[] images(int level, int label) {
        return IntStream.range(0, IMAGES)
                .filter(i -> graph.labels()[i][level - 1] == label)
                .toArray();
    }

    @Test
    void should_give_every_channel_its_support_base_rate_lift_p_and_q() {
        // given the expected values, computed here
        boolean[][] active = activated();
        int[] cluster = images(1, 2);
        List<Record> rows = run("CALL hmn.cluster.stats('L1-2', {layer: 'layer4'}) "
                + "YIELD layer, neuron, support, baseRate, lift, p, q RETURN * ORDER BY neuron");

        // then
        assertThat(rows).hasSize(CHANNELS);
        for (int j = 0; j < CHANNELS; j++) {
            int a = 0;
            for (int i : cluster) {
                a += active[i][j] ? 1 : 0;
            }
            int k = 0;
            for (int i = 0; i < IMAGES; i++) {
                k += active[i][j] ? 1 : 0;
            }
            Record r = rows.get(j);
            assertThat(r.get("layer").asString()).isEqualTo("layer4");
            assertThat(r.get("neuron").asLong()).isEqualTo(j);
            assertThat(r.get("support").asDouble()).isCloseTo(a / (double) cluster.length, within(1e-12));
            assertThat(r.get("baseRate").asDouble()).isCloseTo(k / (double) IMAGES, within(1e-12));
            if (k == 0) {
                assertThat(r.get("lift").isNull()).isTrue();
            } else {
                assertThat(r.get("lift").asDouble())
                        .isCloseTo((a / (double) cluster.length) / (k / (double) IMAGES), within(1e-9));
            }
            double exact = ExactHypergeometric.upperTail(IMAGES, k, cluster.length, a);
            assertThat(r.get("p").asDouble()).isCloseTo(exact, within(Math.max(1e-300, exact * 1e-9)));
            assertThat(r.get("q").asDouble()).isBetween(r.get("p").asDouble(), 1.0);
        }
    }

    @Test
    void should_keep_only_the_group_with_group_only() {
        List<String> stats = run("CALL hmn.cluster.stats('L2-1', {groupOnly: true}) YIELD layer, neuron, support "
                        + "RETURN layer + ':' + neuron + ' ' + support AS row")
                .stream()
                .map(r -> r.get(0).asString())
                .toList();
        List<String> shared = run("CALL hmn.cluster.sharedNeurons('L2-1') YIELD layer, neuron, support "
                        + "RETURN layer + ':' + neuron + ' ' + support AS row")
                .stream()
                .map(r -> r.get(0).asString())
                .toList();

        assertThat(stats).isNotEmpty().isEqualTo(shared);
    }

    @Test
    void should_measure_each_group_with_null_ablation_until_validated() {
        Record r = run("CALL hmn.cluster.validity('L1-2', {layer: 'layer4'}) YIELD layer, groupSize, medianLift, "
                        + "heldOutPrecision, stability, ablationEffect, ablationZ, specificity RETURN *")
                .get(0);
        long shared = run("CALL hmn.cluster.sharedNeurons('L1-2', {layer: 'layer4'}) YIELD neuron RETURN neuron")
                .size();

        assertThat(r.get("groupSize").asLong()).isEqualTo(shared).isPositive();
        assertThat(r.get("medianLift").asDouble()).isGreaterThan(1.0);
        assertThat(r.get("heldOutPrecision").asDouble()).isBetween(0.0, 1.0);
        assertThat(r.get("stability").asDouble()).isBetween(0.0, 1.0);
        assertThat(r.get("ablationEffect").isNull()).isTrue();
        assertThat(r.get("ablationZ").isNull()).isTrue();
        assertThat(r.get("specificity").isNull()).isTrue();
        // the same figures on every call (seeded bootstrap)
        assertThat(run("CALL hmn.cluster.validity('L1-2', {layer: 'layer4'}) YIELD stability RETURN stability")
                        .get(0)
                        .get(0)
                        .asDouble())
                .isEqualTo(r.get("stability").asDouble());
    }

    @Test
    void should_give_difference_neurons_their_contrast_and_p() {
        // given L1-2 under its parent
        boolean[][] active = activated();
        int[] child = images(1, 2);
        int parentLabel = graph.labels()[child[0]][1];
        int[] parent = images(2, parentLabel);
        List<Record> rows = run(
                "CALL hmn.cluster.differenceNeurons('L1-2') YIELD layer, neuron, parent, contrast, p " + "RETURN *");

        // then
        assertThat(rows).isNotEmpty();
        for (Record r : rows) {
            int j = r.get("neuron").asInt();
            int inChild = 0;
            int inParent = 0;
            for (int i : child) {
                inChild += active[i][j] ? 1 : 0;
            }
            for (int i : parent) {
                inParent += active[i][j] ? 1 : 0;
            }
            double contrast =
                    inChild / (double) child.length - (inParent - inChild) / (double) (parent.length - child.length);
            assertThat(r.get("parent").asString()).isEqualTo("L2-" + parentLabel);
            assertThat(r.get("contrast").asDouble()).isCloseTo(contrast, within(1e-12));
            assertThat(r.get("p").asDouble())
                    .isCloseTo(
                            ExactHypergeometric.upperTail(parent.length, inParent, child.length, inChild),
                            within(1e-9));
        }
    }

    @Test
    void should_reject_a_group_only_that_is_not_a_boolean() {
        assertThatThrownBy(() -> run("CALL hmn.cluster.stats('L1-2', {groupOnly: 'yes'})"))
                .isInstanceOf(ClientException.class)
                .hasMessageEndingWith("groupOnly must be true or false, got yes");
    }

    @Test
    void should_rank_by_standardised_activations_with_rank_zscore() {
        // given the level-1 group of L1-2 by z-scores, computed here: top 4 of (a - mean) / sd per image
        float[][] values = graph.layers().get("layer4");
        double[] mean = new double[CHANNELS];
        double[] sd = new double[CHANNELS];
        for (float[] v : values) {
            for (int j = 0; j < CHANNELS; j++) {
                mean[j] += v[j] / (double) IMAGES;
            }
        }
        for (float[] v : values) {
            for (int j = 0; j < CHANNELS; j++) {
                sd[j] += (v[j] - mean[j]) * (v[j] - mean[j]) / IMAGES;
            }
        }
        int[] cluster = images(1, 2);
        int[] counts = new int[CHANNELS];
        for (int i : cluster) {
            float[] v = values[i];
            List<Integer> order =
                    new ArrayList<>(IntStream.range(0, CHANNELS).boxed().toList());
            order.sort(Comparator.<Integer>comparingDouble(c -> -(float) ((v[c] - mean[c]) / Math.sqrt(sd[c])))
                    .thenComparing(c -> c));
            for (int r = 0; r < 4; r++) {
                counts[order.get(r)]++;
            }
        }
        List<String> expected = IntStream.range(0, CHANNELS)
                .filter(j -> counts[j] / (double) cluster.length >= 0.5)
                .mapToObj(j -> "layer4:" + j)
                .toList();

        // when
        List<String> got = run("CALL hmn.cluster.sharedNeurons('L1-2', {rank: 'zscore'}) YIELD layer, neuron "
                        + "RETURN layer + ':' + neuron AS id")
                .stream()
                .map(r -> r.get(0).asString())
                .toList();

        // then
        assertThat(got).isNotEmpty().isEqualTo(expected);
        assertThatThrownBy(() -> run("CALL hmn.cluster.sharedNeurons('L1-2', {rank: 'z'})"))
                .isInstanceOf(ClientException.class)
                .hasMessageEndingWith("rank must be one of [raw, zscore], got 'z'");
    }
}
