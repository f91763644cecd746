package hmn.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LayerActivationsTest {

    // 5 images x 2 channels
    final LayerActivations layer = new LayerActivations("layer4", 2, 5, new float[] {
        0.5f, 9, //
        0.9f, 8, //
        0.5f, 7, //
        0.1f, 6, //
        0.9f, 5
    });

    @Test
    void should_give_the_strongest_images_first_with_ties_to_the_lower_row() {
        assertThat(layer.topRows(0, 3)).containsExactly(1, 4, 0);
        assertThat(layer.topRows(0, 4)).containsExactly(1, 4, 0, 2);
        assertThat(layer.topRows(1, 2)).containsExactly(0, 1);
    }

    @Test
    void should_give_every_image_when_k_exceeds_them() {
        assertThat(layer.topRows(1, 50)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void should_reject_values_of_the_wrong_shape() {
        assertThatThrownBy(() -> new LayerActivations("layer4", 3, 2, new float[5]))
                .hasMessage("layer 'layer4' has 5 values, expected 2 images x 3 channels");
    }
}
