package hmn.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConceptScenesTest {
    final ConceptScenes scenes = new ConceptScenes(96);

    @Test
    void should_draw_the_same_scene_for_the_same_seed_and_index() {
        ConceptScenes.Scene a = scenes.scene(7, 3);
        ConceptScenes.Scene b = scenes.scene(7, 3);

        assertThat(b.caption()).isEqualTo(a.caption());
        assertThat(b.concepts()).isEqualTo(a.concepts());
        assertThat(b.image().getRGB(0, 0, 96, 96, null, 0, 96))
                .isEqualTo(a.image().getRGB(0, 0, 96, 96, null, 0, 96));
        assertThat(scenes.scene(8, 3).image().getRGB(0, 0, 96, 96, null, 0, 96))
                .isNotEqualTo(a.image().getRGB(0, 0, 96, 96, null, 0, 96));
    }

    @Test
    void should_give_every_scene_one_sky_one_ground_and_only_plausible_objects() {
        List<ConceptScenes.Scene> all = scenes.generate(400, 1);
        for (ConceptScenes.Scene s : all) {
            List<String> c = s.concepts();
            assertThat(c.stream().filter(ConceptScenes.SKIES::contains))
                    .as(s.name())
                    .hasSize(1);
            assertThat(c.stream().filter(ConceptScenes.GROUNDS::contains))
                    .as(s.name())
                    .hasSize(1);
            String sky = c.get(0);
            String ground = c.get(1);
            assertThat(c.subList(2, c.size())).as(s.name()).allMatch(o -> ConceptScenes.allowed(o, sky, ground));
            assertThat(c)
                    .isSortedAccordingTo(
                            (x, y) -> ConceptScenes.CONCEPTS.indexOf(x) - ConceptScenes.CONCEPTS.indexOf(y));
        }
        // every concept occurs, none in every scene
        Set<String> seen = all.stream().flatMap(s -> s.concepts().stream()).collect(Collectors.toSet());
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ConceptScenes.CONCEPTS);
        for (String concept : ConceptScenes.CONCEPTS) {
            long n = all.stream().filter(s -> s.concepts().contains(concept)).count();
            assertThat(n).as(concept).isBetween(10L, 250L);
        }
    }

    @Test
    void should_caption_what_it_draws() {
        assertThat(ConceptScenes.caption("night", "snow", List.of("car", "pine_trees", "moon"), "red"))
                .isEqualTo("a red car, pine trees and the moon in a snowy field at night");
        assertThat(ConceptScenes.caption("day", "sea", List.of(), null)).isEqualTo("the sea on a sunny day");
    }

    @Test
    void should_write_images_captions_and_concepts(@TempDir Path dir) throws Exception {
        ConceptSceneSet.write(dir, 5, 2, 64);

        List<String> concepts = Files.readAllLines(dir.resolve(ConceptSceneSet.CONCEPTS));
        List<String> captions = Files.readAllLines(dir.resolve(ConceptSceneSet.TRUE_CAPTIONS));
        assertThat(concepts).hasSize(6).first().isEqualTo("image,concepts");
        assertThat(captions).hasSize(6).first().isEqualTo("image,caption");
        assertThat(concepts.get(1)).matches("scene_00000\\.jpg,[a-z_]+(;[a-z_]+)+");
        assertThat(Files.size(dir.resolve("scene_00004.jpg"))).isPositive();
    }
}
