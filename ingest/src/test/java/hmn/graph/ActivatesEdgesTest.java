package hmn.graph;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.artifacts.Activations;
import hmn.artifacts.ArtifactSet;
import hmn.group.ActivatedSets;
import hmn.group.Bits;
import hmn.group.GroupConfig;
import hmn.group.Hierarchy;
import hmn.io.FloatMatrix;
import hmn.labelling.Labelling;
import hmn.labels.ExtractiveLabeller;
import hmn.server.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.graphdb.Transaction;

/** The importer's ACTIVATES edges are core's activated sets, ranked: one rule for the graph and the procedures. */
class ActivatesEdgesTest {
    @TempDir
    Path tmp;

    @Test
    void should_import_activates_edges_equal_to_cores_activated_sets_in_rank_order() throws Exception {
        // given: 4 images, 6 channels, k = floor(0.5 * 6) = 3; ties at the cut, negative zero, and NaN (a NaN ranks
        // below every number, so it is in a set only when fewer than k numbers are left)
        float nan = Float.NaN;
        float[] values = {
            1f,
            5f,
            5f,
            5f,
            5f,
            0f, // a tie across the cut: channels 1, 2, 3
            nan,
            2f,
            9f,
            -1f,
            2f,
            0f, // NaN first, then a tie at 2: 2, 1, 4
            -0.0f,
            0f,
            nan,
            -3f,
            0f,
            7f, // -0.0 equals 0.0: 5, 0, 1
            nan,
            nan,
            4f,
            nan,
            -2f,
            nan // two numbers and the lowest NaN channel: 2, 4, 0
        };
        int channels = 6;
        List<String> images = List.of("a.jpg", "b.jpg", "c.jpg", "d.jpg");
        Map<String, FloatMatrix> layers = new LinkedHashMap<>();
        layers.put("layer4", new FloatMatrix(images.size(), channels, values));
        int[][] labels = {{0, 0, 1, 1}};
        ArtifactSet set = new ArtifactSet(
                images,
                new String[] {"a dog", "a cat", "a car", "a bus"},
                labels,
                new Activations(tmp.resolve("activations"), images, layers));
        GroupConfig config = GroupConfig.of(null, 0.5, 0.5, "intersection");
        ImportOptions options = new ImportOptions(config, true, "test", "import");
        Hierarchy hierarchy = Hierarchy.ofPartition(labels, true);
        Labelling labelling = Labelling.of(
                hierarchy, set.captions(), ExtractiveLabeller.builder().build());
        Path home = tmp.resolve("db");

        // when
        new GraphWriter(set, hierarchy, labelling, options).write(home);

        // then
        int k = config.k(channels);
        assertThat(k).isEqualTo(3);
        long[] sets = ActivatedSets.compute(values, images.size(), channels, k);
        int words = Bits.words(channels);
        try (Store store = Store.open(home);
                Transaction tx = store.db().beginTx()) {
            for (int i = 0; i < images.size(); i++) {
                List<Integer> channelsByRank = new ArrayList<>();
                List<Object[]> edges = new ArrayList<>();
                tx.execute(
                                "MATCH (:Image {id: $id})-[a:ACTIVATES]->(n:Neuron) RETURN n.index AS channel,"
                                        + " a.rank AS rank, a.value AS value ORDER BY a.rank",
                                Map.of("id", images.get(i)))
                        .forEachRemaining(row -> {
                            channelsByRank.add(((Number) row.get("channel")).intValue());
                            edges.add(new Object[] {row.get("rank"), row.get("value")});
                        });
                int[] ranked = ActivatedSets.ranked(values, i * channels, channels, k);
                assertThat(channelsByRank).as("image %s", images.get(i)).containsExactly(box(ranked));
                assertThat(channelsByRank.stream().sorted().toList())
                        .containsExactly(box(Bits.indices(sets, i * words, words)));
                for (int r = 0; r < edges.size(); r++) {
                    assertThat(((Number) edges.get(r)[0]).intValue()).isEqualTo(r + 1);
                    float expected = values[i * channels + ranked[r]];
                    assertThat(Float.valueOf(((Number) edges.get(r)[1]).floatValue())) // Float.equals: NaN = NaN
                            .isEqualTo(Float.valueOf(expected));
                }
            }
            // and the ties, the negative zero and the NaNs went where the rule says
            assertThat(ActivatedSets.ranked(values, 0, channels, k)).containsExactly(1, 2, 3);
            assertThat(ActivatedSets.ranked(values, channels, channels, k)).containsExactly(2, 1, 4);
            assertThat(ActivatedSets.ranked(values, 2 * channels, channels, k)).containsExactly(5, 0, 1);
            assertThat(ActivatedSets.ranked(values, 3 * channels, channels, k)).containsExactly(2, 4, 0);
        }
    }

    private static Integer[] box(int[] values) {
        return Arrays.stream(values).boxed().toArray(Integer[]::new);
    }
}
