package hmn.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Support counts computed elsewhere ({@link SupportCountsSource}, e.g. a Spark aggregation) on {@link LayerGroupsTest}'s
 * hierarchy: the groups made from them are the ones made from counting here; counts that cannot be are refused.
 */
class SupportCountsSourceTest {
    static final GroupConfig CONFIG = GroupConfig.of(Map.of("top", 0.25, "support", 0.5));

    @Test
    void should_make_the_same_groups_from_counts_given_as_from_counts_made_here() {
        // given: the counts written out by hand from LayerGroupsTest's picture (clusters in the hierarchy's order)
        Hierarchy h = LayerGroupsTest.hierarchy();
        int[] counts = new int[h.size() * LayerGroupsTest.CHANNELS];
        for (int row = 0; row < LayerGroupsTest.HOT.length; row++) {
            for (int c = 0; c < h.size(); c++) {
                int r = row;
                if (java.util.Arrays.stream(h.rows(c)).anyMatch(x -> x == r)) {
                    for (int channel : LayerGroupsTest.HOT[row]) {
                        counts[c * LayerGroupsTest.CHANNELS + channel]++;
                    }
                }
            }
        }
        List<LayerActivations> layers = List.of(LayerGroupsTest.activations());

        // when
        HierarchyGroups here = HierarchyGroups.compute(h, layers, CONFIG);
        HierarchyGroups given =
                HierarchyGroups.compute(h, layers, CONFIG, a -> SupportCounts.of(h, LayerGroupsTest.CHANNELS, counts));
        HierarchyGroups declined = HierarchyGroups.compute(h, layers, CONFIG, a -> null);

        // then
        for (HierarchyGroups other : List.of(given, declined)) {
            assertThat(uses(other)).isEqualTo(uses(here));
            for (int c = 0; c < h.size(); c++) {
                assertThat(other.counts(0).row(c)).isEqualTo(here.counts(0).row(c));
                assertThat(other.difference(0, c)).isEqualTo(here.difference(0, c));
            }
        }
        assertThat(uses(given)).contains("L1-2:1:0.67", "L1-2:7:1.00");
    }

    /** Each USES edge as cluster:channel:support. */
    private static List<String> uses(HierarchyGroups g) {
        Hierarchy h = LayerGroupsTest.hierarchy();
        List<String> out = new java.util.ArrayList<>();
        for (int k = 0; k < g.usesCount(); k++) {
            out.add(String.format(
                    java.util.Locale.ROOT, "%s:%d:%.2f", h.id(g.usesCluster(k)), g.usesChannel(k), g.usesSupport(k)));
        }
        return out;
    }

    @Test
    void should_refuse_counts_of_the_wrong_size_or_above_a_clusters_image_count() {
        Hierarchy h = LayerGroupsTest.hierarchy();
        assertThatThrownBy(() -> SupportCounts.of(h, 8, new int[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("counts has 5 values");
        int[] counts = new int[h.size() * 8];
        counts[h.find("L1-0").orElseThrow() * 8 + 3] = 5; // L1-0 holds 4 images
        assertThatThrownBy(() -> SupportCounts.of(h, 8, counts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count 5 of neuron 3 in cluster L1-0 is outside 0..4");
    }
}
