package hmn.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopKTest {
    @Test
    void should_rank_strongest_first() {
        // given
        float[] row = {0.1f, 3f, 2f, 5f};
        // when
        int[] top = TopK.activated(row, 0, 4, 2);
        // then
        assertThat(top).containsExactly(3, 1);
    }

    @Test
    void should_break_ties_by_lower_channel_index() {
        float[] row = {1f, 2f, 2f, 2f, 0f};
        assertThat(TopK.activated(row, 0, 5, 2)).containsExactly(1, 2);
    }

    @Test
    void should_treat_negative_zero_as_zero_and_order_negatives() {
        float[] row = {-1f, -0.0f, 0.0f, -3f};
        assertThat(TopK.activated(row, 0, 4, 4)).containsExactly(1, 2, 0, 3);
    }

    @Test
    void should_read_a_row_at_an_offset() {
        float[] data = {9f, 9f, 1f, 2f};
        assertThat(TopK.activated(data, 2, 2, 1)).containsExactly(1);
    }

    @Test
    void should_compute_k_as_floor_of_top_times_channels_at_least_one() {
        assertThat(TopK.k(0.10, 512)).isEqualTo(51);
        assertThat(TopK.k(0.10, 64)).isEqualTo(6);
        assertThat(TopK.k(0.01, 64)).isEqualTo(1);
        assertThat(TopK.k(1.0, 7)).isEqualTo(7);
        assertThatThrownBy(() -> TopK.k(1.5, 8)).hasMessage("top must be in (0, 1], got 1.5");
    }
}
