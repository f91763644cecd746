package hmn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.images.ImageDecoder;
import hmn.images.ImageNetPreprocessing;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.runtime.onnx.SplitResNet;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.SeededWeights;
import hmn.runtime.weights.Tensor;
import hmn.validity.LinearAblation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * hmn's ablations against PyTorch's: models/tools/make_ablation_fixture.py replaced the ablated channels of a layer's
 * output at every position with a forward hook and ran the rest of the network. layer4's effects come from the pooled
 * activations and the fc weights alone; layer2's and layer3's from {@link SplitResNet}, which recomputes the rest of
 * the network with ONNX Runtime.
 */
@Tag("parity")
class AblationFixtureTest {
    static final Path FIXTURE = Fixtures.path("torchvision");
    static final ModelSpec RESNET18 = ModelCatalogue.get("resnet18");
    static final Map<String, Tensor> WEIGHTS =
            SeededWeights.generate(ResNetArchitecture.of(RESNET18).parameterShapes(), 7);

    @Test
    void should_give_the_effects_of_an_ablated_forward_from_pooled_layer4() throws Exception {
        // given
        FloatMatrix pooled = Npy.read(FIXTURE.resolve("expected/layer4.npy"));
        FloatMatrix logits = Npy.read(FIXTURE.resolve("expected/fc.npy"));
        Tensor fc = WEIGHTS.get("fc.weight");
        FloatMatrix w = new FloatMatrix((int) fc.shape()[0], (int) fc.shape()[1], fc.data());
        float[] b = WEIGHTS.get("fc.bias").data();
        float[] means = LinearAblation.columnMeans(pooled);

        for (String mode : new String[] {"mean", "zero"}) {
            LinearAblation ablation = new LinearAblation(w, b, mode.equals("mean") ? means : new float[means.length]);
            for (Map.Entry<String, int[]> set : sets("layer4").entrySet()) {
                FloatMatrix ablated = expectedLogits("layer4", set.getKey(), mode);
                for (int r = 0; r < pooled.rows(); r++) {
                    // when
                    double effect = ablation.effect(pooled.row(r), set.getValue());

                    // then: ||z - z_S|| / ||z|| from PyTorch's two forwards
                    double expected = effect(logits.row(r), ablated.row(r));
                    assertThat(effect)
                            .as("%s %s image %d", set.getKey(), mode, r)
                            .isCloseTo(expected, within(1e-5 + 1e-4 * expected));
                    assertThat(expected).isPositive();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"layer2", "layer3", "layer4"})
    void should_give_pytorchs_logits_when_the_rest_of_the_network_runs_on_an_ablated_feature_map(String layer)
            throws Exception {
        // given: the fixture's images, preprocessed as ingest does
        List<String> images = Files.readAllLines(FIXTURE.resolve("expected/images.txt"));
        ImageNetPreprocessing pre = RESNET18.preprocessing().toTransform();
        float[] input = new float[images.size() * pre.tensorSize()];
        for (int i = 0; i < images.size(); i++) {
            pre.apply(
                    ImageDecoder.defaults().decode(FIXTURE.resolve("images").resolve(images.get(i))),
                    input,
                    i * pre.tensorSize(),
                    false);
        }
        FloatMatrix pooled = Npy.read(FIXTURE.resolve("expected/" + layer + ".npy"));
        FloatMatrix logits = Npy.read(FIXTURE.resolve("expected/fc.npy"));
        float[] means = LinearAblation.columnMeans(pooled);
        int n = images.size();

        try (SplitResNet net = SplitResNet.of(RESNET18, WEIGHTS, layer, 1)) {
            int channels = net.channels();
            // when: the head, then the tail unchanged
            float[] features = net.features(input, n);
            float[] ones = new float[n * channels];
            java.util.Arrays.fill(ones, 1f);
            FloatMatrix whole =
                    new FloatMatrix(n, net.outputs(), net.logits(features, ones, new float[n * channels], n));

            // then: the feature maps' means are ingest's activations, and the logits PyTorch's
            int spatial = net.featureSize() / channels;
            for (int i = 0; i < n; i++) {
                float[] means_i = new float[channels];
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int p = 0; p < spatial; p++) {
                        sum += features[i * net.featureSize() + c * spatial + p];
                    }
                    means_i[c] = (float) (sum / spatial);
                }
                assertThat(Fixtures.relativeError(means_i, pooled.row(i)))
                        .as("%s of image %d", layer, i)
                        .isLessThan(1e-5);
                assertThat(Fixtures.relativeError(whole.row(i), logits.row(i)))
                        .as("logits of image %d", i)
                        .isLessThan(1e-5);
            }
            for (String mode : new String[] {"mean", "zero"}) {
                for (Map.Entry<String, int[]> set : sets(layer).entrySet()) {
                    float[] keep = ones.clone();
                    float[] fill = new float[n * channels];
                    for (int i = 0; i < n; i++) {
                        for (int c : set.getValue()) {
                            keep[i * channels + c] = 0;
                            fill[i * channels + c] = mode.equals("mean") ? means[c] : 0;
                        }
                    }
                    // when
                    FloatMatrix got = new FloatMatrix(n, net.outputs(), net.logits(features, keep, fill, n));

                    // then
                    FloatMatrix expected = expectedLogits(layer, set.getKey(), mode);
                    for (int i = 0; i < n; i++) {
                        assertThat(Fixtures.relativeError(got.row(i), expected.row(i)))
                                .as("%s %s %s image %d", layer, set.getKey(), mode, i)
                                .isLessThan(1e-5);
                        double effect = effect(whole.row(i), got.row(i));
                        assertThat(effect)
                                .isCloseTo(effect(logits.row(i), expected.row(i)), within(1e-5 + 1e-4 * effect));
                    }
                }
            }
        }
    }

    private static Map<String, int[]> sets(String layer) throws Exception {
        JsonNode sets = new ObjectMapper()
                .readTree(FIXTURE.resolve("expected-ablation/sets.json").toFile())
                .get("layers")
                .get(layer);
        Map<String, int[]> out = new java.util.LinkedHashMap<>();
        for (var entry : (Iterable<Map.Entry<String, JsonNode>>) sets::fields) {
            int[] set = new int[entry.getValue().size()];
            for (int i = 0; i < set.length; i++) {
                set[i] = entry.getValue().get(i).asInt();
            }
            out.put(entry.getKey(), set);
        }
        return out;
    }

    private static FloatMatrix expectedLogits(String layer, String set, String mode) throws Exception {
        return Npy.read(FIXTURE.resolve("expected-ablation/" + layer + "-" + set + "-" + mode + ".npy"));
    }

    /** ||z - z_S|| / ||z||. */
    private static double effect(float[] z, float[] ablated) {
        double change = 0;
        double norm = 0;
        for (int k = 0; k < z.length; k++) {
            double d = z[k] - ablated[k];
            change += d * d;
            norm += (double) z[k] * z[k];
        }
        return Math.sqrt(change / norm);
    }
}
