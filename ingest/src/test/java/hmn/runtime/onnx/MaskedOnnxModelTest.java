package hmn.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.core.BadInputException;
import hmn.images.ImageDecoder;
import hmn.images.ImageNetPreprocessing;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.runtime.Fixtures;
import hmn.runtime.ModelCatalogue;
import hmn.runtime.ModelSpec;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.SeededWeights;
import hmn.runtime.weights.Tensor;
import hmn.validity.LinearAblation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ablation inside a user's ONNX file: the file's graph edited so that every reader of the tensor reads tensor * keep
 * + fill. Checked against PyTorch's hooked forwards (models/tools/make_ablation_fixture.py) on ResNet18 written as an
 * ONNX file, ablated at an intermediate tensor (layer3's last ReLU), and on the small exported fixture net.
 */
@Tag("parity")
class MaskedOnnxModelTest {
    static final Path TORCHVISION = Fixtures.path("torchvision");

    @TempDir
    Path dir;

    @Test
    void should_give_pytorchs_logits_for_an_ablated_intermediate_tensor() throws Exception {
        // given: ResNet18 as a user's ONNX file with the logits as its only output
        ModelSpec spec = ModelCatalogue.get("resnet18");
        Map<String, Tensor> weights =
                SeededWeights.generate(ResNetArchitecture.of(spec).parameterShapes(), 7);
        Path file = dir.resolve("resnet18.onnx");
        Files.write(file, ResNetOnnx.build(spec, weights, Set.of("fc")));
        List<String> images = Files.readAllLines(TORCHVISION.resolve("expected/images.txt"));
        ImageNetPreprocessing pre = spec.preprocessing().toTransform();
        float[] input = new float[images.size() * pre.tensorSize()];
        for (int i = 0; i < images.size(); i++) {
            pre.apply(
                    ImageDecoder.defaults().decode(TORCHVISION.resolve("images").resolve(images.get(i))),
                    input,
                    i * pre.tensorSize(),
                    false);
        }
        int n = images.size();
        float[] means = LinearAblation.columnMeans(Npy.read(TORCHVISION.resolve("expected/layer3.npy")));
        JsonNode sets = new ObjectMapper()
                .readTree(TORCHVISION.resolve("expected-ablation/sets.json").toFile())
                .get("layers")
                .get("layer3");

        try (MaskedOnnxModel model = MaskedOnnxModel.load(file, "layer3.1.add.relu", 224, 1)) {
            assertThat(model.channels()).isEqualTo(256);
            assertThat(model.outputs()).isEqualTo(1000);
            float[] features = model.features(input, n);
            float[] ones = new float[n * 256];
            Arrays.fill(ones, 1f);

            // when: nothing ablated, then each set
            FloatMatrix whole = new FloatMatrix(n, 1000, model.logits(features, ones, new float[n * 256], n));
            FloatMatrix logits = Npy.read(TORCHVISION.resolve("expected/fc.npy"));
            for (int i = 0; i < n; i++) {
                assertThat(Fixtures.relativeError(whole.row(i), logits.row(i))).isLessThan(1e-5);
            }
            for (var set : (Iterable<Map.Entry<String, JsonNode>>) sets::fields) {
                float[] keep = ones.clone();
                float[] fill = new float[n * 256];
                for (int i = 0; i < n; i++) {
                    for (JsonNode c : set.getValue()) {
                        keep[i * 256 + c.asInt()] = 0;
                        fill[i * 256 + c.asInt()] = means[c.asInt()];
                    }
                }
                FloatMatrix got = new FloatMatrix(n, 1000, model.logits(features, keep, fill, n));

                // then
                FloatMatrix expected =
                        Npy.read(TORCHVISION.resolve("expected-ablation/layer3-" + set.getKey() + "-mean.npy"));
                for (int i = 0; i < n; i++) {
                    assertThat(Fixtures.relativeError(got.row(i), expected.row(i)))
                            .as("%s image %d", set.getKey(), i)
                            .isLessThan(1e-5);
                }
            }
        }
    }

    @Test
    void should_ablate_a_stored_layer_of_an_exported_net_and_measure_its_first_output() throws Exception {
        Path file = Fixtures.path("onnx").resolve("tiny.onnx");
        float[] image = new float[3 * 224 * 224];
        Arrays.fill(image, 0.5f);
        // /net/Relu_output_0 is stored as _net_Relu_output_0; the first output is stage2, 16 x 56 x 56 per image
        try (MaskedOnnxModel model = MaskedOnnxModel.load(file, "_net_Relu_output_0", 224, 1)) {
            assertThat(model.channels()).isEqualTo(8);
            assertThat(model.outputs()).isEqualTo(16 * 56 * 56);
            float[] ones = new float[8];
            Arrays.fill(ones, 1f);
            float[] whole = model.logits(image, ones, new float[8], 1);
            float[] zeroed = model.logits(image, new float[8], new float[8], 1);
            assertThat(zeroed).isNotEqualTo(whole);
            // keeping every channel leaves the model as it was: stage2's channel means as the unedited file's
            float[] means = new float[16];
            for (int c = 0; c < 16; c++) {
                double sum = 0;
                for (int p = 0; p < 56 * 56; p++) {
                    sum += whole[c * 56 * 56 + p];
                }
                means[c] = (float) (sum / (56 * 56));
            }
            try (OnnxModel plain = OnnxModel.load(file, List.of("stage2"), 224, 1)) {
                assertThat(Fixtures.relativeError(
                                means, plain.activations(image, 1).get("stage2").row(0)))
                        .isLessThan(1e-6);
            }
        }
        assertThatThrownBy(() -> MaskedOnnxModel.load(file, "stage2", 224, 1))
                .isInstanceOf(BadInputException.class)
                .hasMessage("--layers stage2 is tiny.onnx's output itself; ablate a layer before it");
        assertThatThrownBy(() -> MaskedOnnxModel.load(file, "nope", 224, 1))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("--layers nope: tiny.onnx has no such tensor");
    }
}
