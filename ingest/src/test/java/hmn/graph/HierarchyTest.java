package hmn.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HierarchyTest {
    // images 0..5; level 1: {0,1} {2} {3,4} {5}; level 2: {L1-0, L1-1} {L1-2, L1-3}
    private static final int[][] LABELS = {{0, 0, 1, 2, 2, 3}, {7, 7, 7, 9, 9, 9}};

    @Test
    void should_build_clusters_with_rows_children_and_parents() {
        // when
        Hierarchy h = Hierarchy.of(LABELS, false);
        // then
        assertThat(h.levels()).hasSize(2);
        Hierarchy.Cluster c = h.levels().get(0).clusters().get(0);
        assertThat(c.id()).isEqualTo("L1-0");
        assertThat(c.rows()).containsExactly(0, 1);
        assertThat(c.parent()).isEqualTo("L2-7");
        Hierarchy.Cluster top = h.levels().get(1).clusters().get(1);
        assertThat(top.id()).isEqualTo("L2-9");
        assertThat(top.children()).containsExactly("L1-2", "L1-3");
        assertThat(top.rows()).containsExactly(3, 4, 5);
        assertThat(top.parent()).isNull();
    }

    @Test
    void should_add_a_synthetic_root_when_the_top_level_has_several_clusters() {
        Hierarchy h = Hierarchy.of(LABELS, true);
        assertThat(h.levels()).hasSize(3);
        Hierarchy.Level root = h.top();
        assertThat(root.synthetic()).isTrue();
        assertThat(root.clusters()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("L3-0");
            assertThat(c.synthetic()).isTrue();
            assertThat(c.children()).containsExactly("L2-7", "L2-9");
            assertThat(c.rows()).hasSize(6);
        });
        assertThat(h.levels().get(1).clusters().get(0).parent()).isEqualTo("L3-0");
        assertThat(h.clusterCount()).isEqualTo(7);
    }

    @Test
    void should_not_add_a_root_over_a_single_top_cluster() {
        Hierarchy h = Hierarchy.of(new int[][] {{0, 1}, {0, 0}}, true);
        assertThat(h.levels()).hasSize(2);
        assertThat(h.top().synthetic()).isFalse();
        assertThat(h.top().clusters().get(0).children()).isEqualTo(List.of("L1-0", "L1-1"));
    }
}
