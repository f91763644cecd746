package hmn.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupConfigTest {

    @Test
    void should_apply_the_defaults_to_an_empty_map() {
        assertThat(GroupConfig.of(Map.of())).isEqualTo(new GroupConfig(null, 0.10, 0.5, Mode.INTERSECTION));
        assertThat(GroupConfig.of(null)).isEqualTo(GroupConfig.DEFAULTS);
    }

    @Test
    void should_read_every_key() {
        GroupConfig config = GroupConfig.of(Map.of("layer", "layer4", "top", 0.2, "support", 1L, "mode", "support"));

        assertThat(config).isEqualTo(new GroupConfig("layer4", 0.2, 1.0, Mode.SUPPORT));
    }

    @Test
    void should_name_key_value_and_range_for_a_bad_top() {
        assertThatThrownBy(() -> GroupConfig.of(Map.of("top", 1.5))).hasMessage("top must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> GroupConfig.of(Map.of("top", 0L))).hasMessage("top must be in (0, 1], got 0");
        assertThatThrownBy(() -> GroupConfig.of(Map.of("top", Double.NaN)))
                .hasMessage("top must be in (0, 1], got NaN");
        assertThatThrownBy(() -> GroupConfig.of(Map.of("top", "high")))
                .hasMessage("top must be a number in (0, 1], got 'high'");
    }

    @Test
    void should_name_key_value_and_range_for_a_bad_support() {
        assertThatThrownBy(() -> GroupConfig.of(Map.of("support", 0L))).hasMessage("support must be in (0, 1], got 0");
        assertThatThrownBy(() -> GroupConfig.of(Map.of("support", -0.5)))
                .hasMessage("support must be in (0, 1], got -0.5");
    }

    @Test
    void should_name_the_allowed_modes() {
        assertThatThrownBy(() -> GroupConfig.of(Map.of("mode", "x")))
                .hasMessage("mode must be one of [intersection, support], got 'x'");
    }

    @Test
    void should_reject_an_unknown_key() {
        assertThatThrownBy(() -> GroupConfig.of(Map.of("tops", 0.2)))
                .hasMessage("unknown config key 'tops'; allowed keys: [layer, top, support, mode, rank]");
    }

    @Test
    void should_treat_null_values_as_defaults() {
        Map<String, Object> config = new HashMap<>();
        config.put("top", null);
        config.put("layer", null);

        assertThat(GroupConfig.of(config)).isEqualTo(GroupConfig.DEFAULTS);
    }

    @Test
    void should_reject_a_layer_that_is_not_a_string() {
        assertThatThrownBy(() -> GroupConfig.of(Map.of("layer", 4L)))
                .hasMessage("layer must be a layer name (a string), got 4");
    }
}
