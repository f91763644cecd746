package hmn.validity;

import static org.assertj.core.api.Assertions.assertThat;

import hmn.group.ActivatedSets;
import hmn.group.Hierarchy;
import hmn.group.LayerGroups;
import hmn.group.Mode;
import hmn.group.SupportCounts;
import hmn.io.FloatMatrix;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GroupAblationTest {

    @Test
    void should_ablate_the_group_and_the_difference_set_on_the_first_images_of_the_cluster() {
        // given 120 images, L1-0 = even rows, L1-1 = odd rows, both under L2-0; 32 channels, even rows strong in 0-3
        int n = 120;
        int c = 32;
        SplittableRandom random = new SplittableRandom(4);
        float[] values = new float[n * c];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < c; j++) {
                values[r * c + j] = (float) random.nextDouble() + (r % 2 == 0 && j < 4 ? 2f : 0f);
            }
        }
        FloatMatrix pooled = new FloatMatrix(n, c, values);
        Hierarchy.Builder b = Hierarchy.builder()
                .images(n)
                .cluster("L2-0", 2, "all")
                .cluster("L1-0", 1, "even")
                .cluster("L1-1", 1, "odd")
                .child("L2-0", "L1-0")
                .child("L2-0", "L1-1");
        for (int r = 0; r < n; r++) {
            b.image(r % 2 == 0 ? "L1-0" : "L1-1", r);
        }
        Hierarchy h = b.build();
        LayerGroups groups = LayerGroups.compute(
                SupportCounts.compute(h, ActivatedSets.compute(values, n, c, ActivatedSets.k(0.125, c)), c),
                0.5,
                Mode.INTERSECTION);
        float[] weight = new float[10 * c];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) random.nextGaussian();
        }
        LinearAblation ablation =
                new LinearAblation(new FloatMatrix(10, c, weight), new float[10], LinearAblation.columnMeans(pooled));
        int even = h.find("L1-0").orElseThrow();

        // when
        GroupAblation.Outcome outcome =
                GroupAblation.of(h, groups, pooled.rows(), ablation.on(pooled), even, 16, 20, 5);

        // then the group is ablated on rows 0, 2, ..., 30 and compared with rows 1, 3, ..., 31
        int[] group = groups.group(even);
        assertThat(group).containsExactly(0, 1, 2, 3);
        assertThat(outcome.groupSize()).isEqualTo(4);
        assertThat(outcome.group().effect())
                .isEqualTo(ablation.meanEffect(
                        pooled, IntStream.range(0, 16).map(i -> 2 * i).toArray(), group));
        assertThat(outcome.group().specificity())
                .isEqualTo(outcome.group().effect()
                        / ablation.meanEffect(
                                pooled,
                                IntStream.range(0, 16).map(i -> 2 * i + 1).toArray(),
                                group));
        assertThat(outcome.differenceSize()).isEqualTo(groups.difference(even).length);
        assertThat(outcome.difference()).isNotNull();
        // the top cluster has no difference set, and the same run seed gives the same figures
        assertThat(GroupAblation.of(
                                h,
                                groups,
                                pooled.rows(),
                                ablation.on(pooled),
                                h.find("L2-0").orElseThrow(),
                                16,
                                20,
                                5)
                        .difference())
                .isNull();
        assertThat(GroupAblation.of(h, groups, pooled.rows(), ablation.on(pooled), even, 16, 20, 5))
                .isEqualTo(outcome);
    }
}
