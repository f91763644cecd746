package hmn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hmn.io.FloatMatrix;
import hmn.io.Npy;
import hmn.runtime.weights.ResNetArchitecture;
import hmn.runtime.weights.SeededWeights;
import hmn.runtime.weights.Tensor;
import hmn.validity.LinearAblation;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * hmn's layer4 ablation against PyTorch's: models/tools/make_ablation_fixture.py replaced the ablated channels of
 * layer4's output at every position with a forward hook and ran avgpool and fc; here the effects come from the pooled
 * activations and the fc weights alone.
 */
class AblationFixtureTest {
    static final Path FIXTURE = Fixtures.path("torchvision");

    @Test
    void should_give_the_effects_of_an_ablated_forward() throws Exception {
        // given
        JsonNode sets = new ObjectMapper()
                .readTree(FIXTURE.resolve("expected-ablation/sets.json").toFile())
                .get("sets");
        FloatMatrix pooled = Npy.read(FIXTURE.resolve("expected/layer4.npy"));
        FloatMatrix logits = Npy.read(FIXTURE.resolve("expected/fc.npy"));
        Map<String, Tensor> weights = SeededWeights.generate(
                ResNetArchitecture.of(ModelCatalogue.get("resnet18")).parameterShapes(), 7);
        Tensor fc = weights.get("fc.weight");
        FloatMatrix w = new FloatMatrix((int) fc.shape()[0], (int) fc.shape()[1], fc.data());
        float[] b = weights.get("fc.bias").data();
        float[] means = LinearAblation.columnMeans(pooled);

        for (String mode : new String[] {"mean", "zero"}) {
            LinearAblation ablation = new LinearAblation(w, b, mode.equals("mean") ? means : new float[means.length]);
            for (var entry : (Iterable<Map.Entry<String, JsonNode>>) sets::fields) {
                int[] set = new int[entry.getValue().size()];
                for (int i = 0; i < set.length; i++) {
                    set[i] = entry.getValue().get(i).asInt();
                }
                FloatMatrix ablated =
                        Npy.read(FIXTURE.resolve("expected-ablation/" + entry.getKey() + "-" + mode + ".npy"));
                for (int r = 0; r < pooled.rows(); r++) {
                    // when
                    double effect = ablation.effect(pooled.row(r), set);

                    // then: ||z - z_S|| / ||z|| from PyTorch's two forwards
                    double change = 0;
                    double norm = 0;
                    for (int k = 0; k < logits.cols(); k++) {
                        double d = logits.get(r, k) - ablated.get(r, k);
                        change += d * d;
                        norm += (double) logits.get(r, k) * logits.get(r, k);
                    }
                    double expected = Math.sqrt(change / norm);
                    assertThat(effect)
                            .as("%s %s image %d", entry.getKey(), mode, r)
                            .isCloseTo(expected, within(1e-5 + 1e-4 * expected));
                    assertThat(expected).isPositive();
                }
            }
        }
    }
}
