package hmn.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A 3-level hierarchy over 10 images and one layer of 8 channels; with top = 0.25 each image activates exactly
 * the two channels it is given (k = 2):
 *
 * <pre>
 * L3-0 -> L2-0 -> L1-0: images 0..3 {0,1} {0,2} {0,1} {3,4}  group {0 (3/4), 1 (2/4)}
 *              -> L1-1: images 4..6 {0,5} {1,5} {1,6}        group {1 (2/3), 5 (2/3)}
 *      -> L2-1 -> L1-2: images 7..9 {1,7} {1,7} {2,7}        group {1 (2/3), 7 (3/3)}
 * </pre>
 */
class LayerGroupsTest {

    static final int CHANNELS = 8;
    static final int[][] HOT = {{0, 1}, {0, 2}, {0, 1}, {3, 4}, {0, 5}, {1, 5}, {1, 6}, {1, 7}, {1, 7}, {2, 7}};

    static Hierarchy hierarchy() {
        Hierarchy.Builder b = Hierarchy.builder()
                .images(HOT.length)
                .cluster("L3-0", 3, "things")
                .cluster("L2-0", 2, "animals")
                .cluster("L2-1", 2, "plants")
                .cluster("L1-0", 1, "dogs")
                .cluster("L1-1", 1, "cats")
                .cluster("L1-2", 1, "trees")
                .child("L3-0", "L2-0")
                .child("L3-0", "L2-1")
                .child("L2-0", "L1-0")
                .child("L2-0", "L1-1")
                .child("L2-1", "L1-2");
        int[] level1 = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
        for (int row = 0; row < level1.length; row++) {
            b.image("L1-" + level1[row], row);
        }
        return b.build();
    }

    static LayerActivations activations() {
        float[] values = new float[HOT.length * CHANNELS];
        for (int row = 0; row < HOT.length; row++) {
            for (int channel : HOT[row]) {
                values[row * CHANNELS + channel] = 1 + channel; // distinct, above the zeros
            }
        }
        return new LayerActivations("layer", CHANNELS, HOT.length, values);
    }

    static LayerGroups groups(double support, Mode mode) {
        Hierarchy h = hierarchy();
        LayerActivations layer = activations();
        SupportCounts counts = SupportCounts.compute(h, layer.activatedSets(ActivatedSets.k(0.25, CHANNELS)), CHANNELS);
        return LayerGroups.compute(counts, support, mode);
    }

    static int c(String id) {
        return hierarchy().find(id).orElseThrow();
    }

    @Test
    void should_keep_a_neuron_whose_support_is_exactly_the_threshold() {
        // given L1-0's neuron 1 is active in 2 of its 4 images: 2 / 4.0 = 0.5
        LayerGroups groups = groups(0.5, Mode.INTERSECTION);

        // then
        assertThat(groups.group(c("L1-0"))).containsExactly(0, 1);
        assertThat(groups.support(c("L1-0"), 1)).isEqualTo(0.5);
    }

    @Test
    void should_drop_a_neuron_just_below_the_threshold() {
        assertThat(groups(0.51, Mode.INTERSECTION).group(c("L1-0"))).containsExactly(0);
    }

    @Test
    void should_compare_support_literally_as_count_over_size() {
        // given L1-1's neuron 0 is active in 1 of 3 images and the threshold is 1 / 3.0
        LayerGroups groups = groups(1 / 3.0, Mode.INTERSECTION);

        // then 1 / (double) 3 >= 1 / 3.0
        assertThat(groups.group(c("L1-1"))).containsExactly(0, 1, 5, 6);
    }

    @Test
    void should_intersect_children_groups_in_intersection_mode() {
        LayerGroups groups = groups(0.5, Mode.INTERSECTION);

        assertThat(groups.group(c("L2-0"))).containsExactly(1); // {0,1} and {1,5}
        assertThat(groups.group(c("L2-1"))).containsExactly(1, 7); // one child
        assertThat(groups.group(c("L3-0"))).containsExactly(1);
    }

    @Test
    void should_count_support_over_all_images_in_support_mode() {
        // given neuron 0 is active in 4 of L2-0's 7 images but is not in L1-1's group
        LayerGroups groups = groups(0.5, Mode.SUPPORT);

        // then
        assertThat(groups.group(c("L2-0"))).containsExactly(0, 1);
        assertThat(groups.group(c("L3-0"))).containsExactly(1);
        assertThat(groups.group(c("L1-0"))).containsExactly(0, 1);
    }

    @Test
    void should_report_the_fraction_of_images_as_support_whatever_the_mode() {
        for (Mode mode : Mode.values()) {
            LayerGroups groups = groups(0.5, mode);
            assertThat(groups.support(c("L2-0"), 1)).isEqualTo(4 / 7.0);
            assertThat(groups.support(c("L3-0"), 1)).isEqualTo(6 / 10.0);
        }
    }

    @Test
    void should_give_difference_neurons_as_child_group_minus_parent_group() {
        LayerGroups groups = groups(0.5, Mode.INTERSECTION);

        assertThat(groups.difference(c("L1-0"))).containsExactly(0);
        assertThat(groups.difference(c("L1-1"))).containsExactly(5);
        assertThat(groups.difference(c("L1-2"))).isEmpty();
        assertThat(groups.difference(c("L2-1"))).containsExactly(7);
        assertThat(groups.difference(c("L3-0"))).isEmpty(); // no parent
    }

    @Test
    void should_subtract_the_parent_group_in_support_mode_too() {
        // given in support mode the parent's group need not be inside the child's
        LayerGroups groups = groups(0.5, Mode.SUPPORT);

        assertThat(groups.difference(c("L1-1"))).containsExactly(5); // {1,5} minus {0,1}
    }

    @Test
    void should_compare_two_groups_by_side() {
        LayerGroups.Comparison comparison = groups(0.5, Mode.INTERSECTION).compare(c("L1-0"), c("L1-1"));

        assertThat(comparison.both()).containsExactly(1);
        assertThat(comparison.onlyA()).containsExactly(0);
        assertThat(comparison.onlyB()).containsExactly(5);
    }

    @Test
    void should_list_the_clusters_using_a_neuron_by_level_then_support() {
        LayerGroups groups = groups(0.5, Mode.INTERSECTION);
        Hierarchy h = groups.hierarchy();

        int[] clusters = groups.clustersUsing(1);

        assertThat(java.util.Arrays.stream(clusters).mapToObj(h::id))
                .containsExactly("L1-1", "L1-2", "L1-0", "L2-1", "L2-0", "L3-0");
        assertThat(java.util.Arrays.stream(groups.clustersUsing(7)).mapToObj(h::id))
                .containsExactly("L1-2", "L2-1");
        assertThat(groups.clustersUsing(3)).isEmpty();
    }

    @Test
    void should_collect_the_images_of_descendants() {
        Hierarchy h = hierarchy();

        assertThat(h.rows(c("L2-0"))).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(h.imageCount(c("L3-0"))).isEqualTo(10);
        assertThat(h.parent(c("L1-2"))).isEqualTo(c("L2-1"));
        assertThat(h.parent(c("L3-0"))).isEqualTo(-1);
    }

    @Test
    void should_reject_a_cluster_with_two_parents() {
        assertThatThrownBy(() -> Hierarchy.builder()
                        .cluster("a", 2, null)
                        .cluster("b", 2, null)
                        .cluster("c", 1, null)
                        .child("a", "c")
                        .child("b", "c")
                        .build())
                .hasMessage("cluster 'c' has two parents: 'a' and 'b'");
    }

    @Test
    void should_reject_a_cycle() {
        assertThatThrownBy(() -> Hierarchy.builder()
                        .cluster("a", 2, null)
                        .cluster("b", 1, null)
                        .child("a", "b")
                        .child("b", "a")
                        .build())
                .hasMessageContaining("a cycle of CONTAINS");
    }

    @Test
    void should_reject_an_unknown_cluster_or_row() {
        assertThatThrownBy(() -> Hierarchy.builder().cluster("a", 1, null).child("a", "x"))
                .hasMessage("cluster 'x' not found");
        assertThatThrownBy(() ->
                        Hierarchy.builder().images(2).cluster("a", 1, null).image("a", 2))
                .hasMessage("image row 2 of cluster 'a' is not in [0, 2)");
    }

    @Test
    void should_give_no_group_to_an_empty_cluster() {
        Hierarchy h = Hierarchy.builder().images(0).cluster("L1-0", 1, null).build();
        SupportCounts counts = SupportCounts.compute(h, new long[0], 4);

        assertThat(LayerGroups.compute(counts, 0.5, Mode.INTERSECTION).group(0)).isEmpty();
    }
}
