package hmn.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SceneGeneratorTest {
    private final SceneGenerator generator = new SceneGenerator(SampleSet.WIDTH, SampleSet.HEIGHT);

    @Test
    void should_draw_the_same_pixels_and_captions_for_the_same_seed() {
        List<SceneGenerator.Scene> first = generator.generate(2, 7);
        List<SceneGenerator.Scene> second = generator.generate(2, 7);

        assertThat(first).hasSize(2 * generator.kindNames().size());
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).name()).isEqualTo(first.get(i).name());
            assertThat(second.get(i).caption()).isEqualTo(first.get(i).caption());
            assertThat(second.get(i).image().getRGB(0, 0, SampleSet.WIDTH, SampleSet.HEIGHT, null, 0, SampleSet.WIDTH))
                    .isEqualTo(first.get(i)
                            .image()
                            .getRGB(0, 0, SampleSet.WIDTH, SampleSet.HEIGHT, null, 0, SampleSet.WIDTH));
        }
    }

    @Test
    void should_vary_scenes_of_one_kind() {
        List<SceneGenerator.Scene> scenes = generator.generate(2, 7);

        int[] a = scenes.get(0).image().getRGB(0, 0, SampleSet.WIDTH, SampleSet.HEIGHT, null, 0, SampleSet.WIDTH);
        int[] b = scenes.get(1).image().getRGB(0, 0, SampleSet.WIDTH, SampleSet.HEIGHT, null, 0, SampleSet.WIDTH);
        assertThat(a).isNotEqualTo(b);
        assertThat(scenes.get(0).name()).startsWith(generator.kindNames().get(0));
    }

    @Test
    void should_reject_a_canvas_too_small() {
        assertThatThrownBy(() -> new SceneGenerator(10, 10))
                .hasMessage("scenes need at least 64 x 64 pixels, got 10 x 10");
    }
}
