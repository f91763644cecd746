package hmn.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PartitionHierarchyTest {
    // images 0..5; level 1: {0,1} {2} {3,4} {5}; level 2: {L1-0, L1-1} {L1-2, L1-3}
    private static final int[][] LABELS = {{0, 0, 1, 2, 2, 3}, {7, 7, 7, 9, 9, 9}};

    @Test
    void should_build_clusters_with_rows_children_and_parents() {
        // when
        Hierarchy h = Hierarchy.ofPartition(LABELS, false);
        // then: clusters level by level, in label order
        assertThat(h.levelCount()).isEqualTo(2);
        assertThat(ids(h, h.clustersAt(1))).containsExactly("L1-0", "L1-1", "L1-2", "L1-3");
        int c = h.find("L1-0").orElseThrow();
        assertThat(c).isZero();
        assertThat(h.rows(c)).containsExactly(0, 1);
        assertThat(h.label(c)).isZero();
        assertThat(h.id(h.parent(c))).isEqualTo("L2-7");
        int top = h.clustersAt(2)[1];
        assertThat(h.id(top)).isEqualTo("L2-9");
        assertThat(h.label(top)).isEqualTo(9);
        assertThat(ids(h, h.children(top))).containsExactly("L1-2", "L1-3");
        assertThat(h.rows(top)).containsExactly(3, 4, 5);
        assertThat(h.parent(top)).isEqualTo(-1);
        assertThat(h.synthetic(top)).isFalse();
    }

    @Test
    void should_add_a_synthetic_root_when_the_top_level_has_several_clusters() {
        Hierarchy h = Hierarchy.ofPartition(LABELS, true);
        assertThat(h.levelCount()).isEqualTo(3);
        assertThat(h.clustersAt(3)).hasSize(1);
        int root = h.clustersAt(3)[0];
        assertThat(h.id(root)).isEqualTo("L3-0");
        assertThat(h.synthetic(root)).isTrue();
        assertThat(ids(h, h.children(root))).containsExactly("L2-7", "L2-9");
        assertThat(h.rows(root)).hasSize(6);
        assertThat(h.id(h.parent(h.clustersAt(2)[0]))).isEqualTo("L3-0");
        assertThat(h.size()).isEqualTo(7);
    }

    @Test
    void should_not_add_a_root_over_a_single_top_cluster() {
        Hierarchy h = Hierarchy.ofPartition(new int[][] {{0, 1}, {0, 0}}, true);
        assertThat(h.levelCount()).isEqualTo(2);
        int top = h.clustersAt(2)[0];
        assertThat(h.synthetic(top)).isFalse();
        assertThat(ids(h, h.children(top))).containsExactly("L1-0", "L1-1");
    }

    private static String[] ids(Hierarchy h, int[] clusters) {
        return Arrays.stream(clusters).mapToObj(h::id).toArray(String[]::new);
    }
}
