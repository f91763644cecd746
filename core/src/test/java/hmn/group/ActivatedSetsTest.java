package hmn.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ActivatedSetsTest {

    @ParameterizedTest(name = "k({0}, {1}) = {2}")
    @CsvSource({
        "0.10, 512, 51",
        "0.10, 64, 6",
        "0.10, 9, 1", // floor(0.9) = 0 -> at least 1
        "0.001, 512, 1",
        "1.0, 7, 7",
        "0.5, 1, 1",
        "0.29, 100, 28", // 0.29 * 100 = 28.999999999999996 in double: floor is 28, literally
        "0.3, 10, 3"
    })
    void should_compute_k_as_max_1_floor_top_times_channels(double top, int channels, int expected) {
        assertThat(ActivatedSets.k(top, channels)).isEqualTo(expected);
    }

    @Test
    void should_give_ties_at_the_boundary_to_the_lower_channel() {
        // given channels 1, 2, 3 tie at 5 and only two places are left after none above
        float[] activations = {1, 5, 5, 5, 0};

        // when / then
        assertThat(ActivatedSets.topK(activations, 2)).containsExactly(1, 2);
        assertThat(ActivatedSets.topK(new float[] {3, 1, 1, 1}, 2)).containsExactly(0, 1);
        assertThat(ActivatedSets.topK(new float[] {2, 2, 2, 2}, 3)).containsExactly(0, 1, 2);
    }

    @Test
    void should_take_every_value_above_a_tie_before_the_tied_ones() {
        // given 9 is above the tie at 4; one tied place is left
        float[] activations = {4, 0, 4, 9, 4};

        // when / then
        assertThat(ActivatedSets.topK(activations, 2)).containsExactly(0, 3);
    }

    @Test
    void should_rank_nan_below_every_number() {
        assertThat(ActivatedSets.topK(new float[] {Float.NaN, -3, Float.NaN, -7}, 2))
                .containsExactly(1, 3);
    }

    @Test
    void should_agree_with_a_full_sort_on_random_rows_with_many_ties() {
        // given rows of small integers, so that ties are everywhere
        Random random = new Random(7);
        int rows = 300;
        int channels = 70;
        float[] matrix = new float[rows * channels];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = random.nextInt(6);
        }
        for (int k : new int[] {1, 7, 35, 69, 70}) {
            // when
            long[] sets = ActivatedSets.compute(matrix, rows, channels, k);

            // then
            int words = Bits.words(channels);
            for (int r = 0; r < rows; r++) {
                int row = r;
                int[] expected = IntStream.range(0, channels)
                        .boxed()
                        .sorted(Comparator.<Integer>comparingDouble(c -> -matrix[row * channels + c])
                                .thenComparingInt(c -> c))
                        .limit(k)
                        .mapToInt(Integer::intValue)
                        .sorted()
                        .toArray();
                assertThat(Bits.indices(sets, r * words, words))
                        .as("row %d, k %d", r, k)
                        .containsExactly(expected);
            }
        }
    }

    @Test
    void should_select_the_same_sets_in_parallel_as_row_by_row() {
        // given more rows than the parallel threshold
        Random random = new Random(3);
        int rows = 5000;
        int channels = 64;
        float[] matrix = new float[rows * channels];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = random.nextFloat();
        }

        // when
        long[] sets = ActivatedSets.compute(matrix, rows, channels, 6);

        // then
        for (int r = 0; r < rows; r += 97) {
            float[] row = Arrays.copyOfRange(matrix, r * channels, (r + 1) * channels);
            assertThat(Bits.indices(sets, r, 1)).containsExactly(ActivatedSets.topK(row, 6));
        }
    }

    @Test
    void should_reject_a_matrix_of_the_wrong_shape() {
        assertThatThrownBy(() -> ActivatedSets.compute(new float[10], 3, 4, 1))
                .hasMessage("matrix has 10 values, expected 3 x 4");
    }

    @Test
    void should_rank_the_activated_set_strongest_first() {
        // given
        float[] row = {0.1f, 3f, 2f, 5f};
        // when / then
        assertThat(ActivatedSets.ranked(row, 0, 4, 2)).containsExactly(3, 1);
    }

    @Test
    void should_rank_equal_values_lower_channel_first_and_cut_ties_at_the_lower_channels() {
        assertThat(ActivatedSets.ranked(new float[] {1f, 2f, 2f, 2f, 0f}, 0, 5, 2))
                .containsExactly(1, 2);
        assertThat(ActivatedSets.ranked(new float[] {2f, 9f, 2f, 2f}, 0, 4, 3)).containsExactly(1, 0, 2);
    }

    @Test
    void should_rank_negative_zero_as_zero_and_order_negatives() {
        assertThat(ActivatedSets.ranked(new float[] {-1f, -0.0f, 0.0f, -3f}, 0, 4, 4))
                .containsExactly(1, 2, 0, 3);
    }

    @Test
    void should_rank_nan_below_every_number_in_the_ranked_set() {
        // given: a NaN is no evidence of activation, not the strongest one
        float[] row = {Float.NaN, -5f, 1f, Float.NaN};
        // when / then
        assertThat(ActivatedSets.ranked(row, 0, 4, 2)).containsExactly(2, 1);
        assertThat(ActivatedSets.ranked(row, 0, 4, 4)).containsExactly(2, 1, 0, 3);
        assertThat(ActivatedSets.topK(row, 3)).containsExactly(0, 1, 2);
    }

    @Test
    void should_read_a_row_at_an_offset() {
        assertThat(ActivatedSets.ranked(new float[] {9f, 9f, 1f, 2f}, 2, 2, 1)).containsExactly(1);
    }

    @Test
    void should_rank_exactly_the_computed_set() {
        // given: random rows with many ties
        Random random = new Random(7);
        int rows = 200;
        int channels = 70;
        float[] matrix = new float[rows * channels];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = random.nextInt(5) == 0 ? Float.NaN : random.nextInt(8);
        }
        int k = ActivatedSets.k(0.1, channels);
        long[] sets = ActivatedSets.compute(matrix, rows, channels, k);
        int words = Bits.words(channels);
        for (int r = 0; r < rows; r++) {
            // when
            int[] ranked = ActivatedSets.ranked(matrix, r * channels, channels, k);
            // then: the same channels, in descending value, ties lower channel first
            assertThat(Arrays.stream(ranked).sorted().toArray()).containsExactly(Bits.indices(sets, r * words, words));
            for (int i = 1; i < ranked.length; i++) {
                float before = matrix[r * channels + ranked[i - 1]];
                float after = matrix[r * channels + ranked[i]];
                assertThat(before > after
                                || before == after && ranked[i - 1] < ranked[i]
                                || Float.isNaN(after) && (Float.isNaN(before) ? ranked[i - 1] < ranked[i] : true))
                        .isTrue();
            }
        }
    }

    @Test
    void should_refuse_a_k_outside_the_channels() {
        assertThatThrownBy(() -> ActivatedSets.ranked(new float[] {1f, 2f}, 0, 2, 3))
                .hasMessage("k must be in [1, 2], got 3");
    }
}
