package hmn.validity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import hmn.group.Bits;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statistics on a planted artifact set: 400 images, 32 channels; the cluster (rows 0, 3, 6, ...) activates
 * channels 0-3 in 90% of its images, channel 31 never activates anywhere (K_j = 0), and the rest at random. Every
 * expected value is computed here by another route: booleans instead of bit sets, exact binomial sums.
 */
class GroupStatisticsTest {
    static final int N = 400;
    static final int C = 32;
    boolean[][] active;
    long[] bits;
    int[] cluster;

    @BeforeEach
    void plant() {
        SplittableRandom random = new SplittableRandom(17);
        active = new boolean[N][C];
        cluster = IntStream.range(0, N).filter(r -> r % 3 == 0).toArray();
        for (int r = 0; r < N; r++) {
            for (int j = 0; j < C - 1; j++) {
                active[r][j] = random.nextDouble() < (r % 3 == 0 && j < 4 ? 0.9 : 0.1);
            }
        }
        int words = Bits.words(C);
        bits = new long[N * words];
        for (int r = 0; r < N; r++) {
            for (int j = 0; j < C; j++) {
                if (active[r][j]) {
                    Bits.set(bits, r * words, j);
                }
            }
        }
    }

    int count(int[] rows, int j) {
        int n = 0;
        for (int r : rows) {
            n += active[r][j] ? 1 : 0;
        }
        return n;
    }

    @Test
    void should_give_support_base_rate_lift_and_p_for_every_channel() {
        // when
        int[] k = GroupStatistics.collectionCounts(bits, N, C);
        List<NeuronStatistics> stats =
                GroupStatistics.neurons(GroupStatistics.counts(bits, C, cluster), cluster.length, k, N);

        // then
        int[] all = IntStream.range(0, N).toArray();
        for (int j = 0; j < C; j++) {
            NeuronStatistics s = stats.get(j);
            int a = count(cluster, j);
            int kj = count(all, j);
            assertThat(s.neuron()).isEqualTo(j);
            assertThat(s.count()).isEqualTo(a);
            assertThat(s.support()).isEqualTo(a / (double) cluster.length);
            assertThat(s.baseRate()).isEqualTo(kj / (double) N);
            if (kj == 0) {
                assertThat(s.lift()).isNull();
                assertThat(s.p()).isEqualTo(1.0);
            } else {
                assertThat(s.lift()).isCloseTo((a / (double) cluster.length) / (kj / (double) N), within(1e-12));
                double exact = ExactHypergeometric.upperTail(N, kj, cluster.length, a);
                assertThat(s.p()).isCloseTo(exact, within(Math.max(1e-300, exact * 1e-9)));
            }
        }
        // the planted channels are enriched and significant, the others not
        for (int j = 0; j < 4; j++) {
            assertThat(stats.get(j).lift()).isGreaterThan(2.0);
            assertThat(stats.get(j).q()).isLessThan(1e-10);
        }
        assertThat(stats.subList(4, C - 1)).allSatisfy(s -> assertThat(s.q()).isGreaterThan(0.01));
        assertThat(GroupStatistics.medianLift(stats, new int[] {0, 1, 2, 3, 31}))
                .isBetween(stats.get(0).lift() - 1, stats.get(0).lift() + 1);
    }

    @Test
    void should_split_held_out_halves_by_collection_order() {
        // given the halves computed directly: even and odd positions of the sorted rows
        int[] a = IntStream.range(0, cluster.length)
                .filter(i -> i % 2 == 0)
                .map(i -> cluster[i])
                .toArray();
        int[] b = IntStream.range(0, cluster.length)
                .filter(i -> i % 2 == 1)
                .map(i -> cluster[i])
                .toArray();
        int[] groupA = IntStream.range(0, C)
                .filter(j -> count(a, j) / (double) a.length >= 0.5)
                .toArray();
        int[] groupB = IntStream.range(0, C)
                .filter(j -> count(b, j) / (double) b.length >= 0.5)
                .toArray();
        long both = IntStream.of(groupA)
                .filter(j -> IntStream.of(groupB).anyMatch(x -> x == j))
                .count();
        double expected = (both / (double) groupA.length + both / (double) groupB.length) / 2;

        // when the rows come in another order
        int[] reversed = IntStream.range(0, cluster.length)
                .map(i -> cluster[cluster.length - 1 - i])
                .toArray();
        Double got = GroupStatistics.heldOutPrecision(bits, C, reversed, 0.5);

        // then
        assertThat(groupA).containsExactly(0, 1, 2, 3);
        assertThat(got).isEqualTo(expected);
        assertThat(GroupStatistics.heldOutPrecision(bits, C, new int[] {0, 3, 6}, 0.5))
                .isNull();
        assertThat(GroupStatistics.heldOutPrecision(bits, C, new int[] {1, 2, 4, 5}, 0.99))
                .isNull();
    }

    @Test
    void should_measure_bootstrap_stability_reproducibly() {
        double first = GroupStatistics.stability(bits, C, cluster, 0.5, 42, GroupStatistics.BOOTSTRAP_RESAMPLES);
        double again = GroupStatistics.stability(bits, C, cluster, 0.5, 42, GroupStatistics.BOOTSTRAP_RESAMPLES);

        assertThat(first).isEqualTo(again).isGreaterThan(0.9).isLessThanOrEqualTo(1.0);
        // images that all share one pattern resample to the same group every time
        int[] identical = {0, 0, 0, 0};
        assertThat(GroupStatistics.stability(bits, C, identical, 0.5, 1, 20)).isEqualTo(1.0);
        // a noise cluster is much less stable than the planted one
        int[] noise = IntStream.range(0, N).filter(r -> r % 3 == 1).limit(20).toArray();
        assertThat(GroupStatistics.stability(bits, C, noise, 0.2, 42, 100)).isLessThan(first);
    }

    @Test
    void should_give_each_difference_neuron_its_contrast_and_p() {
        // given the cluster as the child of the whole collection
        int[] all = IntStream.range(0, N).toArray();
        int[] outside = IntStream.range(0, N).filter(r -> r % 3 != 0).toArray();

        // when
        List<DifferenceStatistics> diff = GroupStatistics.difference(
                GroupStatistics.counts(bits, C, cluster), cluster.length, GroupStatistics.counts(bits, C, all), N);

        // then
        for (int j = 0; j < C; j++) {
            double contrast = count(cluster, j) / (double) cluster.length - count(outside, j) / (double) outside.length;
            assertThat(diff.get(j).contrast()).isCloseTo(contrast, within(1e-12));
            double exact = ExactHypergeometric.upperTail(N, count(all, j), cluster.length, count(cluster, j));
            assertThat(diff.get(j).p()).isCloseTo(exact, within(Math.max(1e-300, exact * 1e-9)));
        }
        assertThat(GroupStatistics.difference(new int[] {3}, 4, new int[] {3}, 4)
                        .get(0)
                        .contrast())
                .isNull();
    }

    @Test
    void should_count_jaccard_of_empty_sets_as_one() {
        assertThat(GroupStatistics.jaccard(new int[0], new int[0])).isEqualTo(1.0);
        assertThat(GroupStatistics.jaccard(new int[] {1, 2, 3}, new int[] {2, 3, 4}))
                .isEqualTo(0.5);
    }

    @Test
    void should_summarise_a_difference_set_by_its_mean_contrast_and_smallest_p() {
        int[] child = {4, 1, 0};
        int[] parent = {5, 5, 1};
        // child 4 images of a parent of 10: contrasts 4/4 - 1/6 and 1/4 - 4/6; channel 2 is not in the set
        double[] s = GroupStatistics.differenceSummary(child, 4, parent, 10, new int[] {0, 1});
        List<DifferenceStatistics> each = GroupStatistics.difference(child, 4, parent, 10);
        assertThat(s[0]).isCloseTo(((1 - 1 / 6.0) + (0.25 - 4 / 6.0)) / 2, within(1e-12));
        assertThat(s[1]).isEqualTo(Math.min(each.get(0).p(), each.get(1).p()));
        assertThat(GroupStatistics.differenceSummary(child, 4, parent, 10, new int[0]))
                .containsOnly(Double.NaN);
    }
}
