package hmn.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import hmn.images.ImageDecoder;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import hmn.runtime.onnx.FeatureMaps;
import hmn.runtime.onnx.OnnxModel;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.Tensor;
import hmn.runtime.weights.WeightsSource;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapsTest {
    @TempDir
    Path tmp;

    @Test
    void should_put_the_brightest_cell_where_the_neurons_largest_activation_is() throws Exception {
        // given a seeded ResNet18 recorded in run.json, and a picture
        ModelSpec spec = ModelCatalogue.get("resnet18");
        Map<String, Tensor> weights =
                WeightsSource.random(ResNetArchitecture.of(spec), 7).tensors();
        Path images = Files.createDirectories(tmp.resolve("images"));
        BufferedImage picture = new BufferedImage(300, 240, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        for (int y = 0; y < 240; y++) {
            for (int x = 0; x < 300; x++) {
                picture.setRGB(x, y, x > 200 && y < 90 ? 0xffffff : random.nextInt(0x404040));
            }
        }
        ImageIO.write(picture, "png", images.resolve("p.png").toFile());
        Path run = Files.createDirectories(tmp.resolve("work/activations")).resolve("run.json");
        Files.writeString(
                run,
                "{\"model\": \"resnet18\", \"engine\": \"onnxruntime\", \"weights\":"
                        + " \"random:seed=7 (untrained, hmn seeded formula)\", \"layers\": [\"layer4\"]}");
        // and the layer computed directly: the full maps, and the pooled activations the ingest stores
        float[] input =
                spec.preprocessing().toTransform().apply(ImageDecoder.defaults().decode(images.resolve("p.png")));
        FeatureMaps.Batch direct;
        try (FeatureMaps maps = FeatureMaps.of(spec, weights, "layer4", 1)) {
            direct = maps.run(input, 1);
        }
        float[] pooled;
        try (OnnxModel model = OnnxModel.resnet(spec, weights, List.of("layer4"), "test", 1)) {
            pooled = model.activations(input, 1).get("layer4").row(0);
        }
        assertThat(direct.channels()).isEqualTo(512);
        assertThat(direct.height()).isEqualTo(7);
        assertThat(direct.width()).isEqualTo(7);
        int checked = 0;
        try (Heatmaps heatmaps = new Heatmaps(run, images, tmp)) {
            assertThat(heatmaps.note("layer4")).isNull();
            for (int c = 0; c < 512; c += 37) {
                float[] map = direct.map(0, c);
                int largest = 0;
                double mean = 0;
                for (int i = 0; i < map.length; i++) {
                    mean += map[i] / map.length;
                    largest = map[i] > map[largest] ? i : largest;
                }
                // the map's mean is the neuron's stored activation
                assertThat(mean).as("channel %d mean", c).isCloseTo(pooled[c], within(1e-4 + 1e-4 * Math.abs(mean)));
                // when
                Heatmaps.Heatmap heatmap =
                        heatmaps.maps("layer4", c, List.of("p.png")).get("p.png");
                // then
                assertThat(heatmap.brightest())
                        .as("channel %d brightest cell", c)
                        .isEqualTo(largest);
                assertThat(heatmap.cropWidth()).isCloseTo(224.0 / 320, within(1e-9));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(14);
    }

    @Test
    void should_give_a_note_when_the_model_cannot_be_rebuilt() {
        try (Heatmaps heatmaps = new Heatmaps(tmp.resolve("none/run.json"), tmp, tmp)) {
            assertThat(heatmaps.note("layer4"))
                    .startsWith("the model cannot be rebuilt (")
                    .contains("the activations were imported");
            assertThat(heatmaps.maps("layer4", 0, List.of("x.png"))).isEmpty();
        }
    }
}
