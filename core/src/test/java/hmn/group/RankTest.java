package hmn.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RankTest {
    // 4 images x 3 channels: channel 0 strong everywhere, channel 1 varies, channel 2 constant
    static final LayerActivations LAYER =
            new LayerActivations("l", 3, 4, new float[] {10, 1, 5, 11, 3, 5, 10, 0, 5, 11, 4, 5});

    @Test
    void should_standardise_each_channel_over_the_images() {
        float[] z = LAYER.standardized();
        // channel 1: mean 2, population sd sqrt(2.5)
        double sd = Math.sqrt(2.5);
        assertThat(z[1]).isCloseTo((float) ((1 - 2) / sd), within(1e-6f));
        assertThat(z[4]).isCloseTo((float) ((3 - 2) / sd), within(1e-6f));
        assertThat(z[2]).isEqualTo(Float.NEGATIVE_INFINITY);
    }

    @Test
    void should_stop_an_always_strong_channel_from_filling_every_set() {
        // k = 1: raw picks channel 0 in every image, zscore the channel that is strong for the image
        long[] raw = LAYER.activatedSets(1, Rank.RAW);
        long[] zscore = LAYER.activatedSets(1, Rank.ZSCORE);
        assertThat(raw).containsExactly(1L, 1L, 1L, 1L);
        // z of channels 0 and 1 per image: (-1, -0.63), (1, 0.63), (-1, -1.26), (1, 1.26); channel 2 is constant
        assertThat(zscore).containsExactly(2L, 1L, 1L, 2L);
    }

    @Test
    void should_parse_rank_from_a_config_map() {
        assertThat(GroupConfig.of(Map.of("rank", "zscore")).rank()).isEqualTo(Rank.ZSCORE);
        assertThat(GroupConfig.of(Map.of()).rank()).isEqualTo(Rank.RAW);
        assertThatThrownBy(() -> GroupConfig.of(Map.of("rank", "z")))
                .hasMessage("rank must be one of [raw, zscore], got 'z'");
    }
}
