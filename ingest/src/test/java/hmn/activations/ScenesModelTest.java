package hmn.activations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.demo.ConceptSceneSet;
import hmn.demo.ConceptScenes;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.validity.Auc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trained catalogue entry scenes-resnet18 through the normal path (bundled weights, checksum, the activation
 * stage on JPEG files, fc logits): on the first 300 of its held-out scenes it gives the mean AUC that training
 * measured with PyTorch on the same files.
 */
class ScenesModelTest {
    @TempDir
    Path dir;

    @Test
    void should_reproduce_its_held_out_auc() throws Exception {
        // given the test set its catalogue entry names
        JsonNode test = new ObjectMapper()
                .readTree(getClass().getClassLoader().getResource("hmn/models/scenes-resnet18.json"))
                .path("evaluation")
                .path("test");
        Path images = dir.resolve("scenes");
        List<ConceptScenes.Scene> scenes = ConceptSceneSet.write(
                images,
                test.path("scenes").asInt(),
                test.path("seed").asLong(),
                test.path("size").asInt());

        // when
        ActivationStage.Result result = ActivationStage.builder()
                .model("scenes-resnet18")
                .layers(List.of("fc"))
                .cacheDir(dir.resolve("cache"))
                .progress(false)
                .build()
                .run(images, dir.resolve("activations"));

        // then
        assertThat(result.provenance()).startsWith("hmn:scenes-resnet18 hmn-scenes-v1 sha256=60d7db0a");
        FloatMatrix logits = Npy.read(dir.resolve("activations/fc.npy"));
        List<String> rows = Files.readAllLines(dir.resolve("activations/images.txt"));
        double sum = 0;
        for (int c = 0; c < ConceptScenes.CONCEPTS.size(); c++) {
            double[] scores = new double[rows.size()];
            boolean[] positive = new boolean[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                String name = rows.get(r);
                ConceptScenes.Scene scene = scenes.stream()
                        .filter(s -> s.name().equals(name))
                        .findFirst()
                        .orElseThrow();
                scores[r] = logits.get(r, c);
                positive[r] = scene.concepts().contains(ConceptScenes.CONCEPTS.get(c));
            }
            sum += Auc.of(scores, positive);
        }
        assertThat(sum / ConceptScenes.CONCEPTS.size())
                .isCloseTo(test.path("meanAuc").asDouble(), within(0.003));
    }
}
