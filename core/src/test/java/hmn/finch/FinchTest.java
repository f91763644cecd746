package hmn.finch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hmn.io.FloatMatrix;
import org.junit.jupiter.api.Test;

class FinchTest {
    private static Finch javaFinch() {
        return Finch.builder().kernel(JavaDotKernel::new).build();
    }

    private static FloatMatrix rows(float[]... rows) {
        int d = rows[0].length;
        float[] data = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, data, i * d, d);
        }
        return new FloatMatrix(rows.length, d, data);
    }

    @Test
    void should_give_one_level_with_one_cluster_for_three_or_fewer_points() {
        for (int n = 1; n <= 3; n++) {
            // given
            FloatMatrix x = GmmData.generate(n, 8, n);

            // when
            Partitions p = javaFinch().cluster(x);

            // then
            assertThat(p.counts()).containsExactly(1);
            assertThat(p.level(1)).containsOnly(0).hasSize(n);
        }
    }

    @Test
    void should_give_one_cluster_for_identical_rows() {
        // given
        FloatMatrix x = rows(
                new float[] {1, 2, 3},
                new float[] {1, 2, 3},
                new float[] {1, 2, 3},
                new float[] {1, 2, 3},
                new float[] {1, 2, 3});

        // when
        Partitions p = javaFinch().cluster(x);

        // then
        assertThat(p.counts()).containsExactly(1);
    }

    @Test
    void should_give_one_cluster_for_zero_rows() {
        // given
        FloatMatrix x = FloatMatrix.zeros(6, 4);

        // when
        Partitions p = javaFinch().cluster(x);

        // then
        assertThat(p.counts()).containsExactly(1);
    }

    @Test
    void should_place_a_zero_row_at_distance_one_from_everything() {
        // given two tight pairs far apart in angle, and a zero row, which is at distance 1 from all: its first
        // neighbour is the lowest index (row 0), so it joins row 0's cluster
        FloatMatrix x = rows(
                new float[] {1, 0},
                new float[] {1, 0.01f},
                new float[] {-1, 0.02f},
                new float[] {-1, 0.03f},
                new float[] {0, 0});

        // when
        Partitions p = javaFinch().cluster(x);

        // then
        assertThat(p.level(1)).containsExactly(0, 0, 1, 1, 0);
    }

    @Test
    void should_break_distance_ties_towards_the_lowest_index() {
        // given duplicates: every row of a group is at distance 0 from the others of its group
        FloatMatrix x = rows(
                new float[] {1, 0},
                new float[] {0, 1},
                new float[] {1, 0},
                new float[] {0, 1},
                new float[] {1, 0},
                new float[] {0, 1});
        UnitRows unit = UnitRows.ofFloats(6, 2, x.data());

        // when
        Neighbours nb;
        try (JavaDotKernel k = new JavaDotKernel();
                DotKernel.Loaded l = k.load(unit)) {
            nb = FirstNeighbours.exact(k, l, 1, Progress.NONE);
        }

        // then
        assertThat(nb.first()).containsExactly(2, 3, 0, 1, 0, 1);
    }

    @Test
    void should_keep_at_most_the_requested_levels() {
        // given
        FloatMatrix x = Fixtures.input("wine");

        // when
        Partitions all = javaFinch().cluster(x);
        Partitions two =
                Finch.builder().kernel(JavaDotKernel::new).maxLevels(2).build().cluster(x);

        // then
        assertThat(all.levels()).isGreaterThan(2);
        assertThat(two.levels()).isEqualTo(2);
        assertThat(two.level(2)).isEqualTo(all.level(2));
    }

    @Test
    void should_add_a_synthetic_root_marked_as_such() {
        // given
        Partitions p = javaFinch().cluster(Fixtures.input("iris"));

        // when
        Partitions rooted = p.withSyntheticRoot();

        // then
        assertThat(p.syntheticRoot()).isFalse();
        assertThat(rooted.syntheticRoot()).isTrue();
        assertThat(rooted.levels()).isEqualTo(p.levels() + 1);
        assertThat(rooted.level(rooted.levels())).containsOnly(0);
        assertThat(rooted.counts()[rooted.levels() - 1]).isEqualTo(1);
    }

    @Test
    void should_nest_each_level_in_the_next() {
        // given
        Partitions p = javaFinch().cluster(Fixtures.input("wine"));

        // then
        for (int l = 1; l < p.levels(); l++) {
            int[] fine = p.level(l);
            int[] coarse = p.level(l + 1);
            int[] parent = new int[p.counts()[l - 1]];
            java.util.Arrays.fill(parent, -1);
            for (int i = 0; i < fine.length; i++) {
                assertThat(parent[fine[i]] == -1 || parent[fine[i]] == coarse[i])
                        .isTrue();
                parent[fine[i]] = coarse[i];
            }
        }
    }

    @Test
    void should_reject_empty_and_non_finite_input() {
        assertThatThrownBy(() -> javaFinch().cluster(FloatMatrix.zeros(0, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FINCH needs at least one row, got 0");
        FloatMatrix x = rows(new float[] {1, 2}, new float[] {3, Float.NaN});
        assertThatThrownBy(() -> javaFinch().cluster(x)).hasMessage("row 1 holds NaN or an infinite value");
    }

    @Test
    void should_cluster_in_approximate_mode_like_exact_on_separated_data() {
        // given
        FloatMatrix x = GmmData.generate(9000, 128, 13);

        // when
        Partitions exact = Finch.builder().search(NeighbourSearch.EXACT).build().cluster(x);
        Partitions approx =
                Finch.builder().search(NeighbourSearch.APPROXIMATE).build().cluster(x);

        // then the sub-centres come out at level 2 the same either way
        assertThat(exact.counts()[1]).isBetween(55, 65);
        assertThat(approx.level(2)).isEqualTo(exact.level(2));
    }
}
